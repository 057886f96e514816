/*
 * The linked image: what the linker produces and the engine loads. Plain data plus
 * free functions (no methods), so a test can build or inspect one by hand.
 *
 * Invariants: sections do not overlap and are page aligned; .text holds the data
 * definitions placed there (`section ".text"`) and then the functions; `functions` is sorted by
 * address; every instruction of function f has the code address f.addr + index, index
 * counting instructions across f's blocks in order (docs/ir.md, "Code addresses").
 */
import type { Instruction, IRFunction, IRModule, Loc } from './types.js';

export interface ImageSection {
  name: '.text' | '.data' | '.bss';
  /** Virtual address of the first byte. */
  vaddr: number;
  /** Physical (load) address of the first byte. */
  paddr: number;
  size: number;
  /**
   * Initial contents (.bss has an empty array). .text holds its data (definitions
   * with `section ".text"`, first) and 0xcc for the bytes of functions, which have
   * one address per IR instruction but no machine code.
   */
  bytes: Uint8Array;
}

export interface ImageSymbol {
  name: string;
  /** The module (IRModule.name) that defines it; LINKER_MODULE for symbols the linker provides (etext, edata, end). */
  module: string;
  /** 'abs': an IR `abs` definition; `addr` is its value and it occupies no memory. */
  kind: 'func' | 'data' | 'abs';
  addr: number;
  size: number;
  exported: boolean;
  /** '*ABS*' for absolute symbols (as nm/objdump spell it). */
  section: ImageSection['name'] | '*ABS*';
}

/** The module name of the symbols the linker itself defines (ld script symbols such as etext, edata, end). */
export const LINKER_MODULE = '<linker>';

export interface ImageFunction {
  name: string;
  module: string;
  /** Code address of the first instruction (16-byte aligned). */
  addr: number;
  /** Number of instructions (>= 1): the function occupies [addr, addr + size). */
  size: number;
  fn: IRFunction;
  /** The defining module's file table (loc.file n -> files[n - 1]). */
  files: string[];
  exported: boolean;
  /** Address of every symbol the function refers to, by name (already resolved). */
  refs: Map<string, number>;
  /** Instruction index of each block's first instruction. */
  blockStarts: number[];
}

export interface LinkedImage {
  kind: 'kernel' | 'program';
  /** Virtual address of the entry function, and its name. */
  entry: number;
  entryName: string;
  /** Virtual and physical load addresses (start of .text). */
  vbase: number;
  pbase: number;
  /** One past the last byte of the image (end of .bss), virtual. */
  vend: number;
  sections: ImageSection[];
  symbols: ImageSymbol[];
  functions: ImageFunction[];
  modules: IRModule[];
}

/** What a code address maps back to. */
export interface CodeLocation {
  func: ImageFunction;
  block: string;
  /** Index of the instruction in the function (address - func.addr). */
  index: number;
  instr: Instruction;
  loc: Loc;
  /** "file:line" of the original source, or "?" when the IR has no location. */
  where: string;
}

/** The function containing `addr` (binary search), or undefined. */
export function functionAt(img: LinkedImage, addr: number): ImageFunction | undefined {
  const a = addr >>> 0;
  const fs = img.functions;
  let lo = 0;
  let hi = fs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fs[mid]!;
    if (a < f.addr >>> 0) hi = mid - 1;
    else if (a >= (f.addr >>> 0) + f.size) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/** Instruction `index` of a function (blocks flattened in order). */
export function instructionAt(f: ImageFunction, index: number): { block: string; instr: Instruction } | undefined {
  for (let k = f.blockStarts.length - 1; k >= 0; k--) {
    if (index >= f.blockStarts[k]!) {
      const b = f.fn.blocks[k]!;
      const instr = b.instrs[index - f.blockStarts[k]!];
      return instr ? { block: b.label, instr } : undefined;
    }
  }
  return undefined;
}

/** Maps a code address to (function, block, instruction, source location); undefined if none. */
export function lookupCode(img: LinkedImage, addr: number): CodeLocation | undefined {
  const f = functionAt(img, addr);
  if (!f) return undefined;
  const index = (addr >>> 0) - (f.addr >>> 0);
  const at = instructionAt(f, index);
  if (!at) return undefined;
  const loc = at.instr.loc;
  const file = loc.file > 0 ? f.files[loc.file - 1] : undefined;
  return { func: f, block: at.block, index, instr: at.instr, loc, where: file ? `${file}:${loc.line}` : '?' };
}

/** The exported (or else first) symbol named `name`. */
export function findSymbol(img: LinkedImage, name: string): ImageSymbol | undefined {
  return img.symbols.find((s) => s.name === name && s.exported) ?? img.symbols.find((s) => s.name === name);
}

/** The symbol whose [addr, addr + size) contains `addr` ("name+off" for reports); absolute symbols are not places. */
export function symbolAt(img: LinkedImage, addr: number): { sym: ImageSymbol; offset: number } | undefined {
  const a = addr >>> 0;
  for (const s of img.symbols) {
    if (s.kind === 'abs') continue;
    const b = s.addr >>> 0;
    if (a >= b && a < b + Math.max(1, s.size)) return { sym: s, offset: a - b };
  }
  return undefined;
}
