/*
 * The xenoport IR as plain data. A module is a file table, data definitions and
 * functions; a function is a list of basic blocks; a block is a list of instructions
 * whose last (and only last) one is a terminator. Every instruction carries the
 * ORIGINAL source location (file index into the module's file table, 1-based line).
 *
 * Invariants (checked by the verifier, trusted elsewhere):
 * - values are 32-bit (`w`) or 64-bit (`l`) integers; a temporary has one type;
 * - names are stored WITHOUT their sigils: temps without `%`, labels without `@`,
 *   symbols without `$`;
 * - constants are bigint, written in decimal by the printer (the parser also reads
 *   0x hex and negative numbers); a `w` constant is taken modulo 2^32.
 * The text form and the semantics are specified in docs/ir.md.
 */

/** Value types: 32-bit word and 64-bit long. */
export type IRType = 'w' | 'l';

/** A source location: index into IRModule.files (1-based; 0 = no file) and a 1-based line (0 = unknown). */
export interface Loc {
  file: number;
  line: number;
}

export interface TempOperand {
  kind: 'temp';
  name: string;
}
export interface ConstOperand {
  kind: 'const';
  value: bigint;
}
/** The address of a symbol plus a byte offset; a `w` value. */
export interface GlobalOperand {
  kind: 'global';
  name: string;
  offset: number;
}
export type Operand = TempOperand | ConstOperand | GlobalOperand;

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'udiv', 'rem', 'urem', 'and', 'or', 'xor', 'shl', 'shr', 'sar'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Comparison conditions; the text form is `c<cond><argType>`, e.g. `csltw`, `cequl`. */
export const COMPARE_CONDS = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'] as const;
export type CompareCond = (typeof COMPARE_CONDS)[number];

/**
 * Unary operations. copy/neg/not keep the type. extsb/extub/extsh/extuh take a `w`
 * and produce `w` or `l`; extsw/extuw take `w` and produce `l`; trunc takes `l` and
 * produces `w`.
 */
export const UNARY_OPS = ['copy', 'neg', 'not', 'extsb', 'extub', 'extsh', 'extuh', 'extsw', 'extuw', 'trunc'] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** loadw -> w, loadl -> l, sub-word loads -> w or l (sign- or zero-extended). */
export const LOAD_OPS = ['loadw', 'loadl', 'loadsh', 'loaduh', 'loadsb', 'loadub'] as const;
export type LoadOp = (typeof LOAD_OPS)[number];

/** storeb/storeh/storew take a `w` value (low bits), storel an `l` value. */
export const STORE_OPS = ['storeb', 'storeh', 'storew', 'storel'] as const;
export type StoreOp = (typeof STORE_OPS)[number];

/** The machine register file reachable with rdreg/wrreg. */
export const REGISTERS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eflags', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;
export type RegName = (typeof REGISTERS)[number];

/**
 * Intrinsics: privileged/sensitive x86 instructions and host syscalls.
 * `args` = number of IR operands, `result` = whether it defines a temp (of type `w`).
 * Fixed-register instructions (cpuid, rdmsr, wrmsr, rdpmc, rdtsc) take no operands
 * and use the register file exactly as on x86. See docs/ir.md for each one's semantics.
 */
