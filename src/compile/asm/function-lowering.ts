/*
 * One IR function from one entry of an assembly file: the closure of the code
 * reachable from the entry, lowered block by block, instruction by instruction. The
 * scheme (registers, flags, cross-entry jumps, control transfers the IR lacks) is
 * described at the top of lower.ts.
 */
import type { FunctionBuilder } from '../../ir/index.js';
import {
  ModuleBuilder,
  global as globalOp,
  konst,
  temp,
  type CompareCond,
  type IntrinsicName,
  type Operand,
  type RegName,
} from '../../ir/index.js';
import { decode, type Bit, type CC, type Size } from './isa.js';
import type { AsmLowering, Insn } from './lower.js';
import { MIB, NAME_RE, relocOffset, type Val } from './value.js';
import { asmError, REG32, type AsmLoc, type AsmOperand, type Expr, type MemOperand, type Reg32, type RegOperand } from './syntax.js';

// ---------------------------------------------------------------------------
// Flags

type Flags =
  | { kind: 'unknown'; why: string }
  /** r = a - b; carry=false for inc/dec (CF untouched). */
  | { kind: 'sub'; op: string; size: Size; a: Operand; b: Operand; r?: Operand; carry: boolean }
  | { kind: 'add'; op: string; size: Size; a: Operand; b: Operand; r: Operand }
  | { kind: 'logic'; op: string; size: Size; r: Operand }
  /** Only ZF and SF are known. */
  | { kind: 'result'; op: string; size: Size; r: Operand }
  /** Only ZF is known: z is 1 when ZF is set. */
  | { kind: 'zf'; op: string; z: Operand }
  /** Flag bits (0/1) materialized in the function's fixed temps %fl.zf, %fl.cf, ... (at labels). */
  | { kind: 'bits'; op: string; bits: Partial<Record<Bit, Operand>> };


interface State {
  regs: Map<Reg32, Operand>;
  flags: Flags;
  /** Direction flag when known statically. */
  df: 0 | 1 | undefined;
}

const freshState = (why: string): State => ({ regs: new Map(), flags: { kind: 'unknown', why }, df: undefined });
const copyState = (s: State): State => ({ regs: new Map(s.regs), flags: s.flags, df: s.df });

// ---------------------------------------------------------------------------

type Place =
  | { kind: 'gpr'; reg: RegOperand & { class: 'gpr' } }
  | { kind: 'mem'; addr: Operand }
  | { kind: 'imm'; value: Operand };

export class FunctionLowering {
  readonly fb: FunctionBuilder;
  readonly done = new Set<number>();
  private readonly work: { idx: number; state: State }[] = [];
  private s: State = freshState('');
  private loc!: AsmLoc;

  constructor(
    readonly L: AsmLowering,
    readonly entry: string,
    mb: ModuleBuilder,
  ) {
    this.fb = mb.func(entry, [], undefined, { export: L.globals.has(entry) });
  }

  /** Lowers the entry's closure; returns the code indices of the blocks lowered. */
  lower(): Set<number> {
    const start = this.L.codeLabels.get(this.entry)!;
    this.work.push({ idx: start, state: this.labelState(start) });
    while (this.work.length) {
      const { idx, state } = this.work.shift()!;
      if (this.done.has(idx)) continue;
      this.done.add(idx);
      this.lowerBlock(idx, state);
    }
    return this.done;
  }

  private blockName(idx: number): string {
    const ls = this.L.labelsAt.get(idx);
    return ls ? ls[0] : `i.${idx}`;
  }

  /** The IR label of the block at code index idx, queued for lowering. */
  private target(idx: number, state?: State): string {
    if (!this.done.has(idx)) {
      const labelled = this.L.labelsAt.has(idx);
      this.work.push({ idx, state: labelled || !state ? this.labelState(idx) : state });
    }
    return this.blockName(idx);
  }

  /** The state at a label: flags that are read there come from the %fl.* temps every edge fills. */
  private labelState(idx: number): State {
    const name = this.blockName(idx);
    const st = freshState(`at label ${name}`);
    const need = this.L.needIn[idx] ?? new Set<Bit>();
    if (need.size && idx !== this.L.codeLabels.get(this.entry))
      st.flags = { kind: 'bits', op: `flags live at label ${name}`, bits: Object.fromEntries([...need].map((b) => [b, temp(`fl.${b}`)])) };
    else if (need.size) st.flags = { kind: 'unknown', why: `at the entry of function ${this.entry}` };
    return st;
  }

  private setLoc(loc: AsmLoc): void {
    this.loc = loc;
    this.fb.setLoc(this.L.fileIndex(loc), loc.line);
  }

  private err(msg: string): never {
    throw asmError(msg, this.loc);
  }

  private lowerBlock(idx: number, state: State): void {
    this.s = state;
    this.fb.block(this.blockName(idx));
    for (let j = idx; ; j++) {
      if (j > idx && this.L.labelsAt.has(j)) {
        this.materialize(this.edgeNeeds(j), `falling through to ${this.blockName(j)}`);
        this.fb.jmp(this.target(j));
        return;
      }
      const it = this.L.code[j];
      if (!it || it.kind === 'barrier') {
        if (it) this.setLoc(it.loc);
        this.fb.unreachable();
        return;
      }
      this.setLoc(it.stmt.loc);
      if (this.insn(it.stmt, j)) return;
    }
  }

  // ---- values ----

  private val(v: Val, size: Size = 4): Operand {
    if (v.sym !== undefined) {
      if (size !== 4) this.err(`the address of ${v.sym} does not fit in ${size * 8} bits`);
      if (!NAME_RE.test(v.sym)) this.err(`symbol name '${v.sym}' cannot be represented in the IR`);
      if (this.L.codeLabels.has(v.sym) && !this.L.entries.has(v.sym)) this.err(`the address of code label ${v.sym} is used but it is not a function entry`);
      return globalOp(v.sym, relocOffset(v.off));
    }
    return konst(BigInt.asUintN(size * 8, v.off));
  }

  private ev(e: Expr): Val {
    return this.L.evalVal(e, this.loc);
  }

