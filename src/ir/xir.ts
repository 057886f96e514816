/*
 * XIR: the binary encoding of IR instructions (docs/xir-elf.md). User programs carry
 * their code in guest memory in this form; the engine fetches and decodes it at
 * `eip` (src/emulate/user-code.ts). One encoded instruction is an opcode byte, a few
 * fixed fields and operands; its length depends only on the instruction's shape and
 * operand kinds, never on values, so a linker can lay code out before it knows
 * addresses.
 *
 * A function's temps live in a frame on the guest stack (the user-mode calling
 * convention): parameters at [ebp + 8 + k], the others at negative offsets, laid out
 * by frameLayout(). A temp operand is its ebp-relative offset. A function starts
 * with ENTER (push ebp; ebp = esp; esp -= frame size); a call is CALL (push the
 * arguments and the address of the CRET that follows it, jump) then CRET (pop the
 * arguments, fetch the result). Branch targets are relative to the branch's own
 * address. A global operand is a constant in a linked program, a symbol index in
 * the object form (xir-module.ts), where constants keep their exact value.
 *
 * Invariants: every IR instruction encodes to exactly one XIR instruction (a call to
 * CALL + CRET, not counted as two); ENTER and CRET are not IR instructions. The
 * numbering of opcodes, operators, registers and intrinsics below is the format:
 * append, never reorder. This file holds the format's tables, the frame layout and
 * the decoder; the encoder is xir-encode.ts.
 */
import type { BinaryOp, CompareCond, IntrinsicName, IRFunction, IRType, LoadOp, RegName, StoreOp, UnaryOp } from './types.js';
import { argSize, BINARY_OPS, COMPARE_CONDS, INTRINSICS, LOAD_OPS, REGISTERS, STORE_OPS, UNARY_OPS } from './types.js';

export const OP = {
  binary: 0x01, compare: 0x02, unary: 0x03, load: 0x04, store: 0x05, alloc: 0x06, vastart: 0x07, call: 0x08, cret: 0x09,
  rdreg: 0x0a, wrreg: 0x0b, intr: 0x0c, hypercall: 0x0d, trap: 0x0e, jmp: 0x10, jnz: 0x11, ret: 0x12, iret: 0x13, unreachable: 0x14, enter: 0x20,
} as const;

/** Operand tags. */
export const T_W = 0x01; // int32 constant
export const T_L = 0x02; // int64 constant
export const T_TEMP = 0x03; // int32 frame offset
export const T_SYM = 0x04; // uint32 symbol index, int32 offset (object form)
export const T_BIG = 0x05; // uint8 n, n bytes of two's complement (object form: exact constants)

// Fixed numberings (the format). Checked against the IR's tables at load.
export const BIN: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'udiv', 'rem', 'urem', 'and', 'or', 'xor', 'shl', 'shr', 'sar'];
export const CMP: readonly CompareCond[] = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];
export const UN: readonly UnaryOp[] = ['copy', 'neg', 'not', 'extsb', 'extub', 'extsh', 'extuh', 'extsw', 'extuw', 'trunc'];
export const LD: readonly LoadOp[] = ['loadw', 'loadl', 'loadsh', 'loaduh', 'loadsb', 'loadub'];
export const STR: readonly StoreOp[] = ['storeb', 'storeh', 'storew', 'storel'];
export const REG: readonly RegName[] = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eflags', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'];
export const INTR: readonly IntrinsicName[] = [
  'cli', 'sti', 'hlt', 'pushf', 'popf', 'int', 'int3', 'lcr0', 'lcr3', 'lcr4', 'rcr0', 'rcr2', 'rcr3', 'rcr4', 'lmsw', 'smsw', 'clts',
  'rddr', 'lddr', 'invlpg', 'invd', 'wbinvd', 'lidt', 'lgdt', 'sidt', 'sgdt', 'lldt', 'sldt', 'ltr', 'str', 'lar', 'lsl', 'verr', 'verw',
  'inb', 'inw', 'inl', 'outb', 'outw', 'outl', 'cpuid', 'rdmsr', 'wrmsr', 'rdpmc', 'rdtsc', 'bsf', 'bsr', 'bswap',
  'sys_write', 'sys_read', 'sys_exit', 'sys_sbrk',
];
for (const [mine, ir] of [[BIN, BINARY_OPS], [CMP, COMPARE_CONDS], [UN, UNARY_OPS], [LD, LOAD_OPS], [STR, STORE_OPS], [REG, REGISTERS], [INTR, Object.keys(INTRINSICS)]] as const)
  if (mine.length !== ir.length || (ir as readonly string[]).some((n) => !(mine as readonly string[]).includes(n))) throw new Error('internal error: XIR tables do not cover the IR');

