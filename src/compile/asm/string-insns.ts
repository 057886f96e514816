/*
 * The string instructions: stos/movs/lods, once or `rep` (ecx times), and cmps/scas,
 * once or with repe/repne, lowered as IR loops on ecx. The address step comes from
 * the direction flag: the static value when the emitter knows it (after cld/std in
 * the same block or fall-through), else eflags.DF read at run time.
 */
import { konst, temp, type Operand } from '../../ir/index.js';
import { accumulator, handle, type AsmEmitter, type InsnHandler } from './emitter.js';
import { flagTemps, materializeFlags } from './flags.js';
import type { Bit, Size } from './isa.js';

const SUFFIX_SIZE = { b: 1, w: 2, l: 4 } as const;
const suffixSize = (mn: string): Size => SUFFIX_SIZE[mn[4] as 'b' | 'w' | 'l'];

/** Address step of a string instruction: +size, or -size when DF is set. */
function stringDelta(e: AsmEmitter, size: Size): Operand {
  if (e.s.df !== undefined) return konst(BigInt.asUintN(32, BigInt(e.s.df ? -size : size)));
  const df = e.bin('and', e.bin('shr', e.fb.rdreg('eflags'), konst(10)), konst(1));
  return e.bin('sub', konst(size), e.bin('mul', df, konst(2 * size)));
}

/**
 * `head: jnz ecx, body, done; body: once; ecx -= 1; <backEdge>; done:`. Registers are
 * forgotten at each of the loop's labels.
 */
function repLoop(e: AsmEmitter, once: () => void, backEdge: (head: string, done: string) => void): void {
  const head = e.fb.freshLabel('rep');
  const body = e.fb.freshLabel('rep.body');
  const done = e.fb.freshLabel('rep.done');
  e.fb.jmp(head);
  e.fb.block(head);
  e.clobber();
  e.fb.jnz(e.rd('ecx'), body, done);
  e.fb.block(body);
  e.clobber();
  once();
  e.wr('ecx', e.bin('sub', e.rd('ecx'), konst(1)));
  backEdge(head, done);
  e.fb.block(done);
  e.clobber();
}

/**
 * cmps ([esi] - [edi]) and scas (accumulator - [edi]), once or with repe/repne.
 * With a prefix the loop keeps the last comparison's flag bits in %fl.*; with ecx = 0
 * the flags are those from before, so the bits read afterwards are stored first.
 */
function compareString(e: AsmEmitter, kind: 'cmps' | 'scas', size: Size, rep: string | undefined, idx: number): void {
  const delta = stringDelta(e, size);
  const once = (): { a: Operand; b: Operand } => {
    const di = e.rd('edi');
    const b = e.read({ kind: 'mem', addr: di }, size);
    let a: Operand;
    if (kind === 'cmps') {
      const si = e.rd('esi');
      a = e.read({ kind: 'mem', addr: si }, size);
      e.wr('esi', e.bin('add', si, delta));
    } else a = e.read({ kind: 'gpr', reg: accumulator(size) }, size);
    e.wr('edi', e.bin('add', di, delta));
    return { a, b };
  };
  const mn = `${rep ? rep + ' ' : ''}${kind}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
  if (!rep) {
    const { a, b } = once();
    e.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
    return;
  }
  if (rep === 'rep') e.err(`${mn}: use repe/repz or repne/repnz with ${kind}`);
  const need = new Set<Bit>(e.L.needOut[idx]);
  need.add('zf');
  // ecx = 0: the flags stay as they were.
  const ecx = e.s.regs.get('ecx');
  if (!(ecx?.kind === 'const' && BigInt.asUintN(32, ecx.value) !== 0n))
    materializeFlags(e, e.L.needOut[idx], `${mn} with ecx = 0 keeps the earlier flags`);
  repLoop(
    e,
    () => {
      const { a, b } = once();
      e.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
    },
    (head, done) => {
      materializeFlags(e, need, mn);
      const z = temp('fl.zf');
      if (rep === 'repe' || rep === 'repz') e.fb.jnz(z, head, done);
      else e.fb.jnz(z, done, head);
    },
  );
  e.s.flags = flagTemps(`after ${mn}`, need);
}

/** stos/movs/lods, once or (rep) ecx times; direction from DF. */
function stringOp(e: AsmEmitter, kind: 'stos' | 'movs' | 'lods', size: Size, rep: boolean): void {
  const delta = stringDelta(e, size);
  const once = (): void => {
    if (kind === 'stos') {
      const di = e.rd('edi');
      e.write({ kind: 'mem', addr: di }, size, e.read({ kind: 'gpr', reg: accumulator(size) }, size));
      e.wr('edi', e.bin('add', di, delta));
    } else if (kind === 'lods') {
      const si = e.rd('esi');
      e.write({ kind: 'gpr', reg: accumulator(size) }, size, e.read({ kind: 'mem', addr: si }, size));
      e.wr('esi', e.bin('add', si, delta));
    } else {
      const si = e.rd('esi');
      const di = e.rd('edi');
      e.write({ kind: 'mem', addr: di }, size, e.read({ kind: 'mem', addr: si }, size));
      e.wr('esi', e.bin('add', si, delta));
      e.wr('edi', e.bin('add', di, delta));
    }
  };
  if (!rep) return once();
  repLoop(e, once, (head) => e.fb.jmp(head));
}

export const STRING_INSNS: [string, InsnHandler][] = [
  ...handle(['stosb', 'stosw', 'stosl', 'movsb', 'movsw', 'movsl', 'lodsb', 'lodsw', 'lodsl'], (e: AsmEmitter, x) => {
    x.nops(0);
    stringOp(e, x.mn.slice(0, 4) as 'stos' | 'movs' | 'lods', suffixSize(x.mn), !!x.rep);
  }),
  ...handle(['cmpsb', 'cmpsw', 'cmpsl', 'scasb', 'scasw', 'scasl'], (e: AsmEmitter, x) => {
    x.nops(0);
    compareString(e, x.mn.slice(0, 4) as 'cmps' | 'scas', suffixSize(x.mn), x.rep, x.idx);
  }),
];
