/*
 * The data the analyze stage hands to the rest of xenoport: rules, findings and
 * edits. Finding and Edit are the contract with the rewrite stage
 * (docs/CONTRACTS.md); every byte offset and column refers to the ORIGINAL file
 * bytes, never to the normalized text the parser saw.
 */

export const CATEGORIES = [
  'privileged-instruction',
  'sensitive-instruction',
  'privileged-wrapper',
  'pte-write',
  'pte-read',
  'cpu-feature',
  'va-hole',
  'console',
  'descriptor',
  'selector',
  'timer',
  'pt-pin',
] as const;
export type Category = (typeof CATEGORIES)[number];
export type Severity = 'error' | 'warning' | 'note';

export interface Capture {
  text: string;
  startByte: number;
  endByte: number;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** What to use under Xen instead. */
  message: string;
  /** Path relative to the scan's `relativeTo` (default: the scan root's parent), '/' separators. */
  file: string;
  /** 1-based; col counts bytes in the ORIGINAL file. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** The site the fix replaces, [startByte, endByte) in the ORIGINAL bytes. */
  startByte: number;
  endByte: number;
  /** e.g. 'mov %cr3' / 'cli'; for wrapper calls the instruction beneath. */
  instruction?: string;
  /** Wrapper chain, outermost first, e.g. ['invltlb', 'load_cr3']. */
  via?: string[];
  /** Named pieces the fix template uses ($PTR, $VAL, $ARG0...). */
  captures: Record<string, Capture>;
  /** Found inside a tree-sitter ERROR node, or in a top-level item (function, declaration) that needed error recovery. */
  recovered: boolean;
  language: 'c' | 'asm';
  /** Stable across line moves (baseline.ts); set when a scan reports the finding. */
  fingerprint?: string;
  /** Only in a scan that keeps every branch: the site is in code the configuration does not compile, or in an existing port (#ifdef XEN). */
  branch?: 'dead' | 'ported';
}

/** What an edit turned the site into, for the manifest and the report. */
export type EditKind = 'hypercall' | 'mask' | 'breakpoint' | 'xenify';

/** One replacement of original bytes [startByte, endByte) by `replacement`. */
export interface Edit {
  file: string;
  startByte: number;
  endByte: number;
  replacement: string;
  ruleId: string;
  kind?: EditKind;
  /** ORIGINAL file:line of the site, as the breakpoint stub reports it. */
  where?: string;
  /** Shown to the user when the site keeps a breakpoint under hypercall mode. */
  message?: string;
}

export type XenAction = 'hypercall' | 'mask' | 'leave' | 'breakpoint';
export type FixMode = 'breakpoint' | 'hypercall';

export interface FixSpec {
  xen: XenAction;
  breakpoint: string;
  hypercall?: string;
  /** Templates used when the site is in an assembly file. */
  breakpointAsm: string;
  hypercallAsm?: string;
}

/** An AT&T instruction pattern; regexes are anchored and case-insensitive. */
export interface AsmPattern {
  /** Base mnemonics; AT&T size suffixes (b/w/l/q) and 'd' forms are accepted. */
  mnemonic?: string[];
  /** Exact mnemonics, no suffix folding. */
  exact?: string[];
  /** Regex the AT&T source (first) operand must match. */
  src?: string;
  /** Regex the AT&T destination (last) operand must match. */
  dst?: string;
  /** Regex any operand must match. */
  operand?: string;
  /** Regex an identifier in any operand (or a .set/#define value) must match. */
  symbol?: string;
}

export interface QueryMatch {
  query: string;
  /** Capture naming the site; default: the first capture of each match. */
  site?: string;
  /** Skip sites that are the name being defined (#define X, declarator names). */
  skipDefinitions: boolean;
}

export interface PteMatch {
  kind: 'write' | 'read';
  /** Entry types; typedefs of these (and pointers to them) follow. */
  types: string[];
  /** Helpers that store through their first argument (globs allowed). */
  helpers: string[];
  /** Block-memory routines: name -> index of the destination argument. */
  blockOps: Record<string, number>;
  /** For reads: masks that extract a frame address from an entry. */
  masks: string[];
  /** For reads: functions whose argument is a physical address. */
  addressSinks: string[];
  /**
   * Writes to a member of a table element (`gdt[i].sd = d`, `dp->sd.sd_type = t`):
   * 'whole' when the member is itself of one of the types (the element rewritten
   * whole), 'part' when it is a piece of one; unset: members are not table memory.
   */
  tableFields?: 'whole' | 'part';
  /** Calls that zero a page (pmap_zero_page) found where that page then becomes a page table. */
  tablePages?: string[];
}

export interface WrapperMatch {
  /** Instruction rule ids; a wrapper matches when it runs any of them... */
  any: string[];
  /** ...and all of these. */
  all: string[];
  /** A function with more statements than this is not a thin wrapper. */
  maxStatements: number;
}

export interface VaHoleMatch {
  min: number;
  max: number;
  /** Macro names never treated as addresses (masks and the like). */
  ignoreNames?: string;
}

export interface ConsoleMatch {
  /** Where console output starts (printf). */
  entry: string[];
  /** 'routine': calls to the low-level output routine; 'port-io': port I/O under it. */
  part: 'routine' | 'port-io';
  /** Instruction rule ids that count as port I/O. */
  portIo: string[];
}

export interface RuleMatch {
  asm?: AsmPattern;
  c?: QueryMatch;
  pte?: PteMatch;
  wrapper?: WrapperMatch;
  vaHole?: VaHoleMatch;
  console?: ConsoleMatch;
}

export interface Snippet {
  lang: 'c' | 'asm';
  code: string;
}

export interface FixTest {
  lang: 'c' | 'asm';
  mode: FixMode;
  before: string;
  after: string;
}

export interface RuleTests {
  match: Snippet[];
  noMatch: Snippet[];
  fix: FixTest[];
}

export interface Rule {
  id: string;
  category: Category;
  severity: Severity;
  message: string;
  match: RuleMatch;
  fix: FixSpec;
  docs: string;
  tests: RuleTests;
  /** Where the rule was defined, for error messages and `rules explain`. */
  source: { file: string; line: number };
}

export interface RuleSet {
  rules: Rule[];
  /** Hash of the rule files' contents; part of the cache key. */
  hash: string;
}