/** A decoded operand: a constant (exact), a frame offset, or a symbol (object form). */
export type XOperand = { kind: 'const'; value: bigint } | { kind: 'temp'; offset: number } | { kind: 'sym'; index: number; offset: number };

/** A decoded XIR instruction; `dst` is a frame offset. */
export type XInstr =
  | { op: 'binary'; bin: BinaryOp; type: IRType; dst: number; a: XOperand; b: XOperand }
  | { op: 'compare'; cond: CompareCond; argType: IRType; dst: number; a: XOperand; b: XOperand }
  | { op: 'unary'; un: UnaryOp; type: IRType; dst: number; a: XOperand }
  | { op: 'load'; load: LoadOp; type: IRType; dst: number; addr: XOperand }
  | { op: 'store'; store: StoreOp; value: XOperand; addr: XOperand }
  | { op: 'alloc'; dst: number; size: XOperand; align: number }
  | { op: 'vastart'; dst: number; offset: number }
  | { op: 'call'; args: { type: IRType; value: XOperand }[]; callee: XOperand }
  | { op: 'cret'; argBytes: number; dst?: number; type?: IRType }
  | { op: 'rdreg'; reg: RegName; dst: number }
  | { op: 'wrreg'; reg: RegName; value: XOperand }
  | { op: 'intr'; name: IntrinsicName; dst?: number; args: XOperand[] }
  | { op: 'hypercall' }
  | { op: 'trap'; message: string }
  | { op: 'jmp'; rel: number }
  | { op: 'jnz'; cond: XOperand; relT: number; relF: number }
  | { op: 'ret'; type?: IRType; value?: XOperand }
  | { op: 'iret' }
  | { op: 'unreachable' }
  | { op: 'enter'; frame: number };

/** Where each temp of a function lives, relative to ebp, and the frame's size. */
export interface FrameLayout {
  offsets: Map<string, number>;
  types: Map<string, IRType>;
  /** Bytes reserved below the saved ebp for the temps that are not parameters. */
  size: number;
  /** Bytes of fixed parameters (vastart is at ebp + 8 + paramBytes). */
  paramBytes: number;
}

/** Parameters at ebp + 8, 12, ... (cdecl); other temps by first definition at ebp - 4, - 8, ... */
export function frameLayout(fn: IRFunction): FrameLayout {
  const offsets = new Map<string, number>();
  const types = new Map<string, IRType>();
  let up = 8;
  for (const p of fn.params) {
    offsets.set(p.name, up);
    types.set(p.name, p.type);
    up += argSize(p.type);
  }
  let down = 0;
  for (const b of fn.blocks)
    for (const i of b.instrs) {
      if (!('dst' in i) || i.dst === undefined || offsets.has(i.dst)) continue;
      const t = (i as { type?: IRType }).type ?? 'w';
      down += argSize(t);
      offsets.set(i.dst, -down);
      types.set(i.dst, t);
    }
  return { offsets, types, size: down, paramBytes: up - 8 };
}

/** Bytes that are not an XIR instruction (the engine raises #UD). */
export class XirDecodeError extends Error {}

/**
 * Decodes the instruction at byte `at` of the code that `read(k)` returns bytes of
 * (k counts from the same origin; a reader may throw to stop, e.g. at a page it
 * cannot fetch). Returns the instruction and its length. Malformed bytes are an
 * XirDecodeError.
 */
