/*
 * What one file contributes to a scan, in plain serializable data: the findings
 * that need nothing but the file (instructions, queries), and the facts and
 * candidate sites that are resolved tree-wide afterwards (types of page-table
 * entries, wrappers, macro values, the console path). Produced by extract.ts on
 * a worker thread, cached by content hash, consumed by resolve.ts.
 */
import type { Finding } from './types.js';
import type { CallTable } from './call-table.js';
import type { Suppression } from './suppress.js';

/** A declared type: base spelling (typedef name, 'struct pmap', 'unsigned int') plus pointer/array depth. */
export interface TypeRef {
  base: string;
  ptr: number;
}

/** An expression reduced to what matters for page-table typing. */
export type SExpr =
  | { k: 'local'; f: number; name: string }
  | { k: 'name'; name: string }
  | { k: 'param'; name: string }
  | { k: 'field'; name: string; base: SExpr; arrow?: true }
  | { k: 'deref'; e: SExpr }
  | { k: 'index'; e: SExpr }
  | { k: 'addr'; e: SExpr }
  | { k: 'call'; name: string; args?: SExpr[] }
  | { k: 'cast'; t: TypeRef; e: SExpr }
  | { k: 'arith'; a: SExpr; b: SExpr }
  | { k: 'cond'; a: SExpr; b: SExpr }
  | { k: '?' };

/** A place in the ORIGINAL bytes; lines and columns are computed when a finding is made (mkFinding). */
export interface Site {
  startByte: number;
  endByte: number;
  recovered: boolean;
}

export interface LocalVar {
  type: TypeRef;
  /** Expressions assigned to it (initializer and plain assignments). */
  from: SExpr[];
  /** Where each of `from` is assigned (original start byte, same order), to find the one that reaches a use. */
  at?: number[];
}

export interface FuncInfo {
  name: string;
  kind: 'c' | 'macro' | 'asm' | 'proto';
  returnType?: TypeRef;
  params: string[];
  /** For function-like macros whose body is one expression. */
  bodyExpr?: SExpr;
  statements: number;
  /** The body has control flow (if, loops other than do-while(0), switch, goto). */
  control?: boolean;
  /** Stores through pointers, arrays or fields in the body. */
  stores?: number;
  /** Instruction rule ids run directly in the body, with the instruction text. */
  insns: Array<{ ruleId: string; instruction: string; site: Site }>;
  /** Names called (directly). */
  calls: string[];
  /** Names whose address is taken (passed as arguments, assigned). */
  refs: string[];
  locals: Record<string, LocalVar>;
  site: Site;
  file: string;
}

export interface CallSite {
  /** The function called, or '*field' for an indirect call through a struct field. */
  callee: string;
  site: Site;
  /** Enclosing function index in FileSummary.funcs, or -1. */
  func: number;
  /**
   * Each argument's byte range, as two entries (start, end). Not its text: a
   * whole 9.3 sys/ has about 1.6 million arguments, and their texts were a
   * tenth of what a scan kept; resolution cuts the few it needs from the file
   * (resolve-common.ts callArgs, SourceTexts).
   */
  argBytes: number[];
  /** Only for callees whose argument types matter (PTE helpers, block ops, sinks). */
  argSites: Site[];
  argTypes: SExpr[];
  /** A page-zeroing call (a rule's `table-pages`) whose page the same function then maps as a table (`VM_PAGE_TO_PHYS(m)` and `PG_V` after it). */
  becomesTable?: true;
}

export interface WriteSite {
  op: string;
  lhs: SExpr;
  /** 'name': a plain variable (a PTE only if it is a global of entry type); 'call': a macro used as an lvalue. */
  lhsKind: 'deref' | 'index' | 'field' | 'name' | 'call';
  /*
   * Byte ranges, not texts (resolution cuts the texts of the writes it reports
   * from the file: SourceTexts): the target, for `*p = v` the pointer
   * expression p (-1 otherwise), and the value (-1 for ++ and --).
   */
  lhsStart: number;
  lhsEnd: number;
  ptrStart: number;
  ptrEnd: number;
  rhsStart: number;
  rhsEnd: number;
  /** The target's name says it holds a physical address (resolve-vahole.ts physLhs): the value is not a virtual one. */
  physLhs?: true;
  /** The statement's place, inline (a Site object each was 12 MB on a whole sys/; made when reported). */
  start: number;
  end: number;
  recovered: boolean;
  func: number;
}

export interface MaskSite {
  entry: SExpr;
  /** The entry expression's byte range (its text is cut from the file when reported). */
  entryStart: number;
  entryEnd: number;
  mask: string;
  site: Site;
  func: number;
}

export interface MacroDef {
  name: string;
  params: string[] | null;
  body: string;
  /** Where the body starts in the original bytes; it ends body.length later (a finding's site). No Site objects: a whole sys/ has 280 k definitions. */
  bodyStart: number;
  lang: 'c' | 'asm';
}

/**
 * A file's upper-case identifier uses outside #define bodies (va-hole
 * candidates), four entries each: name, startByte, endByte, NAME_* flags. One
 * flat list, not a tuple or an object per use: a real sys/ has about a million
 * of them, and a tuple cost an array object and a backing store each (80 bytes
 * against 32).
 */
export type NameUses = Array<string | number>;
/** Entries per use in NameUses. */
export const NAME_STRIDE = 4;
/** Inside a bitwise context (a mask). */
export const NAME_MASKED = 1;
/** In code that needed error recovery. */
export const NAME_RECOVERED = 4;
/** In an assembly file. */
export const NAME_ASM = 8;

export interface NumberUse {
  text: string;
  value: number;
  site: Site;
  lang: 'c' | 'asm';
  masked: boolean;
  inDefine: boolean;
  /** An element of a brace initializer list: table data (checksum masks, hash constants), not an address. */
  inTable?: boolean;
}

export interface FileSummary {
  file: string;
  language: 'c' | 'asm';
  bytes: number;
  lines: number;
  /**
   * Each line's length in bytes (lines and columns of the sites, without storing
   * them per site): a number[] as extracted and in the cache's JSON, a typed
   * array (packLines) while a scan keeps the summary.
   */
  lineLengths: number[] | Uint16Array | Uint32Array;
  /** ERROR/MISSING nodes in the parse tree (C only). */
  parseErrors: number;
  findings: Finding[];
  typedefs: Array<{ name: string; type: TypeRef }>;
  globals: Array<{ name: string; type: TypeRef }>;
  fields: Array<{ name: string; type: TypeRef }>;
  funcs: FuncInfo[];
  /** As extracted and in the cache; empty once a kept summary's calls are packed into `callTable` (read both through call-table.ts callsOf). */
  calls: CallSite[];
  callTable?: CallTable;
  writes: WriteSite[];
  masks: MaskSite[];
  macros: MacroDef[];
  names: NameUses;
  /** Only the literals a va-hole rule could report, outside masks, #defines and tables (hole-numbers.ts). */
  numbers: NumberUse[];
  /** Field names of each named struct, in declaration order. */
  structs: Record<string, string[]>;
  /** Functions stored in struct fields by file-scope initializers. */
  fieldInits: Array<{ struct: string; field?: string; index: number; fn: string }>;
  /** With every branch kept: the file's dead and ported ranges (cpp-branches.ts). */
  branches?: Array<[number, number, number]>;
  /** Its xenoport-ignore comments (suppress.ts), when it has any. */
  suppressions?: Suppression[];
}
