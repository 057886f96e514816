/*
 * The user-code block compiler: a run of decoded XIR instructions (src/ir/xir.ts) ->
 * one JavaScript function that executes them and returns the address to go on at.
 * The dispatcher (user-code.ts) decodes, calls this, and caches the result.
 *
 * State: everything lives in guest registers and memory at every point where the
 * kernel can take control (a fault, an intrinsic, the tick at the block's start), so
 * a process is its registers plus its memory and a block can start at any
 * instruction. A temp is the word(s) at [ebp + offset]: read from memory at its first
 * use in the block, then kept in a JS local until the block ends or something may
 * have changed memory behind it (an intrinsic, a hypercall, a trap: the kernel ran);
 * every write goes to memory at once and to the local. C cannot take a temp's
 * address, so the program's own stores do not invalidate the locals.
 *
 * Shape: function () {
 *   let fp = R[5], o = 0, e = 0; const g = D.gen;
 *   if ((B[0] -= N) < 0) { S.tick(va0); if (D.gen !== g) { B[0] += N; return va0; } fp = R[5]; }
 *   ...; return next;
 * }
 * N counts IR instructions (ENTER and CRET are not); D.gen changes when compiled code
 * is invalidated, checked after the tick, stores and kernel entries so that code
 * written meanwhile is fetched again. Free variables: S (Machine), D (dispatcher), M
 * (GuestMemory), R (registers), B (budget), U8/I32/T (memory fast paths, as jit.ts).
 */
import { type IRType, type Operand, type XInstr, type XOperand } from '../ir/index.js';
import { arithmetic } from './jit-ops.js';
import { lit, memoryAccessors } from './jit-memory.js';
import type { CompileContext } from './jit.js';
import { CS, EAX, EDX, ESP, REG_INDEX, SS, POPSLOT, EIP } from './regs.js';

/** One decoded instruction at its address. */
export interface BlockInstr {
  x: XInstr;
  va: number;
  length: number;
}

/** Whether the instruction ends a block (control goes elsewhere). */
export function endsBlock(x: XInstr): boolean {
  return x.op === 'jmp' || x.op === 'jnz' || x.op === 'ret' || x.op === 'iret' || x.op === 'call' || x.op === 'unreachable';
}

/** IR instructions a block executes (steps): ENTER and CRET are parts of a function entry and a call. */
export function stepCount(xs: BlockInstr[]): number {
  return xs.filter((i) => i.x.op !== 'enter' && i.x.op !== 'cret').length;
}