export function decodeInstr(read: (k: number) => number, at: number): { x: XInstr; length: number } {
  let p = at;
  const u8 = (): number => read(p++) & 255;
  const u16 = (): number => u8() | (u8() << 8);
  const i32 = (): number => u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
  const u32 = (): number => i32() >>> 0;
  const bad = (what: string): never => {
    throw new XirDecodeError(`${what} at +${at}`);
  };
  const pick = <T>(table: readonly T[], k: number, what: string): T => table[k] ?? bad(`bad ${what} ${k}`);
  const operand = (): XOperand => {
    const tag = u8();
    switch (tag) {
      case T_W:
        return { kind: 'const', value: BigInt(i32()) };
      case T_L: {
        const lo = BigInt(u32());
        const hi = BigInt(i32());
        return { kind: 'const', value: (hi << 32n) | lo };
      }
      case T_TEMP:
        return { kind: 'temp', offset: i32() };
      case T_SYM: {
        const index = u32();
        return { kind: 'sym', index, offset: i32() };
      }
      case T_BIG: {
        const n = u8();
        if (n === 0 || n > 32) bad('bad constant');
        let v = 0n;
        for (let k = 0; k < n; k++) v |= BigInt(u8()) << BigInt(8 * k);
        return { kind: 'const', value: BigInt.asIntN(8 * n, v) };
      }
      default:
        return bad(`bad operand tag ${tag}`);
    }
  };
  const typed = (sub: number): IRType => (sub & 0x80 ? 'l' : 'w');
  const op = u8();
  let x: XInstr;
  switch (op) {
    case OP.binary: {
      const s = u8();
      x = { op: 'binary', bin: pick(BIN, s & 0x7f, 'operator'), type: typed(s), dst: i32(), a: operand(), b: operand() };
      break;
    }
    case OP.compare: {
      const s = u8();
      x = { op: 'compare', cond: pick(CMP, s & 0x7f, 'condition'), argType: typed(s), dst: i32(), a: operand(), b: operand() };
      break;
    }
    case OP.unary: {
      const s = u8();
      const un = pick(UN, s & 0x7f, 'operator');
      // The verifier's result types: a decoded program is as well typed as a verified one.
      if ((un === 'extsw' || un === 'extuw') && typed(s) !== 'l') bad(`${un} must yield l`);
      if (un === 'trunc' && typed(s) !== 'w') bad('trunc must yield w');
      x = { op: 'unary', un, type: typed(s), dst: i32(), a: operand() };
      break;
    }
    case OP.load: {
      const s = u8();
      const load = pick(LD, s & 0x7f, 'load');
      if ((load === 'loadw' && typed(s) !== 'w') || (load === 'loadl' && typed(s) !== 'l')) bad(`${load} with the wrong result type`);
      x = { op: 'load', load, type: typed(s), dst: i32(), addr: operand() };
      break;
    }
    case OP.store:
      x = { op: 'store', store: pick(STR, u8(), 'store'), value: operand(), addr: operand() };
      break;
    case OP.alloc:
      x = { op: 'alloc', dst: i32(), size: operand(), align: u32() };
      break;
    case OP.vastart:
      x = { op: 'vastart', dst: i32(), offset: i32() };
      break;
    case OP.call: {
      const n = u8();
      const args: { type: IRType; value: XOperand }[] = [];
      for (let k = 0; k < n; k++) {
        const t = u8();
        if (t > 1) bad('bad argument type');
        args.push({ type: t === 1 ? 'l' : 'w', value: operand() });
      }
      x = { op: 'call', args, callee: operand() };
      break;
    }
    case OP.cret: {
      const f = u8();
      if (f > 2) bad('bad result kind');
      const argBytes = u32();
      x = f === 0 ? { op: 'cret', argBytes } : { op: 'cret', argBytes, type: f === 1 ? 'w' : 'l', dst: i32() };
      break;
    }
    case OP.rdreg:
      x = { op: 'rdreg', reg: pick(REG, u8(), 'register'), dst: i32() };
      break;
    case OP.wrreg:
      x = { op: 'wrreg', reg: pick(REG, u8(), 'register'), value: operand() };
      break;
    case OP.intr: {
      const name = pick(INTR, u8(), 'intrinsic');
      const hasDst = u8();
      const n = u8();
      if (hasDst > 1 || n > 3) bad('bad intrinsic form');
      const args: XOperand[] = [];
      for (let k = 0; k < n; k++) args.push(operand());
      x = hasDst ? { op: 'intr', name, args, dst: i32() } : { op: 'intr', name, args };
      break;
    }
    case OP.hypercall:
      x = { op: 'hypercall' };
      break;
    case OP.trap: {
      const n = u16();
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = u8();
      x = { op: 'trap', message: new TextDecoder().decode(b) };
      break;
    }
    case OP.jmp:
      x = { op: 'jmp', rel: i32() };
      break;
    case OP.jnz:
      x = { op: 'jnz', cond: operand(), relT: i32(), relF: i32() };
      break;
    case OP.ret: {
      const f = u8();
      if (f > 2) bad('bad return kind');
      x = f === 0 ? { op: 'ret' } : { op: 'ret', type: f === 1 ? 'w' : 'l', value: operand() };
      break;
    }
    case OP.iret:
      x = { op: 'iret' };
      break;
    case OP.unreachable:
      x = { op: 'unreachable' };
      break;
    case OP.enter:
      x = { op: 'enter', frame: u32() };
      break;
    default:
      return bad(`bad opcode 0x${op.toString(16)}`);
  }
  return { x, length: p - at };
}
