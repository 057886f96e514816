/*
 * The system instructions of the GAS subset, each an IR intrinsic that uses the
 * machine register file as the x86 instruction does: eflags (pushf/popf, cld/std),
 * interrupts (int, int $0x82 as `hypercall`, int3 and the XENO_BREAKPOINT_ASM stub as
 * `trap`), descriptor tables and task/LDT registers, cpuid/msr/tsc, port I/O. None of
 * them ends a block; those that may change registers behind the emitter's back drop
 * its register cache.
 */
import { konst, type IntrinsicName, type Operand } from '../../ir/index.js';
import { accumulator, handle, type AsmEmitter, type InsnHandler } from './emitter.js';
import type { Size } from './isa.js';
import type { AsmOperand } from './ast.js';

function port(e: AsmEmitter, o: AsmOperand, mn: string): Operand {
  if (o.kind === 'reg' && o.class === 'gpr' && o.name === 'dx') return e.mask(e.rd('edx'), 2);
  if (o.kind === 'imm') return e.val(e.ev(o.expr), 1);
  return e.err(`${mn}: the port must be %dx or an immediate`);
}

export const SYSTEM_INSNS: [string, InsnHandler][] = [
  ...handle(['pushfl', 'pushf'], (e: AsmEmitter, { nops }) => {
    nops(0);
    e.intr('pushf', []);
    e.clobber();
  }),
  ...handle(['popfl', 'popf'], (e: AsmEmitter, { mn, nops }) => {
    nops(0);
    e.intr('popf', []);
    e.clobber();
    e.s.df = undefined;
    e.s.flags = { kind: 'unknown', why: `after ${mn} (arithmetic flags are not tracked through eflags)` };
  }),
  ...handle(['cld', 'std'], (e: AsmEmitter, { d }) => {
    const ef = e.fb.rdreg('eflags');
    e.fb.wrreg('eflags', d.base === 'cld' ? e.bin('and', ef, konst(~0x400 >>> 0)) : e.bin('or', ef, konst(0x400)));
    e.s.df = d.base === 'cld' ? 0 : 1;
  }),
  ...handle(['int'], (e: AsmEmitter, { ops, nops }) => {
    nops(1);
    if (ops[0].kind !== 'imm') e.err('int needs an immediate vector');
    const v = e.ev(ops[0].expr);
    if (v.sym !== undefined) e.err('int needs an absolute vector');
    const n = Number(BigInt.asUintN(8, v.off));
    if (n === 0x82) e.fb.hypercall();
    else e.intr('int', [konst(n)]);
    e.clobber();
  }),
  ...handle(['int3'], (e: AsmEmitter, { st }) => {
    if (st.trap !== undefined) {
      // XENO_BREAKPOINT_ASM(rule, where): the breakpoint stub.
      e.fb.trap(st.trap);
      return;
    }
    e.intr('int3', []);
    e.clobber();
  }),
  ...handle(['cli', 'sti', 'hlt', 'clts', 'wbinvd', 'invd'], (e: AsmEmitter, { d, nops }) => {
    nops(0);
    e.intr(d.base as IntrinsicName, []);
  }),
  ...handle(['cpuid', 'rdmsr', 'wrmsr', 'rdtsc', 'rdpmc'], (e: AsmEmitter, { d, nops }) => {
    nops(0);
    e.intr(d.base as IntrinsicName, []);
    e.clobber();
  }),
  ...handle(['lgdt', 'lidt', 'sgdt', 'sidt', 'lgdtl', 'lidtl', 'sgdtl', 'sidtl', 'invlpg'], (e: AsmEmitter, { mn, d, ops, nops }) => {
    nops(1);
    const o = ops[0];
    if (o.kind !== 'mem' && o.kind !== 'expr') e.err(`${mn} needs a memory operand`);
    const a = o.kind === 'mem' ? e.addrOf(o) : e.val(e.ev(o.expr));
    e.intr(d.base.replace(/l$/, '') as IntrinsicName, [a]);
  }),
  ...handle(['lldt', 'ltr', 'lmsw'], (e: AsmEmitter, { d, ops, nops }) => {
    nops(1);
    e.intr(d.base as IntrinsicName, [e.readOp(ops[0], 2)]);
  }),
  ...handle(['sldt', 'str', 'smsw'], (e: AsmEmitter, { d, ops, nops }) => {
    nops(1);
    const o = ops[0];
    const size: Size = o.kind === 'reg' && o.class === 'gpr' ? o.size : 2;
    const r = e.intr(d.base as IntrinsicName, [])!;
    e.write(e.place(o, size, 'destination'), size, e.mask(r, size));
  }),
  ...handle(['lar', 'lsl'], (e: AsmEmitter, { mn, d, ops, nops, sizeOf }) => {
    nops(2);
    const size = sizeOf(ops[1]);
    const r = e.intr(d.base as IntrinsicName, [e.readOp(ops[0], size === 1 ? 2 : size)])!;
    e.write(e.place(ops[1], size, 'destination'), size, e.mask(r, size));
    e.s.flags = { kind: 'unknown', why: `after ${mn} (ZF not modelled)` };
  }),
  ...handle(['verr', 'verw'], (e: AsmEmitter, { mn, d, ops, nops }) => {
    nops(1);
    const r = e.intr(d.base as IntrinsicName, [e.readOp(ops[0], 2)])!;
    e.s.flags = { kind: 'zf', op: mn, z: r };
  }),
  ...handle(['in'], (e: AsmEmitter, { mn, d, ops, nops }) => {
    nops(1, 2);
    const dst = ops.length === 2 ? ops[1] : undefined;
    const size = d.size ?? (dst && dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : e.err(`${mn}: size unknown`));
    const r = e.intr(size === 1 ? 'inb' : size === 2 ? 'inw' : 'inl', [port(e, ops[0], mn)])!;
    const acc = accumulator(size);
    if (dst && !(dst.kind === 'reg' && dst.class === 'gpr' && dst.name === acc.name)) e.err(`${mn}: the destination must be %${acc.name}`);
    e.write({ kind: 'gpr', reg: acc }, size, e.mask(r, size));
  }),
  ...handle(['out'], (e: AsmEmitter, { mn, d, ops, nops }) => {
    nops(1, 2);
    const src = ops.length === 2 ? ops[0] : undefined;
    const size = d.size ?? (src && src.kind === 'reg' && src.class === 'gpr' ? src.size : e.err(`${mn}: size unknown`));
    const acc = accumulator(size);
    if (src && !(src.kind === 'reg' && src.class === 'gpr' && src.name === acc.name)) e.err(`${mn}: the source must be %${acc.name}`);
    const v = e.read({ kind: 'gpr', reg: acc }, size);
    e.intr(size === 1 ? 'outb' : size === 2 ? 'outw' : 'outl', [v, port(e, ops[ops.length - 1], mn)]);
  }),
];