  private rd(r: Reg32): Operand {
    const c = this.s.regs.get(r);
    if (c) return c;
    const t = this.fb.rdreg(r as RegName);
    this.s.regs.set(r, t);
    return t;
  }

  private wr(r: Reg32, v: Operand): void {
    this.fb.wrreg(r as RegName, v);
    this.s.regs.set(r, v);
  }

  /** Forget cached registers (after calls, intrinsics and at block starts). */
  private clobber(): void {
    this.s.regs.clear();
  }

  private bin(op: Parameters<FunctionBuilder['binary']>[0], a: Operand, b: Operand): Operand {
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

  private mask(v: Operand, size: Size): Operand {
    return size === 4 ? v : this.bin('and', v, konst(size === 1 ? 0xff : 0xffff));
  }

  private sext(v: Operand, size: Size): Operand {
    return size === 4 ? v : this.fb.unary(size === 1 ? 'extsb' : 'extsh', 'w', v);
  }

  private cmp(c: CompareCond, a: Operand, b: Operand): Operand {
    return this.fb.compare(c, 'w', a, b);
  }

  private addrOf(m: MemOperand): Operand {
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

  private place(op: AsmOperand, size: Size, what: string): Place {
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

  private read(p: Place, size: Size): Operand {
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

  private write(p: Place, size: Size, v: Operand): void {
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

  private readOp(op: AsmOperand, size: Size, what = 'operand'): Operand {
    return this.read(this.place(op, size, what), size);
  }

  private push(v: Operand, size: 2 | 4 = 4): void {
    const sp = this.bin('sub', this.rd('esp'), konst(size));
    this.fb.store(size === 2 ? 'storeh' : 'storew', v, sp);
    this.wr('esp', sp);
  }

  private pop(size: 2 | 4 = 4): Operand {
    const sp = this.rd('esp');
    const v = this.fb.load(size === 2 ? 'loaduh' : 'loadw', 'w', sp);
    this.wr('esp', this.bin('add', sp, konst(size)));
    return v;
  }

  private intr(name: IntrinsicName, args: Operand[]): Operand | undefined {
    const r = this.fb.intr(name, args);
    return r;
  }

  // ---- flags ----

  /** One flag bit (0/1) from the current record; a CompileError naming `mn` when it is not modelled. */
  private flagBit(bit: Bit, mn: string): Operand {
    const f = this.s.flags;
    const bad = (why: string): never => this.err(`${mn}: ${why}`);
    if (f.kind === 'unknown') return bad(`the condition flags are not known here (${f.why}); set them with cmp/test before`);
    if (f.kind === 'bits') return f.bits[bit] ?? bad(`${bit.toUpperCase()} is not known at this point (${f.op})`);
    if (f.kind === 'zf') return bit === 'zf' ? f.z : bad(`after ${f.op} only ZF is known`);
    const size = f.size;
    const bits = size * 8;
    const signBit = (x: Operand): Operand => (size === 4 ? this.cmp('slt', x, konst(0)) : this.bin('shr', x, konst(bits - 1)));
    const r = f.kind === 'sub' ? (f.r ??= this.mask(this.bin('sub', f.a, f.b), size)) : f.r;
    switch (bit) {
      case 'zf':
        return f.kind === 'sub' ? this.cmp('eq', f.a, f.b) : this.cmp('eq', r, konst(0));
      case 'sf':
        return signBit(r);
      case 'cf':
        if (f.kind === 'logic') return konst(0);
        if (f.kind === 'add') return this.cmp('ult', r, f.a);
        if (f.kind === 'sub') return f.carry ? this.cmp('ult', f.a, f.b) : bad(`${f.op} leaves the carry flag unchanged; it is not modelled`);
        return bad(`after ${f.op} the carry flag is not modelled`);
      case 'of': {
        if (f.kind === 'logic') return konst(0);
        const top = (x: Operand): Operand => this.bin('and', this.bin('shr', x, konst(bits - 1)), konst(1));
        if (f.kind === 'add') return top(this.bin('and', this.bin('xor', f.a, r), this.bin('xor', f.b, r)));
        if (f.kind === 'sub') return top(this.bin('and', this.bin('xor', f.a, f.b), this.bin('xor', f.a, r)));
        return bad(`after ${f.op} the overflow flag is not modelled`);
      }
    }
  }

  /** The value (0/1) of condition cc under the current flags. */
  private cond(cc: CC, mn: string): Operand {
    const f = this.s.flags;
    if (cc === 'p' || cc === 'np') return this.err(`${mn}: the parity flag is not modelled`);
    if (f.kind === 'unknown') return this.flagBit('zf', mn);
    const not = (x: Operand): Operand => this.bin('xor', x, konst(1));
    if (f.kind === 'sub') {
      // A direct comparison of the operands reads best.
      const { a, b, size } = f;
      const unsigned = cc === 'b' || cc === 'ae' || cc === 'be' || cc === 'a';
      if (unsigned && !f.carry) return this.err(`${mn}: ${f.op} leaves the carry flag unchanged; it is not modelled`);
      const sx = (x: Operand): Operand => this.sext(x, size);
      switch (cc) {
        case 'e': return this.cmp('eq', a, b);
        case 'ne': return this.cmp('ne', a, b);
        case 'b': return this.cmp('ult', a, b);
        case 'ae': return this.cmp('uge', a, b);
        case 'be': return this.cmp('ule', a, b);
        case 'a': return this.cmp('ugt', a, b);
        case 'l': return this.cmp('slt', sx(a), sx(b));
        case 'ge': return this.cmp('sge', sx(a), sx(b));
        case 'le': return this.cmp('sle', sx(a), sx(b));
        case 'g': return this.cmp('sgt', sx(a), sx(b));
        default:
          break;
      }
    }
    if ((f.kind === 'add' || f.kind === 'logic' || f.kind === 'result') && cc === 'ne') return this.cmp('ne', f.r, konst(0));
    const bit = (b: Bit): Operand => this.flagBit(b, mn);
    switch (cc) {
      case 'e': return bit('zf');
      case 'ne': return not(bit('zf'));
      case 's': return bit('sf');
      case 'ns': return not(bit('sf'));
      case 'b': return bit('cf');
      case 'ae': return not(bit('cf'));
      case 'be': return this.bin('or', bit('cf'), bit('zf'));
      case 'a': return not(this.bin('or', bit('cf'), bit('zf')));
      case 'o': return bit('of');
      case 'no': return not(bit('of'));
      case 'l': return this.bin('xor', bit('sf'), bit('of'));
      case 'ge': return not(this.bin('xor', bit('sf'), bit('of')));
      case 'le': return this.bin('or', this.bin('xor', bit('sf'), bit('of')), bit('zf'));
      case 'g': return not(this.bin('or', this.bin('xor', bit('sf'), bit('of')), bit('zf')));
    }
    return this.err(`${mn}: unsupported condition`);
  }

  /** Before an edge into label block idx: store the flag bits it reads into %fl.* (see computeFlagNeeds). */
  private materialize(need: Iterable<Bit>, why: string): void {
    for (const b of need) {
      const v = this.flagBit(b, why);
      if (v.kind === 'temp' && v.name === `fl.${b}`) continue;
      this.fb.copy('w', v, `fl.${b}`);
    }
  }

  private edgeNeeds(...idxs: number[]): Set<Bit> {
    const need = new Set<Bit>();
    for (const i of idxs) if (this.L.labelsAt.has(i)) for (const b of this.L.needIn[i] ?? []) need.add(b);
    return need;
  }

  // ---- instructions ----

  /** Lowers one instruction; returns true when it ended the block. */
  private insn(st: Insn, idx: number): boolean {
    const mn = st.mnemonic;
    const d = decode(mn);
    if (!d) this.err(`unknown or unsupported instruction '${mn}'`);
    const ops = st.operands;
    const nops = (...ns: number[]): void => {
      if (!ns.includes(ops.length)) this.err(`${mn} takes ${ns.join(' or ')} operand${ns.length === 1 && ns[0] === 1 ? '' : 's'}, given ${ops.length}`);
    };
    const rep = st.prefixes.find((p) => p.startsWith('rep'));
    const cmpLike = /^(cmps|scas)[bwl]$/.test(mn);
    if (rep && !/^(stos|movs|lods)[bwl]$/.test(mn) && !cmpLike) this.err(`prefix ${rep} on ${mn} is not supported`);
    const sizeOf = (...cands: AsmOperand[]): Size => {
      if (d.size) return d.size;
      for (const o of cands) if (o.kind === 'reg' && o.class === 'gpr') return o.size;
      return this.err(`${mn}: operand size is ambiguous; add a b/w/l suffix`);
    };
    switch (d.base) {
      case 'nop':
        return false;
      case 'mov':
        nops(2);
        this.mov(ops[0], ops[1], d.size);
        return false;
      case 'movzx': case 'movsx': case 'movzbl': case 'movzbw': case 'movzwl': case 'movsbl': case 'movsbw': case 'movswl': case 'movzb': case 'movzw': {
        nops(2);
        const signed = mn.startsWith('movs');
        const m = /^mov[sz]([bwx])([wl]?)$/.exec(mn)!;
        const dst = ops[1];
        const dsize: Size = m[2] === 'w' ? 2 : m[2] === 'l' ? 4 : dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : this.err(`${mn}: destination size unknown`);
        let ssize: Size;
        if (m[1] === 'b') ssize = 1;
        else if (m[1] === 'w') ssize = 2;
        else if (ops[0].kind === 'reg' && ops[0].class === 'gpr') ssize = ops[0].size;
        else return this.err(`${mn}: source size is ambiguous; use movzbl/movzwl/movsbl/movswl`);
        const v = this.readOp(ops[0], ssize, 'source');
        this.write(this.place(dst, dsize, 'destination'), dsize, this.mask(signed ? this.sext(v, ssize) : v, dsize));
        return false;
      }
      case 'lea': {
        nops(2);
        const src = ops[0];
        if (src.kind !== 'mem' && src.kind !== 'expr') this.err('lea needs a memory operand');
        const a = src.kind === 'mem' ? this.addrOf(src) : this.val(this.ev(src.expr));
        const size = sizeOf(ops[1]);
        this.write(this.place(ops[1], size, 'destination'), size, this.mask(a, size));
        return false;
      }
      case 'add': case 'sub': case 'and': case 'or': case 'xor': case 'adc': case 'sbb': case 'cmp': case 'test': {
        nops(2);
        this.arith(d.base, ops[0], ops[1], sizeOf(ops[1], ops[0]));
        return false;
      }
      case 'not': case 'neg': case 'inc': case 'dec': {
        nops(1);
        const size = sizeOf(ops[0]);
        const p = this.place(ops[0], size, 'operand');
        const a = this.read(p, size);
        let r: Operand;
        if (d.base === 'not') r = this.mask(this.fb.unary('not', 'w', a), size);
        else if (d.base === 'neg') {
          r = this.mask(this.bin('sub', konst(0), a), size);
          this.s.flags = { kind: 'sub', op: mn, size, a: konst(0), b: a, r, carry: true };
        } else {
          r = this.mask(this.bin(d.base === 'inc' ? 'add' : 'sub', a, konst(1)), size);
          this.s.flags = { kind: 'sub', op: mn, size, a, b: d.base === 'inc' ? konst(BigInt.asUintN(size * 8, -1n)) : konst(1), r, carry: false };
        }
        this.write(p, size, r);
        return false;
      }
      case 'shl': case 'shr': case 'sar': case 'rol': case 'ror': {
        nops(1, 2);
        const dst = ops[ops.length - 1];
        const size = sizeOf(dst);
        let count: Operand;
        let constCount: number | undefined;
        if (ops.length === 1) (count = konst(1)), (constCount = 1);
        else if (ops[0].kind === 'imm') {
          constCount = Number(BigInt.asUintN(32, this.ev(ops[0].expr).off) & 31n);
          count = konst(constCount);
        } else if (ops[0].kind === 'reg' && ops[0].name === 'cl') count = this.bin('and', this.rd('ecx'), konst(31));
        else return this.err(`${mn}: the count must be an immediate or %cl`);
        const p = this.place(dst, size, 'operand');
        const a = this.read(p, size);
        let r: Operand;
        if (d.base === 'rol' || d.base === 'ror') {
          // 8/16-bit rotates turn by the count modulo the width.
          const bits = size * 8;
          const n = size === 4 ? count : count.kind === 'const' ? konst(count.value % BigInt(bits)) : this.bin('urem', count, konst(bits));
          const back = this.bin('sub', konst(bits), n);
          r = this.mask(
            d.base === 'rol'
              ? this.bin('or', this.bin('shl', a, n), this.bin('shr', a, back))
              : this.bin('or', this.bin('shr', a, n), this.bin('shl', a, back)),
            size,
          );
          this.s.flags = { kind: 'unknown', why: `after ${mn} (only CF/OF change; not modelled)` };
        } else {
          r = this.mask(this.bin(d.base, d.base === 'sar' ? this.sext(a, size) : a, count), size);
          if (constCount === 0) {
            // flags unchanged
          } else if (constCount !== undefined) this.s.flags = { kind: 'result', op: mn, size, r };
          else this.s.flags = { kind: 'unknown', why: `after ${mn} by %cl (flags unchanged when the count is 0)` };
        }
        this.write(p, size, r);
        return false;
      }
      case 'imul':
      case 'mul':
      case 'div':
      case 'idiv':
        this.muldiv(d.base, ops, d.size, mn);
        return false;
      case 'xchg': {
        nops(2);
        const size = sizeOf(ops[0], ops[1]);
        const p0 = this.place(ops[0], size, 'operand');
        const p1 = this.place(ops[1], size, 'operand');
        const a = this.read(p0, size);
        const b = this.read(p1, size);
        this.write(p0, size, b);
        this.write(p1, size, a);
        return false;
      }
      case 'push': {
        nops(1);
        const o = ops[0];
        if (o.kind === 'reg' && o.class === 'seg') {
          this.push(this.fb.rdreg(o.seg), d.size === 2 ? 2 : 4);
          return false;
        }
        const size = d.size ?? (o.kind === 'reg' && o.class === 'gpr' ? o.size : 4);
        if (size === 1) this.err('push of a byte is not supported');
        // The code address a following ret/lret jumps to: only its slot matters (IR code has no block addresses).
        const v = this.L.returnPushes.has(idx) ? konst(0) : this.readOp(o, size);
        this.push(v, size);
        return false;
      }
      case 'pop': {
        nops(1);
        const o = ops[0];
        const size = d.size ?? (o.kind === 'reg' && o.class === 'gpr' ? o.size : 4);
        if (size === 1) this.err('pop of a byte is not supported');
        const v = this.pop(size);
        if (o.kind === 'reg' && o.class === 'seg') {
          this.fb.wrreg(o.seg, this.mask(v, 2));
          return false;
        }
        this.write(this.place(o, size, 'destination'), size, v);
        return false;
      }
      case 'pushal': case 'pusha': {
        nops(0);
        const sp = this.rd('esp');
        for (const r of REG32) this.push(r === 'esp' ? sp : this.rd(r));
        return false;
      }
      case 'popal': case 'popa': {
        nops(0);
        for (const r of [...REG32].reverse()) {
          const v = this.pop();
          if (r !== 'esp') this.wr(r, v);
        }
        return false;
      }
      case 'pushfl': case 'pushf':
        nops(0);
        this.intr('pushf', []);
        this.clobber();
        return false;
      case 'popfl': case 'popf':
        nops(0);
        this.intr('popf', []);
        this.clobber();
        this.s.df = undefined;
        this.s.flags = { kind: 'unknown', why: `after ${mn} (arithmetic flags are not tracked through eflags)` };
        return false;
      case 'leave': case 'leavel':
        nops(0);
        this.wr('esp', this.rd('ebp'));
        this.wr('ebp', this.pop());
        return false;
      case 'enter': {
        nops(2);
        if (ops[1].kind !== 'imm' || this.ev(ops[1].expr).off !== 0n) this.err('enter with a nesting level is not supported');
        this.push(this.rd('ebp'));
        const sp = this.rd('esp');
        this.wr('ebp', sp);
        this.wr('esp', this.bin('sub', sp, this.readOp(ops[0], 4)));
        return false;
      }
      case 'cltd': case 'cdq':
        this.wr('edx', this.bin('sar', this.rd('eax'), konst(31)));
        return false;
      case 'cwtl': case 'cwde':
        this.wr('eax', this.sext(this.mask(this.rd('eax'), 2), 2));
        return false;
      case 'cbtw': case 'cbw':
        this.write({ kind: 'gpr', reg: { kind: 'reg', class: 'gpr', name: 'ax', base: 'eax', size: 2, high: false } }, 2, this.mask(this.sext(this.mask(this.rd('eax'), 1), 1), 2));
        return false;
      case 'cld': case 'std': {
        const ef = this.fb.rdreg('eflags');
        this.fb.wrreg('eflags', d.base === 'cld' ? this.bin('and', ef, konst(~0x400 >>> 0)) : this.bin('or', ef, konst(0x400)));
        this.s.df = d.base === 'cld' ? 0 : 1;
        return false;
      }
      case 'stosb': case 'stosw': case 'stosl': case 'movsb': case 'movsw': case 'movsl': case 'lodsb': case 'lodsw': case 'lodsl':
        nops(0);
        this.stringOp(mn.slice(0, 4) as 'stos' | 'movs' | 'lods', ({ b: 1, w: 2, l: 4 } as const)[mn[4] as 'b' | 'w' | 'l'], !!rep);
        return false;
      case 'cmpsb': case 'cmpsw': case 'cmpsl': case 'scasb': case 'scasw': case 'scasl':
        nops(0);
        this.compareString(mn.slice(0, 4) as 'cmps' | 'scas', ({ b: 1, w: 2, l: 4 } as const)[mn[4] as 'b' | 'w' | 'l'], rep, idx);
        return false;
      case 'jcc': {
        nops(1);
        const t = this.branchTarget(ops[0], mn);
        const c = this.cond(d.cc!, mn);
        this.materialize(this.edgeNeeds(t, idx + 1), `${mn} (the flags are read after the jump)`);
        this.fb.jnz(c, this.target(t), this.target(idx + 1, copyState(this.s)));
        return true;
      }
      case 'jecxz':
      case 'loop': {
        nops(1);
        const t = this.branchTarget(ops[0], mn);
        let c: Operand;
        if (d.base === 'loop') {
          const n = this.bin('sub', this.rd('ecx'), konst(1));
          this.wr('ecx', n);
          c = this.cmp('ne', n, konst(0));
        } else c = this.cmp('eq', this.rd('ecx'), konst(0));
        this.materialize(this.edgeNeeds(t, idx + 1), `${mn} (the flags are read after the jump)`);
        this.fb.jnz(c, this.target(t), this.target(idx + 1, copyState(this.s)));
        return true;
      }
      case 'jmp': case 'jmpl': {
        nops(1);
        const o = ops[0];
        // A jump out of this file's code (another module's symbol, or computed): as
        // `pushl target; ret` (see the header), which the engine follows exactly.
        let out: Operand | undefined;
        if (o.kind === 'indirect') out = o.target.kind === 'reg' ? this.read(this.place(o.target, 4, 'jump target'), 4) : this.fb.load('loadw', 'w', this.addrOf(o.target));
        else if (o.kind === 'expr') {
          const v = this.ev(o.expr);
          if (v.sym !== undefined && this.L.codeTarget(v) === undefined && !this.L.dataLabels.has(v.sym)) out = this.val(v);
        }
        if (out) {
          const sp = this.bin('sub', this.rd('esp'), konst(4));
          this.fb.store('storew', out, sp);
          this.wr('esp', sp);
          this.fb.ret();
          return true;
        }
        const t = this.branchTarget(ops[0], mn);
        this.materialize(this.edgeNeeds(t), `${mn} (the flags are read after the jump)`);
        this.fb.jmp(this.target(t));
        return true;
      }
      case 'ljmp': case 'ljmpl': {
        if (ops.length !== 2 || ops[0].kind !== 'imm' || ops[1].kind !== 'imm') this.err(`${mn}: only 'ljmp $selector, $label' is supported`);
        const sel = this.val(this.ev((ops[0] as { expr: Expr }).expr), 2);
        const t = this.returnTarget(this.ev((ops[1] as { expr: Expr }).expr), mn);
        this.fb.wrreg('cs', sel);
        this.materialize(this.edgeNeeds(t), mn);
        this.fb.jmp(this.target(t));
        return true;
      }
      case 'call': case 'calll': {
        nops(1);
        const o = ops[0];
        let callee: Operand;
        if (o.kind === 'indirect') callee = o.target.kind === 'reg' ? this.read(this.place(o.target, 4, 'callee'), 4) : this.fb.load('loadw', 'w', this.addrOf(o.target));
        else if (o.kind === 'expr') callee = this.val(this.ev(o.expr));
        else return this.err(`${mn}: unsupported target operand`);
        this.fb.call(callee, []);
        this.clobber();
        this.s.flags = { kind: 'unknown', why: 'after a call' };
        this.s.df = undefined;
        return false;
      }
      case 'lcall':
        return this.err('lcall (far call) is not supported');
      case 'ret': case 'retl': {
        nops(0, 1);
        if (ops.length === 1) {
          if (ops[0].kind !== 'imm') this.err('ret needs an immediate byte count');
          const n = this.ev(ops[0].expr);
          if (n.sym !== undefined) this.err('ret needs an absolute byte count');
          this.moveReturnAddress(Number(n.off));
          this.fb.ret();
          return true;
        }
        if (this.L.returnPushes.has(idx - 1)) {
          // pushl $label; ret: a jump to a code address in this file.
          const push = this.L.code[idx - 1] as { stmt: Insn };
          const t = this.returnTarget(this.ev((push.stmt.operands[0] as { expr: Expr }).expr), 'ret');
          this.wr('esp', this.bin('add', this.rd('esp'), konst(4)));
          this.materialize(this.edgeNeeds(t), mn);
          this.fb.jmp(this.target(t));
          return true;
        }
        this.fb.ret();
        return true;
      }
      case 'lret': case 'lretl': {
        nops(0);
        if (this.L.returnPushes.has(idx - 1)) {
          const push = this.L.code[idx - 1] as { stmt: Insn };
          const selPush = this.L.code[idx - 2] as { stmt: Insn };
          const t = this.returnTarget(this.ev((push.stmt.operands[0] as { expr: Expr }).expr), 'lret');
          const sel = this.val(this.ev((selPush.stmt.operands[0] as { expr: Expr }).expr), 2);
          this.wr('esp', this.bin('add', this.rd('esp'), konst(8)));
          this.fb.wrreg('cs', sel);
          this.materialize(this.edgeNeeds(t), mn);
          this.fb.jmp(this.target(t));
          return true;
        }
        // cs from 4(%esp); the return address moves up into its slot; IR ret pops it.
        const sp = this.rd('esp');
        const ra = this.fb.load('loadw', 'w', sp);
        const csAddr = this.bin('add', sp, konst(4));
        const sel = this.fb.load('loadw', 'w', csAddr);
        this.fb.store('storew', ra, csAddr);
        this.wr('esp', csAddr);
        this.fb.wrreg('cs', this.mask(sel, 2));
        this.fb.ret();
        return true;
      }
      case 'iret': case 'iretl':
        nops(0);
        this.fb.iret();
        return true;
      case 'int': {
        nops(1);
        if (ops[0].kind !== 'imm') this.err('int needs an immediate vector');
        const v = this.ev(ops[0].expr);
        if (v.sym !== undefined) this.err('int needs an absolute vector');
        const n = Number(BigInt.asUintN(8, v.off));
        if (n === 0x82) this.fb.hypercall();
        else this.intr('int', [konst(n)]);
        this.clobber();
        return false;
      }
      case 'int3':
        if (st.trap !== undefined) {
          // XENO_BREAKPOINT_ASM(rule, where): the breakpoint stub.
          this.fb.trap(st.trap);
          return false;
        }
        this.intr('int3', []);
        this.clobber();
        return false;
      case 'cli': case 'sti': case 'hlt': case 'clts': case 'wbinvd': case 'invd':
        nops(0);
        this.intr(d.base as IntrinsicName, []);
        return false;
      case 'cpuid': case 'rdmsr': case 'wrmsr': case 'rdtsc': case 'rdpmc':
        nops(0);
        this.intr(d.base as IntrinsicName, []);
        this.clobber();
        return false;
      case 'lgdt': case 'lidt': case 'sgdt': case 'sidt': case 'lgdtl': case 'lidtl': case 'sgdtl': case 'sidtl': case 'invlpg': {
        nops(1);
        const o = ops[0];
        if (o.kind !== 'mem' && o.kind !== 'expr') this.err(`${mn} needs a memory operand`);
        const a = o.kind === 'mem' ? this.addrOf(o) : this.val(this.ev(o.expr));
        this.intr(d.base.replace(/l$/, '') as IntrinsicName, [a]);
        return false;
      }
      case 'lldt': case 'ltr': case 'lmsw': {
        nops(1);
        this.intr(d.base as IntrinsicName, [this.readOp(ops[0], 2)]);
        return false;
      }
      case 'sldt': case 'str': case 'smsw': {
        nops(1);
        const o = ops[0];
        const size: Size = o.kind === 'reg' && o.class === 'gpr' ? o.size : 2;
        const r = this.intr(d.base as IntrinsicName, [])!;
        this.write(this.place(o, size, 'destination'), size, this.mask(r, size));
        return false;
      }
      case 'lar': case 'lsl': {
        nops(2);
        const size = sizeOf(ops[1]);
        const r = this.intr(d.base as IntrinsicName, [this.readOp(ops[0], size === 1 ? 2 : size)])!;
        this.write(this.place(ops[1], size, 'destination'), size, this.mask(r, size));
        this.s.flags = { kind: 'unknown', why: `after ${mn} (ZF not modelled)` };
        return false;
      }
      case 'verr': case 'verw': {
        nops(1);
        const r = this.intr(d.base as IntrinsicName, [this.readOp(ops[0], 2)])!;
        this.s.flags = { kind: 'zf', op: mn, z: r };
        return false;
      }
      case 'bsf': case 'bsr': {
        nops(2);
        const size = sizeOf(ops[1]);
        if (size !== 4) this.err(`${mn}: only 32-bit operands are supported`);
        const v = this.readOp(ops[0], 4);
        const r = this.intr(d.base as IntrinsicName, [v])!;
        this.write(this.place(ops[1], 4, 'destination'), 4, r);
        this.s.flags = { kind: 'zf', op: mn, z: this.cmp('eq', v, konst(0)) };
        return false;
      }
      case 'bswap': case 'bswapl': {
        nops(1);
        const p = this.place(ops[0], 4, 'operand');
        this.write(p, 4, this.intr('bswap', [this.read(p, 4)])!);
        return false;
      }
      case 'in': {
        nops(1, 2);
        const dst = ops.length === 2 ? ops[1] : undefined;
        const size = d.size ?? (dst && dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : this.err(`${mn}: size unknown`));
        const r = this.intr(size === 1 ? 'inb' : size === 2 ? 'inw' : 'inl', [this.port(ops[0], mn)])!;
        const acc = accumulator(size);
        if (dst && !(dst.kind === 'reg' && dst.class === 'gpr' && dst.name === acc.name)) this.err(`${mn}: the destination must be %${acc.name}`);
        this.write({ kind: 'gpr', reg: acc }, size, this.mask(r, size));
        return false;
      }
      case 'out': {
        nops(1, 2);
        const src = ops.length === 2 ? ops[0] : undefined;
        const size = d.size ?? (src && src.kind === 'reg' && src.class === 'gpr' ? src.size : this.err(`${mn}: size unknown`));
        const acc = accumulator(size);
        if (src && !(src.kind === 'reg' && src.class === 'gpr' && src.name === acc.name)) this.err(`${mn}: the source must be %${acc.name}`);
        const v = this.read({ kind: 'gpr', reg: acc }, size);
        this.intr(size === 1 ? 'outb' : size === 2 ? 'outw' : 'outl', [v, this.port(ops[ops.length - 1], mn)]);
        return false;
      }
      case 'setcc': {
        nops(1);
        const c = this.cond(d.cc!, mn);
        this.write(this.place(ops[0], 1, 'destination'), 1, c);
        return false;
      }
      case 'cmovcc': {
        nops(2);
        const size = sizeOf(ops[1], ops[0]);
        const c = this.cond(d.cc!, mn);
        const src = this.readOp(ops[0], size);
        const p = this.place(ops[1], size, 'destination');
        if (p.kind !== 'gpr') this.err(`${mn}: the destination must be a register`);
        const old = this.read(p, size);
        const m = this.bin('sub', konst(0), c);
        this.write(p, size, this.bin('or', this.bin('and', src, m), this.bin('and', old, this.fb.unary('not', 'w', m))));
        return false;
      }
    }
    return this.err(`unknown or unsupported instruction '${mn}'`);
  }

  private port(o: AsmOperand, mn: string): Operand {
    if (o.kind === 'reg' && o.class === 'gpr' && o.name === 'dx') return this.mask(this.rd('edx'), 2);
    if (o.kind === 'imm') return this.val(this.ev(o.expr), 1);
    return this.err(`${mn}: the port must be %dx or an immediate`);
  }

  private branchTarget(o: AsmOperand, mn: string): number {
    if (o.kind !== 'expr') return this.err(`${mn}: unsupported target operand`);
    const v = this.ev(o.expr);
    const t = this.L.codeTarget(v);
    if (t === undefined) {
      if (v.sym === undefined) return this.err(`${mn} to an absolute address is not supported`);
      if (this.L.dataLabels.has(v.sym)) return this.err(`${mn} to data label ${v.sym}`);
      return this.err(`${mn} to ${v.sym}, which is not a code label in this file, is not supported (no cross-module jumps in the IR)`);
    }
    if (v.off !== 0n) this.err(`${mn} into the middle of an instruction sequence (${v.sym}+${v.off}) is not supported`);
    return this.L.codeLabels.get(t)!;
  }

  /** A pushed code address used as a ret/lret/ljmp target (offset: a load-address relocation). */
  private returnTarget(v: Val, mn: string): number {
    const t = this.L.codeTarget(v);
    if (t === undefined) return this.err(`${mn}: the target must be a code label of this file`);
    if (v.off % MIB !== 0n) this.err(`${mn}: target ${t}${v.off < 0n ? '' : '+'}${v.off} is not a label (offset not a multiple of 1 MiB)`);
    return this.L.codeLabels.get(t)!;
  }

  /** Moves the return address at (%esp) up by n bytes (for `ret $n` and lret). */
  private moveReturnAddress(n: number): void {
    if (n === 0) return;
    const sp = this.rd('esp');
    const ra = this.fb.load('loadw', 'w', sp);
    const to = this.bin('add', sp, konst(n));
    this.fb.store('storew', ra, to);
    this.wr('esp', to);
  }

  private mov(src: AsmOperand, dst: AsmOperand, suffix?: Size): void {
    if (src.kind === 'reg' && (src.class === 'cr' || src.class === 'dr')) {
      if (dst.kind !== 'reg' || dst.class !== 'gpr' || dst.size !== 4) this.err(`mov from %${src.name} needs a 32-bit register destination`);
      let v: Operand;
      if (src.class === 'cr') {
        if (![0, 2, 3, 4].includes(src.n)) this.err(`%${src.name} is not supported`);
        v = this.intr(`rcr${src.n}` as IntrinsicName, [])!;
      } else v = this.intr('rddr', [konst(src.n)])!;
      this.write(this.place(dst, 4, 'destination'), 4, v);
      return;
    }
    if (dst.kind === 'reg' && (dst.class === 'cr' || dst.class === 'dr')) {
      if (src.kind !== 'reg' || src.class !== 'gpr' || src.size !== 4) this.err(`mov to %${dst.name} needs a 32-bit register source`);
      const v = this.rd((src as { base: Reg32 }).base);
      if (dst.class === 'cr') {
        if (![0, 3, 4].includes(dst.n)) this.err(`mov to %${dst.name} has no IR intrinsic`);
        this.intr(`lcr${dst.n}` as IntrinsicName, [v]);
      } else this.intr('lddr', [konst(dst.n), v]);
      return;
    }
    if (dst.kind === 'reg' && dst.class === 'seg') {
      const size: Size = src.kind === 'reg' && src.class === 'gpr' ? src.size : 2;
      if (size === 1) this.err('a segment register takes a 16-bit value');
      const v = this.readOp(src, size);
      this.fb.wrreg(dst.seg, size === 2 ? v : this.mask(v, 2));
      return;
    }
    if (src.kind === 'reg' && src.class === 'seg') {
      const v = this.fb.rdreg(src.seg);
      const size: Size = dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : 2;
      if (size === 1) this.err('a segment register is 16-bit');
      this.write(this.place(dst, size, 'destination'), size, this.mask(v, size));
      return;
    }
    const size = suffix ?? (dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : src.kind === 'reg' && src.class === 'gpr' ? src.size : undefined);
    if (!size) this.err('mov: operand size is ambiguous; add a b/w/l suffix');
    const v = this.readOp(src, size, 'source');
    this.write(this.place(dst, size, 'destination'), size, v);
  }

  private arith(op: string, src: AsmOperand, dst: AsmOperand, size: Size): void {
    const mn0 = `${op}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
    if ((op === 'xor' || op === 'sub') && src.kind === 'reg' && dst.kind === 'reg' && src.name === dst.name && src.class === 'gpr') {
      // xorl %eax,%eax: zero without reading the register.
      this.write(this.place(dst, size, 'destination'), size, konst(0));
      this.s.flags = op === 'xor' ? { kind: 'logic', op: mn0, size, r: konst(0) } : { kind: 'sub', op: mn0, size, a: konst(0), b: konst(0), r: konst(0), carry: true };
      return;
    }
    const p = this.place(dst, size, 'destination');
    const a = this.read(p, size);
    const b = this.readOp(src, size, 'source');
    const mn = `${op}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
    let r: Operand;
    switch (op) {
      case 'add':
        r = this.mask(this.bin('add', a, b), size);
        this.s.flags = { kind: 'add', op: mn, size, a, b, r };
        break;
      case 'sub':
        r = this.mask(this.bin('sub', a, b), size);
        this.s.flags = { kind: 'sub', op: mn, size, a, b, r, carry: true };
        break;
      case 'cmp':
        r = konst(0);
        this.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
        break;
      case 'and':
      case 'or':
      case 'xor':
      case 'test':
        r = this.bin(op === 'test' ? 'and' : (op as 'and' | 'or' | 'xor'), a, b);
        this.s.flags = { kind: 'logic', op: mn, size, r };
        break;
      case 'adc':
      case 'sbb': {
        const cf = this.cond('b', mn);
        r = this.mask(this.bin(op === 'adc' ? 'add' : 'sub', this.bin(op === 'adc' ? 'add' : 'sub', a, b), cf), size);
        this.s.flags = { kind: 'unknown', why: `after ${mn} (not modelled)` };
        break;
      }
      default:
        return this.err(`unknown operation ${op}`);
    }
    if (op !== 'cmp' && op !== 'test') this.write(p, size, r);
  }

  private muldiv(base: string, ops: AsmOperand[], suffix: Size | undefined, mn: string): void {
    if (base === 'imul' && ops.length >= 2) {
      const dst = ops[ops.length - 1];
      const size = suffix ?? (dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : 4);
      if (size === 1) this.err('imul of bytes with two operands does not exist');
      const a = this.readOp(ops.length === 3 ? ops[1] : dst, size);
      const b = this.readOp(ops[0], size);
      this.write(this.place(dst, size, 'destination'), size, this.mask(this.bin('mul', a, b), size));
      this.s.flags = { kind: 'unknown', why: `after ${mn} (CF/OF not modelled)` };
      return;
    }
    if (ops.length !== 1) this.err(`${mn} takes one operand here`);
    const size = suffix ?? (ops[0].kind === 'reg' && ops[0].class === 'gpr' ? ops[0].size : this.err(`${mn}: operand size is ambiguous`));
    if (size !== 4) this.err(`${mn}: only the 32-bit form (edx:eax) is supported`);
    const src = this.readOp(ops[0], 4);
    const signed = base === 'imul' || base === 'idiv';
    const ext = (v: Operand): Operand => this.fb.unary(signed ? 'extsw' : 'extuw', 'l', v);
    if (base === 'mul' || base === 'imul') {
      const p = this.fb.binary('mul', 'l', ext(this.rd('eax')), ext(src));
      this.wr('eax', this.fb.unary('trunc', 'w', p));
      this.wr('edx', this.fb.unary('trunc', 'w', this.fb.binary('shr', 'l', p, konst(32))));
    } else {
      const hi = this.fb.binary('shl', 'l', this.fb.unary('extuw', 'l', this.rd('edx')), konst(32));
      const n = this.fb.binary('or', 'l', hi, this.fb.unary('extuw', 'l', this.rd('eax')));
      const dv = ext(src);
      const q = this.fb.binary(signed ? 'div' : 'udiv', 'l', n, dv);
      const r = this.fb.binary(signed ? 'rem' : 'urem', 'l', n, dv);
      this.wr('eax', this.fb.unary('trunc', 'w', q));
      this.wr('edx', this.fb.unary('trunc', 'w', r));
    }
    this.s.flags = { kind: 'unknown', why: `after ${mn} (not modelled)` };
  }

  /** Address step of a string instruction: +size, or -size when DF is set. */
  private stringDelta(size: Size): Operand {
    if (this.s.df !== undefined) return konst(BigInt.asUintN(32, BigInt(this.s.df ? -size : size)));
    const df = this.bin('and', this.bin('shr', this.fb.rdreg('eflags'), konst(10)), konst(1));
    return this.bin('sub', konst(size), this.bin('mul', df, konst(2 * size)));
  }

  /**
   * cmps ([esi] - [edi]) and scas (accumulator - [edi]), once or with repe/repne.
   * With a prefix the loop keeps the last comparison's flag bits in %fl.*; with ecx = 0
   * the flags are those from before, so the bits read afterwards are stored first.
   */
  private compareString(kind: 'cmps' | 'scas', size: Size, rep: string | undefined, idx: number): void {
    const delta = this.stringDelta(size);
    const once = (): { a: Operand; b: Operand } => {
      const di = this.rd('edi');
      const b = this.read({ kind: 'mem', addr: di }, size);
      let a: Operand;
      if (kind === 'cmps') {
        const si = this.rd('esi');
        a = this.read({ kind: 'mem', addr: si }, size);
        this.wr('esi', this.bin('add', si, delta));
      } else a = this.read({ kind: 'gpr', reg: accumulator(size) }, size);
      this.wr('edi', this.bin('add', di, delta));
      return { a, b };
    };
    const mn = `${rep ? rep + ' ' : ''}${kind}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
    if (!rep) {
      const { a, b } = once();
      this.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
      return;
    }
    if (rep === 'rep') this.err(`${mn}: use repe/repz or repne/repnz with ${kind}`);
    const need = new Set<Bit>(this.L.needOut[idx]);
    need.add('zf');
    // ecx = 0: the flags stay as they were.
    const ecx = this.s.regs.get('ecx');
    if (!(ecx?.kind === 'const' && BigInt.asUintN(32, ecx.value) !== 0n))
      this.materialize(this.L.needOut[idx], `${mn} with ecx = 0 keeps the earlier flags`);
    const head = this.fb.freshLabel('rep');
    const body = this.fb.freshLabel('rep.body');
    const done = this.fb.freshLabel('rep.done');
    this.fb.jmp(head);
    this.fb.block(head);
    this.clobber();
    this.fb.jnz(this.rd('ecx'), body, done);
    this.fb.block(body);
    this.clobber();
    const { a, b } = once();
    this.wr('ecx', this.bin('sub', this.rd('ecx'), konst(1)));
    this.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
    this.materialize(need, mn);
    const z = temp('fl.zf');
    if (rep === 'repe' || rep === 'repz') this.fb.jnz(z, head, done);
    else this.fb.jnz(z, done, head);
    this.fb.block(done);
    this.clobber();
    this.s.flags = { kind: 'bits', op: `after ${mn}`, bits: Object.fromEntries([...need].map((bit) => [bit, temp(`fl.${bit}`)])) };
  }

  /** stos/movs/lods, once or (rep) ecx times; direction from DF. */
  private stringOp(kind: 'stos' | 'movs' | 'lods', size: Size, rep: boolean): void {
    const delta = this.stringDelta(size);
    const once = (): void => {
      if (kind === 'stos') {
        const di = this.rd('edi');
        this.write({ kind: 'mem', addr: di }, size, this.read({ kind: 'gpr', reg: accumulator(size) }, size));
        this.wr('edi', this.bin('add', di, delta));
      } else if (kind === 'lods') {
        const si = this.rd('esi');
        this.write({ kind: 'gpr', reg: accumulator(size) }, size, this.read({ kind: 'mem', addr: si }, size));
        this.wr('esi', this.bin('add', si, delta));
      } else {
        const si = this.rd('esi');
        const di = this.rd('edi');
        this.write({ kind: 'mem', addr: di }, size, this.read({ kind: 'mem', addr: si }, size));
        this.wr('esi', this.bin('add', si, delta));
        this.wr('edi', this.bin('add', di, delta));
      }
    };
    if (!rep) return once();
    const head = this.fb.freshLabel('rep');
    const body = this.fb.freshLabel('rep.body');
    const done = this.fb.freshLabel('rep.done');
    this.fb.jmp(head);
    this.fb.block(head);
    this.clobber();
    this.fb.jnz(this.rd('ecx'), body, done);
    this.fb.block(body);
    this.clobber();
    once();
    this.wr('ecx', this.bin('sub', this.rd('ecx'), konst(1)));
    this.fb.jmp(head);
    this.fb.block(done);
    this.clobber();
  }
}

function accumulator(size: Size): RegOperand & { class: 'gpr' } {
  const name = size === 1 ? 'al' : size === 2 ? 'ax' : 'eax';
  return { kind: 'reg', class: 'gpr', name, base: 'eax', size, high: false };
}