export const INTRINSICS = {
  // interrupts and halting
  cli: { args: 0, result: false },
  sti: { args: 0, result: false },
  hlt: { args: 0, result: false },
  pushf: { args: 0, result: false },
  popf: { args: 0, result: false },
  int: { args: 1, result: false },
  int3: { args: 0, result: false },
  // control registers
  lcr0: { args: 1, result: false },
  lcr3: { args: 1, result: false },
  lcr4: { args: 1, result: false },
  rcr0: { args: 0, result: true },
  rcr2: { args: 0, result: true },
  rcr3: { args: 0, result: true },
  rcr4: { args: 0, result: true },
  lmsw: { args: 1, result: false },
  smsw: { args: 0, result: true },
  clts: { args: 0, result: false },
  // debug registers: operand 1 is the register number 0..7
  rddr: { args: 1, result: true },
  lddr: { args: 2, result: false },
  // TLB and caches
  invlpg: { args: 1, result: false },
  invd: { args: 0, result: false },
  wbinvd: { args: 0, result: false },
  // descriptor tables; lidt/lgdt/sidt/sgdt take the address of a 6-byte pseudo-descriptor
  lidt: { args: 1, result: false },
  lgdt: { args: 1, result: false },
  sidt: { args: 1, result: false },
  sgdt: { args: 1, result: false },
  lldt: { args: 1, result: false },
  sldt: { args: 0, result: true },
  ltr: { args: 1, result: false },
  str: { args: 0, result: true },
  lar: { args: 1, result: true },
  lsl: { args: 1, result: true },
  verr: { args: 1, result: true },
  verw: { args: 1, result: true },
  // port I/O: in* take the port, out* take (value, port)
  inb: { args: 1, result: true },
  inw: { args: 1, result: true },
  inl: { args: 1, result: true },
  outb: { args: 2, result: false },
  outw: { args: 2, result: false },
  outl: { args: 2, result: false },
  // fixed-register instructions
  cpuid: { args: 0, result: false },
  rdmsr: { args: 0, result: false },
  wrmsr: { args: 0, result: false },
  rdpmc: { args: 0, result: false },
  rdtsc: { args: 0, result: false },
  // unprivileged bit helpers (bsfl/bsrl/bswap inline asm in cpufunc.h)
  bsf: { args: 1, result: true },
  bsr: { args: 1, result: true },
  bswap: { args: 1, result: true },
  // host syscalls for the user-mode libc (run mode only)
  sys_write: { args: 3, result: true },
  sys_read: { args: 3, result: true },
  sys_exit: { args: 1, result: false },
  sys_sbrk: { args: 1, result: true },
} as const;
export type IntrinsicName = keyof typeof INTRINSICS;

interface Base {
  loc: Loc;
}

/** `%dst =T op a, b` */
export interface BinaryInstr extends Base {
  kind: 'binary';
  op: BinaryOp;
  dst: string;
  type: IRType;
  a: Operand;
  b: Operand;
}
/** `%dst =w c<cond><argType> a, b` -> 1 or 0 */
export interface CompareInstr extends Base {
  kind: 'compare';
  cond: CompareCond;
  argType: IRType;
  dst: string;
  type: 'w';
  a: Operand;
  b: Operand;
}
/** `%dst =T op a` */
export interface UnaryInstr extends Base {
  kind: 'unary';
  op: UnaryOp;
  dst: string;
  type: IRType;
  a: Operand;
}
/** `%dst =T loadX addr` */
export interface LoadInstr extends Base {
  kind: 'load';
  op: LoadOp;
  dst: string;
  type: IRType;
  addr: Operand;
}
/** `storeX value, addr` */
export interface StoreInstr extends Base {
  kind: 'store';
  op: StoreOp;
  value: Operand;
  addr: Operand;
}
/** `%dst =w alloc size, align`: esp -= size, aligned down to align; dst = new esp. */
export interface AllocInstr extends Base {
  kind: 'alloc';
  dst: string;
  type: 'w';
  size: Operand;
  align: number;
}
/** `%dst =w vastart`: the address of the first variadic argument. */
export interface VaStartInstr extends Base {
  kind: 'vastart';
  dst: string;
  type: 'w';
}
export interface CallArg {
  type: IRType;
  value: Operand;
}
/** `[%dst =T] call callee(T a, ...)`: cdecl on the emulated stack. */
export interface CallInstr extends Base {
  kind: 'call';
  dst?: string;
  type?: IRType;
  callee: Operand;
  args: CallArg[];
}
/** `%dst =w rdreg REG` */
export interface RdRegInstr extends Base {
  kind: 'rdreg';
  dst: string;
  type: 'w';
  reg: RegName;
}
/** `wrreg REG, value` */
export interface WrRegInstr extends Base {
  kind: 'wrreg';
  reg: RegName;
  value: Operand;
}
/** `[%dst =w] intr NAME a, b` */
export interface IntrinsicInstr extends Base {
  kind: 'intr';
  name: IntrinsicName;
  dst?: string;
  type?: 'w';
  args: Operand[];
}
/** `hypercall`: int $0x82; number in eax, arguments in ebx, ecx, edx, esi, edi; result in eax. */
export interface HypercallInstr extends Base {
  kind: 'hypercall';
}
/** `trap "message"`: breakpoint stub; raises a breakpoint-stub fault carrying the message. */
export interface TrapInstr extends Base {
  kind: 'trap';
  message: string;
}
/** `jmp @label` */
export interface JmpInstr extends Base {
  kind: 'jmp';
  target: string;
}
/** `jnz value, @ifTrue, @ifFalse` */
export interface JnzInstr extends Base {
  kind: 'jnz';
  cond: Operand;
  ifTrue: string;
  ifFalse: string;
}
/** `ret [value]` */
export interface RetInstr extends Base {
  kind: 'ret';
  value?: Operand;
}
/** `iret`: pops eip, cs, eflags (and esp, ss on a privilege change) as x86 iret. */
export interface IretInstr extends Base {
  kind: 'iret';
}
/** `unreachable`: executing it is an invalid-opcode fault. */
export interface UnreachableInstr extends Base {
  kind: 'unreachable';
}

