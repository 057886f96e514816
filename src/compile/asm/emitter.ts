/*
 * What every instruction's lowering works with: the emitter for one IR function of
 * an assembly file. It holds the per-block state (cached registers, the symbolic
 * flags record, the static direction flag), turns assembly values and operands into
 * IR operands, and reads and writes places (registers with their 8/16-bit parts,
 * memory, immediates) and the emulated stack.
 *
 * Invariants: the register file is write-through (every `wr` is a `wrreg`); the cache
 * in `s.regs` only saves re-reading it and is dropped (clobber) whenever something
 * else may have changed registers. Values are `w`; 8/16-bit values are zero-extended.
 * The flags record (`s.flags`) is read and written by flags.ts.
 *
 * The instruction handlers (data-insns.ts, system-insns.ts, string-insns.ts) are
 * functions of an emitter and one InsnSite; FunctionLowering, the subclass that owns
 * the blocks, dispatches to them.
 */
import { global as globalOp, konst, type CompareCond, type FunctionBuilder, type IntrinsicName, type Operand, type RegName } from '../../ir/index.js';
import type { Flags } from './flags.js';
import type { Decoded, Size } from './isa.js';
import type { AsmLowering, Insn } from './lower.js';
import { NAME_RE, relocOffset, type Val } from './value.js';
import { asmError, type AsmLoc, type AsmOperand, type Expr, type MemOperand, type Reg32, type RegOperand } from './ast.js';

/** What is known at a point of the code: cached registers, flags, direction flag. */
export interface State {
  regs: Map<Reg32, Operand>;
  flags: Flags;
  /** Direction flag when known statically. */
  df: 0 | 1 | undefined;
}

export const freshState = (why: string): State => ({ regs: new Map(), flags: { kind: 'unknown', why }, df: undefined });
export const copyState = (s: State): State => ({ regs: new Map(s.regs), flags: s.flags, df: s.df });

/** Where an operand lives once its address is computed. */
export type Place =
  | { kind: 'gpr'; reg: RegOperand & { class: 'gpr' } }
  | { kind: 'mem'; addr: Operand }
  | { kind: 'imm'; value: Operand };

/** %al, %ax or %eax: the fixed operand of in/out and the string instructions. */
export function accumulator(size: Size): RegOperand & { class: 'gpr' } {
  const name = size === 1 ? 'al' : size === 2 ? 'ax' : 'eax';
  return { kind: 'reg', class: 'gpr', name, base: 'eax', size, high: false };
}

/** One instruction as its lowering sees it. */
export interface InsnSite {
  st: Insn;
  mn: string;
  d: Decoded;
  ops: AsmOperand[];
  /** Its index in the file's code list. */
  idx: number;
  /** A rep/repe/repne prefix, if any. */
  rep: string | undefined;
  /** Checks the operand count (a CompileError naming the counts allowed). */
  nops(...ns: number[]): void;
  /** The operand size: the suffix's, else the first general register's among cands. */
  sizeOf(...cands: AsmOperand[]): Size;
}

/** Lowers one instruction that does not end its block. */
export type InsnHandler = (e: AsmEmitter, x: InsnSite) => void;

/** A handler table entry for each of several mnemonics. */
export function handle(names: string[], h: InsnHandler): [string, InsnHandler][] {
  return names.map((n) => [n, h]);
}

export class AsmEmitter {
  /** The state at the current instruction (replaced at every block start). */
  s: State = freshState('');
  loc!: AsmLoc;

  constructor(
    readonly L: AsmLowering,
    readonly fb: FunctionBuilder,
  ) {}

  setLoc(loc: AsmLoc): void {
    this.loc = loc;
    this.fb.setLoc(this.L.fileIndex(loc), loc.line);
  }

  /** A CompileError at the current instruction. */
  err(msg: string): never {
    throw asmError(msg, this.loc);
  }

  /** An assembly-time value as an operand of `size` bytes (symbols only as 32-bit addresses). */
  val(v: Val, size: Size = 4): Operand {
    if (v.sym !== undefined) {
      if (size !== 4) this.err(`the address of ${v.sym} does not fit in ${size * 8} bits`);
      if (!NAME_RE.test(v.sym)) this.err(`symbol name '${v.sym}' cannot be represented in the IR`);
      if (this.L.codeLabels.has(v.sym) && !this.L.entries.has(v.sym)) this.err(`the address of code label ${v.sym} is used but it is not a function entry`);
      return globalOp(v.sym, relocOffset(v.off));
    }
    return konst(BigInt.asUintN(size * 8, v.off));
  }

  /** Evaluates an expression with the file's .set symbols. */
  ev(e: Expr): Val {
    return this.L.evalVal(e, this.loc);
  }

  /** A 32-bit register's value (cached within the block). */
  rd(r: Reg32): Operand {
    const c = this.s.regs.get(r);
    if (c) return c;
    const t = this.fb.rdreg(r as RegName);
    this.s.regs.set(r, t);
    return t;
  }

  wr(r: Reg32, v: Operand): void {
    this.fb.wrreg(r as RegName, v);
    this.s.regs.set(r, v);
  }

  /** Forget cached registers (after calls, intrinsics and at block starts). */
  clobber(): void {
    this.s.regs.clear();
  }

