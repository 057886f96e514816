/*
 * One IR function from one entry of an assembly file: the closure of the code
 * reachable from the entry, lowered block by block from a worklist. The scheme
 * (registers, flags, cross-entry jumps, control transfers the IR lacks) is described
 * at the top of lower.ts. This file owns the blocks and the control transfers
 * (jumps, calls, returns); every other instruction goes to its handler table
 * (data-insns.ts, system-insns.ts, string-insns.ts) through the emitter (emitter.ts).
 *
 * Invariants: a block is lowered once per function (`done`); a labelled block starts
 * from the label's state (no cached registers; the flags it reads in %fl.*), which
 * every edge into it fills first; an unlabelled fall-through block continues the state
 * of its predecessor.
 */
import { konst, ModuleBuilder, type Operand } from '../../ir/index.js';
import { DATA_INSNS } from './data-insns.js';
import { AsmEmitter, copyState, freshState, type InsnHandler, type InsnSite, type State } from './emitter.js';
import { condition, edgeNeeds, flagTemps, materializeFlags } from './flags.js';
import { decode, type Bit, type Size } from './isa.js';
import type { AsmLowering, Insn } from './lower.js';
import { STRING_INSNS } from './string-insns.js';
import { SYSTEM_INSNS } from './system-insns.js';
import { MIB, type Val } from './value.js';
import type { AsmOperand, Expr } from './ast.js';

/** Every instruction that does not end a block, by decoded base mnemonic. */
const INSNS = new Map<string, InsnHandler>([...DATA_INSNS, ...SYSTEM_INSNS, ...STRING_INSNS]);

export class FunctionLowering extends AsmEmitter {
  readonly done = new Set<number>();
  private readonly work: { idx: number; state: State }[] = [];

  constructor(
    L: AsmLowering,
    readonly entry: string,
    mb: ModuleBuilder,
  ) {
    super(L, mb.func(entry, [], undefined, { export: L.globals.has(entry) }));
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
      st.flags = flagTemps(`flags live at label ${name}`, need);
    else if (need.size) st.flags = { kind: 'unknown', why: `at the entry of function ${this.entry}` };
    return st;
  }

  private lowerBlock(idx: number, state: State): void {
    this.s = state;
    this.fb.block(this.blockName(idx));
    for (let j = idx; ; j++) {
      if (j > idx && this.L.labelsAt.has(j)) {
        materializeFlags(this, edgeNeeds(this.L, j), `falling through to ${this.blockName(j)}`);
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
    const handler = INSNS.get(d.base);
    if (handler) {
      const site: InsnSite = { st, mn, d, ops, idx, rep, nops, sizeOf };
      handler(this, site);
      return false;
    }
    // Control transfers: jumps, calls and returns.
    switch (d.base) {
      case 'jcc': {
        nops(1);
        const t = this.branchTarget(ops[0], mn);
        const c = condition(this, d.cc!, mn);
        materializeFlags(this, edgeNeeds(this.L, t, idx + 1), `${mn} (the flags are read after the jump)`);
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
        materializeFlags(this, edgeNeeds(this.L, t, idx + 1), `${mn} (the flags are read after the jump)`);
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
        materializeFlags(this, edgeNeeds(this.L, t), `${mn} (the flags are read after the jump)`);
        this.fb.jmp(this.target(t));
        return true;
      }
      case 'ljmp': case 'ljmpl': {
        if (ops.length !== 2 || ops[0].kind !== 'imm' || ops[1].kind !== 'imm') this.err(`${mn}: only 'ljmp $selector, $label' is supported`);
        const sel = this.val(this.ev((ops[0] as { expr: Expr }).expr), 2);
        const t = this.returnTarget(this.ev((ops[1] as { expr: Expr }).expr), mn);
        this.fb.wrreg('cs', sel);
        materializeFlags(this, edgeNeeds(this.L, t), mn);
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
          materializeFlags(this, edgeNeeds(this.L, t), mn);
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
          materializeFlags(this, edgeNeeds(this.L, t), mn);
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
    }
    return this.err(`unknown or unsupported instruction '${mn}'`);
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
}