export type Terminator = JmpInstr | JnzInstr | RetInstr | IretInstr | UnreachableInstr;
export type Instruction =
  | BinaryInstr
  | CompareInstr
  | UnaryInstr
  | LoadInstr
  | StoreInstr
  | AllocInstr
  | VaStartInstr
  | CallInstr
  | RdRegInstr
  | WrRegInstr
  | IntrinsicInstr
  | HypercallInstr
  | TrapInstr
  | Terminator;

export const TERMINATOR_KINDS: ReadonlySet<Instruction['kind']> = new Set(['jmp', 'jnz', 'ret', 'iret', 'unreachable']);
export function isTerminator(i: Instruction): i is Terminator {
  return TERMINATOR_KINDS.has(i.kind);
}

/** A basic block: the last instruction is its terminator (the verifier checks it). */
export interface IRBlock {
  label: string;
  instrs: Instruction[];
}

export interface IRParam {
  type: IRType;
  name: string;
}

export interface IRFunction {
  name: string;
  export: boolean;
  varargs: boolean;
  params: IRParam[];
  /** undefined = returns nothing. */
  retType?: IRType;
  /** blocks[0] is the entry block. */
  blocks: IRBlock[];
}

/** One item of a data definition. */
export type DataItem =
  | { kind: 'int'; width: 'b' | 'h' | 'w' | 'l'; value: bigint }
  | { kind: 'string'; bytes: Uint8Array }
  | { kind: 'symbol'; name: string; offset: number }
  | { kind: 'zero'; size: number };

/**
 * The output section a data definition asks for (`section ".text"`). Absent: the
 * linker decides (.bss when every item is `z`, else .data).
 */
export const DATA_SECTIONS = ['.text', '.data', '.bss'] as const;
export type DataSection = (typeof DATA_SECTIONS)[number];

export interface IRData {
  name: string;
  export: boolean;
  /** A power of two, >= 1. */
  align: number;
  /** Absent when the text form has no `section` attribute. */
  section?: DataSection;
  items: DataItem[];
}

/**
 * `abs [export] $NAME = INTEGER`: a symbol whose "address" is a constant (GAS `.set`
 * of a `.globl` name, e.g. locore's PTmap). `$NAME` operands and `w $NAME` data items
 * resolve to `value` (+ offset) taken modulo 2^32.
 */
export interface IRAbsolute {
  name: string;
  export: boolean;
  value: bigint;
}

export interface IRModule {
  /** A name for messages (usually the source file); not part of the text form. */
  name: string;
  /** files[i] is file index i+1 (`file 1 "path"`). */
  files: string[];
  /**
   * Absolute symbols. Absent when the module has none (the parser then leaves the
   * key out, so modules written before absolutes existed round-trip unchanged).
   */
  absolutes?: IRAbsolute[];
  data: IRData[];
  funcs: IRFunction[];
}

/** Byte size of a data item. */
export function dataItemSize(it: DataItem): number {
  switch (it.kind) {
    case 'int':
      return { b: 1, h: 2, w: 4, l: 8 }[it.width];
    case 'string':
      return it.bytes.length;
    case 'symbol':
      return 4;
    case 'zero':
      return it.size;
  }
}

/** Byte size of a whole data definition (no trailing padding). */
export function dataSize(d: IRData): number {
  let n = 0;
  for (const it of d.items) n += dataItemSize(it);
  return n;
}

/** Stack bytes a value of this type takes as a cdecl argument. */
export function argSize(t: IRType): number {
  return t === 'l' ? 8 : 4;
}