  /** A 32-bit binary operation, folded when both sides are constants or it is an identity. */
  bin(op: Parameters<FunctionBuilder['binary']>[0], a: Operand, b: Operand): Operand {
    if (a.kind === 'const' && b.kind === 'const') {
      const x = BigInt.asUintN(32, a.value);
      const y = BigInt.asUintN(32, b.value);
      const fold: Partial<Record<string, bigint>> = { add: x + y, sub: x - y, and: x & y, or: x | y, xor: x ^ y, mul: x * y };
      if (fold[op] !== undefined) return konst(BigInt.asUintN(32, fold[op]!));
    }
    const same = a.kind === 'temp' && b.kind === 'temp' && a.name === b.name;
    if ((op === 'xor' || op === 'sub') && same) return konst(0);
    if ((op === 'and' || op === 'or') && same) return a;
    if (a.kind === 'const' && BigInt.asUintN(32, a.value) === 0n && (op === 'add' || op === 'or' || op === 'xor')) return b;
    if (b.kind === 'const' && BigInt.asUintN(32, b.value) === 0n && (op === 'add' || op === 'sub' || op === 'or' || op === 'xor')) return a;
    return this.fb.binary(op, 'w', a, b);
  }

  mask(v: Operand, size: Size): Operand {
    return size === 4 ? v : this.bin('and', v, konst(size === 1 ? 0xff : 0xffff));
  }

  sext(v: Operand, size: Size): Operand {
    return size === 4 ? v : this.fb.unary(size === 1 ? 'extsb' : 'extsh', 'w', v);
  }

  cmp(c: CompareCond, a: Operand, b: Operand): Operand {
    return this.fb.compare(c, 'w', a, b);
  }

  addrOf(m: MemOperand): Operand {
    if (m.seg === 'fs' || m.seg === 'gs') this.err(`segment override %${m.seg}: the IR memory model is flat (no segment bases)`);
    let a: Operand | undefined = m.disp ? this.val(this.ev(m.disp)) : undefined;
    if (m.base) a = a ? this.bin('add', a, this.rd(m.base)) : this.rd(m.base);
    if (m.index) {
      const x = this.rd(m.index);
      const sx = m.scale === 1 ? x : this.bin('shl', x, konst(Math.log2(m.scale)));
      a = a ? this.bin('add', a, sx) : sx;
    }
    return a ?? konst(0);
  }

  /** Where an operand of `size` bytes lives; `what` names it in errors. */
  place(op: AsmOperand, size: Size, what: string): Place {
    switch (op.kind) {
      case 'reg':
        if (op.class !== 'gpr') this.err(`${what}: %${op.name} is not allowed here`);
        if (op.size !== size) this.err(`${what}: %${op.name} is ${op.size * 8}-bit, the instruction is ${size * 8}-bit`);
        return { kind: 'gpr', reg: op };
      case 'mem':
        return { kind: 'mem', addr: this.addrOf(op) };
      case 'expr':
        return { kind: 'mem', addr: this.val(this.ev(op.expr)) };
      case 'imm':
        return { kind: 'imm', value: this.val(this.ev(op.expr), size) };
      case 'indirect':
        return this.err(`${what}: an indirect operand '*...' is only allowed in jmp/call`);
    }
  }

  read(p: Place, size: Size): Operand {
    switch (p.kind) {
      case 'imm':
        return p.value;
      case 'mem':
        return this.fb.load(size === 1 ? 'loadub' : size === 2 ? 'loaduh' : 'loadw', 'w', p.addr);
      case 'gpr': {
        const full = this.rd(p.reg.base);
        if (size === 4) return full;
        if (p.reg.high) return this.bin('and', this.bin('shr', full, konst(8)), konst(0xff));
        return this.mask(full, size);
      }
    }
  }

  /** Writes the low `size` bytes of v; a sub-register write merges into its 32-bit register. */
  write(p: Place, size: Size, v: Operand): void {
    switch (p.kind) {
      case 'imm':
        return this.err('an immediate cannot be a destination');
      case 'mem':
        this.fb.store(size === 1 ? 'storeb' : size === 2 ? 'storeh' : 'storew', v, p.addr);
        return;
      case 'gpr': {
        if (size === 4) return this.wr(p.reg.base, v);
        const full = this.rd(p.reg.base);
        let keep: number;
        let part: Operand;
        if (p.reg.high) {
          keep = 0xffff00ff;
          part = this.bin('shl', this.mask(v, 1), konst(8));
        } else {
          keep = size === 1 ? 0xffffff00 : 0xffff0000;
          part = this.mask(v, size);
        }
        this.wr(p.reg.base, this.bin('or', this.bin('and', full, konst(keep)), part));
      }
    }
  }

  readOp(op: AsmOperand, size: Size, what = 'operand'): Operand {
    return this.read(this.place(op, size, what), size);
  }

  push(v: Operand, size: 2 | 4 = 4): void {
    const sp = this.bin('sub', this.rd('esp'), konst(size));
    this.fb.store(size === 2 ? 'storeh' : 'storew', v, sp);
    this.wr('esp', sp);
  }

  pop(size: 2 | 4 = 4): Operand {
    const sp = this.rd('esp');
    const v = this.fb.load(size === 2 ? 'loaduh' : 'loadw', 'w', sp);
    this.wr('esp', this.bin('add', sp, konst(size)));
    return v;
  }

  intr(name: IntrinsicName, args: Operand[]): Operand | undefined {
    return this.fb.intr(name, args);
  }
}