/** The JS body of the block function for `xs` (non-empty; the last may or may not end the block). */
export function generateBlock(xs: BlockInstr[], ctx: Pick<CompileContext, 'flat' | 'tlb'>): string {
  const { tlb, ld, st } = memoryAccessors(ctx);
  const out: string[] = [];
  const va0 = xs[0]!.va;
  const N = stepCount(xs);
  out.push(`let fp = R[5], o = 0${tlb ? ', e = 0' : ''}; const g = D.gen;`);
  if (N > 0) out.push(`if ((B[0] -= ${N}) < 0) { S.tick(${lit(va0)}); if (D.gen !== g) { B[0] += ${N}; return ${lit(va0)}; } fp = R[5]; }`);

  // Temp values known in JS locals within the block, by frame offset.
  let cache = new Map<number, { js: string; type: IRType }>();
  let nlocal = 0;
  const fresh = (): string => `c${nlocal++}`;
  const at = (off: number): string => `((fp + ${off}) | 0)`;
  let E = '0';
  const readTemp = (off: number, type: IRType): string => {
    const c = cache.get(off);
    if (c && c.type === type) return c.js;
    const v = fresh();
    if (type === 'w') out.push(`const ${v} = ${ld('ld32', at(off), E)};`);
    else out.push(`const ${v} = S.mk64(M.ld32(${at(off)}, ${E}), M.ld32(${at(off + 4)}, ${E}));`);
    cache.set(off, { js: v, type });
    return v;
  };
  const forget = (off: number, size: number): void => {
    for (const k of [...cache.keys()]) if (k < off + size && off < k + (cache.get(k)!.type === 'l' ? 8 : 4)) cache.delete(k);
  };
  /** Writes the value of the JS expression `expr` (of `type`) to the temp at `off`. */
  const writeTemp = (off: number, type: IRType, expr: string): void => {
    const v = fresh();
    out.push(`const ${v} = ${expr};`);
    if (type === 'w') out.push(st('st32', at(off), v, E));
    else out.push(`M.st32(${at(off)}, Number(BigInt.asIntN(32, ${v})), ${E}); M.st32(${at(off + 4)}, Number(BigInt.asIntN(32, ${v} >> 32n)), ${E});`);
    forget(off, type === 'l' ? 8 : 4);
    cache.set(off, { js: v, type });
  };
  const opW = (o: XOperand): string => (o.kind === 'temp' ? readTemp(o.offset, 'w') : o.kind === 'const' ? lit(Number(BigInt.asIntN(32, o.value))) : '0');
  const opL = (o: XOperand): string => (o.kind === 'temp' ? readTemp(o.offset, 'l') : o.kind === 'const' ? `(${BigInt.asIntN(64, o.value)}n)` : '0n');
  // IR-shaped operands for the shared arithmetic code: a temp's name is its offset.
  const irOp = (o: XOperand): Operand => (o.kind === 'temp' ? { kind: 'temp', name: String(o.offset) } : { kind: 'const', value: o.kind === 'const' ? o.value : 0n });
  const fromIr = (o: Operand, t: IRType): string =>
    o.kind === 'temp' ? readTemp(Number(o.name), t) : t === 'w' ? lit(Number(BigInt.asIntN(32, (o as { value: bigint }).value))) : `(${BigInt.asIntN(64, (o as { value: bigint }).value)}n)`;
  /** The kernel may have run: locals and fp are re-read, and code written meanwhile is fetched again. */
  const kernelRan = (next: number): void => {
    cache = new Map();
    out.push(`fp = R[5]; if (D.gen !== g) return ${lit(next)};`);
  };
  const enterKernel = (next: number): void => {
    out.push(`S.nextFor = ${E}; S.nextEip = ${lit(next)};`);
  };

  for (const { x, va, length } of xs) {
    E = lit(va);
    const next = (va + length) | 0;
    switch (x.op) {
      case 'binary':
      case 'compare':
      case 'unary': {
        const d = fresh();
        const type: IRType = x.op === 'compare' ? 'w' : x.type;
        out.push(`let ${d} = ${type === 'w' ? '0' : '0n'};`);
        const i =
          x.op === 'binary'
            ? { kind: 'binary' as const, op: x.bin, type: x.type, dst: d, a: irOp(x.a), b: irOp(x.b), loc: { file: 0, line: 0 } }
            : x.op === 'compare'
              ? { kind: 'compare' as const, cond: x.cond, argType: x.argType, type: 'w' as const, dst: d, a: irOp(x.a), b: irOp(x.b), loc: { file: 0, line: 0 } }
              : { kind: 'unary' as const, op: x.un, type: x.type, dst: d, a: irOp(x.a), loc: { file: 0, line: 0 } };
        out.push(arithmetic(i, d, (o) => fromIr(o, 'w'), (o) => fromIr(o, 'l'), E));
        writeTemp(x.dst, type, d);
        break;
      }
      case 'load': {
        const a = opW(x.addr);
        let e: string;
        if (x.load === 'loadl') e = `S.mk64(M.ld32(${a}, ${E}), M.ld32((${a} + 4) | 0, ${E}))`;
        else {
          const fn = { loadw: 'ld32', loadsh: 'ld16s', loaduh: 'ld16u', loadsb: 'ld8s', loadub: 'ld8u' }[x.load];
          e = ld(fn, a, E);
          if (x.type === 'l') e = `BigInt(${e})`;
        }
        writeTemp(x.dst, x.load === 'loadl' ? 'l' : x.type, e);
        break;
      }
      case 'store': {
        const a = opW(x.addr);
        if (x.store === 'storel') {
          const v = opL(x.value);
          out.push(`M.st32(${a}, Number(BigInt.asIntN(32, ${v})), ${E}); M.st32((${a} + 4) | 0, Number(BigInt.asIntN(32, ${v} >> 32n)), ${E});`);
        } else out.push(st({ storeb: 'st8', storeh: 'st16', storew: 'st32' }[x.store], a, opW(x.value), E));
        out.push(`if (D.gen !== g) return ${lit(next)};`);
        break;
      }
      case 'alloc':
        writeTemp(x.dst, 'w', `R[${ESP}] = ((R[${ESP}] - ${opW(x.size)}) & ${lit(-x.align)})`);
        break;
      case 'vastart':
        writeTemp(x.dst, 'w', `(fp + ${x.offset}) | 0`);
        break;
      case 'call': {
        const args = x.args.map((a) => ({ type: a.type, v: a.type === 'w' ? opW(a.value) : opL(a.value) }));
        const callee = opW(x.callee);
        const bytes = args.reduce((n, a) => n + (a.type === 'l' ? 8 : 4), 0);
        out.push(`{ const sp = (R[${ESP}] - ${bytes + 4}) | 0;`);
        let off = 4;
        for (const a of args) {
          if (a.type === 'w') out.push(st('st32', `((sp + ${off}) | 0)`, a.v, E));
          else out.push(`M.st32((sp + ${off}) | 0, Number(BigInt.asIntN(32, ${a.v})), ${E}); M.st32((sp + ${off + 4}) | 0, Number(BigInt.asIntN(32, ${a.v} >> 32n)), ${E});`);
          off += a.type === 'l' ? 8 : 4;
        }
        out.push(st('st32', 'sp', lit(next), E), `R[${ESP}] = sp; return ${callee}; }`);
        break;
      }
      case 'cret':
        if (x.argBytes) out.push(`R[${ESP}] = (R[${ESP}] + ${x.argBytes}) | 0;`);
        if (x.dst !== undefined) writeTemp(x.dst, x.type ?? 'w', x.type === 'l' ? `S.mk64(R[${EAX}], R[${EDX}])` : `R[${EAX}]`);
        break;
      case 'enter':
        out.push(`{ const sp = (R[${ESP}] - 4) | 0; ${st('st32', 'sp', 'R[5]', E)} fp = R[5] = sp; R[${ESP}] = (sp - ${x.frame}) | 0; }`);
        cache = new Map();
        break;
      case 'rdreg':
        writeTemp(x.dst, 'w', `R[${REG_INDEX[x.reg]}]`);
        break;
      case 'wrreg': {
        const r = REG_INDEX[x.reg];
        const v = opW(x.value);
        if (r >= CS && r <= SS) {
          out.push(`S.writeSegment(${JSON.stringify(x.reg)}, ${v}, ${E});`);
          kernelRan(next);
        } else if (r === 5) {
          out.push(`fp = R[5] = ${v};`);
          cache = new Map();
        } else out.push(`R[${r}] = ${v};`);
        break;
      }
      case 'intr': {
        const a = x.args.map(opW);
        const d = x.dst !== undefined ? fresh() : undefined;
        let e: string;
        if (x.name === 'bsf' || x.name === 'bsr' || x.name === 'bswap') e = `S.${x.name}(${a[0] ?? '0'})`;
        else {
          enterKernel(next);
          e = `S.intrinsic(${JSON.stringify(x.name)}, ${a[0] ?? '0'}, ${a[1] ?? '0'}, ${a[2] ?? '0'}, ${E})`;
        }
        out.push(d ? `const ${d} = ${e};` : `${e};`);
        if (d) writeTemp(x.dst!, 'w', d);
        if (!(x.name === 'bsf' || x.name === 'bsr' || x.name === 'bswap')) kernelRan(next);
        break;
      }
      case 'hypercall':
        enterKernel(next);
        out.push(`S.hypercall(${E});`);
        kernelRan(next);
        break;
      case 'trap':
        enterKernel(next);
        out.push(`S.trap(${JSON.stringify(x.message)}, ${E});`);
        kernelRan(next);
        break;
      case 'jmp':
        out.push(`return ${lit(va + x.rel)};`);
        break;
      case 'jnz':
        out.push(`return ${opW(x.cond)} !== 0 ? ${lit(va + x.relT)} : ${lit(va + x.relF)};`);
        break;
      case 'ret':
        if (x.value !== undefined) {
          if (x.type === 'l') out.push(`{ const v = ${opL(x.value)}; R[${EAX}] = Number(BigInt.asIntN(32, v)); R[${EDX}] = Number(BigInt.asIntN(32, v >> 32n)); }`);
          else out.push(`R[${EAX}] = ${opW(x.value)};`);
        }
        out.push(`{ const sp = fp; const ofp = ${ld('ld32', 'sp', E)}; const ra = ${ld('ld32', '((sp + 4) | 0)', E)};`);
        out.push(`R[5] = ofp; R[${ESP}] = (sp + 8) | 0; R[${EIP}] = ${E}; R[${POPSLOT}] = (sp + 4) | 0; return ra; }`);
        break;
      case 'iret':
        out.push(`return S.iret(${E});`);
        break;
      case 'unreachable':
        out.push(`return D.undefinedOpcode(${E}, 'executed \`unreachable\`');`);
        break;
    }
  }
  const last = xs[xs.length - 1]!;
  if (!endsBlock(last.x)) out.push(`return ${lit((last.va + last.length) | 0)};`);
  return out.join('\n');
}
