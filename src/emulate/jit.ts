/*
 * The block compiler: one IR function -> one JavaScript function (new Function),
 * compiled on first call and cached by the Machine.
 *
 * Shape of the generated code:
 *   function f() {                 // returns the return address its ret/iret popped
 *     const sp0 = R[4];            // esp at entry: points at the return address
 *     let v0 = M.ld32(sp0+4), ...  // parameters, read from the emulated stack (cdecl)
 *     let bb = 0;
 *     for (;;) switch (bb) {
 *       case 0: if ((B[0] -= n + len) < 0) S.tick(eip); n = 0; ...; bb = 2; continue;
 *       ...
 *     }
 *   }
 * Temps are JS locals: `w` as int32 numbers, `l` as BigInt (asIntN(64)). Every
 * instruction that can fault passes its code address (eip) as a constant. A call
 * pushes arguments and the return address on the emulated stack, calls the callee's
 * JS function (F[index]) and checks the address it popped (bad-return otherwise).
 * Free variables of the generated code: S (Machine), M (GuestMemory), R (register
 * Int32Array), F (function table, index -> JS function), B (step budget Int32Array),
 * U8/I32 (flat memory views, or the RAM of a paged memory, when the fast path is
 * inlined), T (a paged memory's TlbView).
 *
 * Memory fast paths. Flat memory (run mode), with o the offset into U8/I32:
 *   v1 = (((o = v0 >>> 0) & 3) === 0 && o < 33554432) ? I32[o >>> 2] : M.ld32(v0, E)
 * Paged memory with a TlbView (memory.ts), with e the TLB entry of the page:
 *   v1 = (((e = T.rd[v0 >>> 12]) !== 0 && (v0 & 3) === 0) ? I32[((e & -4096) | (v0 & 4095)) >>> 2] : M.ld32(v0, E))
 *   if ((e = T.wr[v0 >>> 12]) !== 0) U8[(e & -4096) | (v0 & 4095)] = v2; else M.st8(v0, v2, E);
 * i.e. a hit is one array lookup and one RAM access; a miss, a page-crossing access
 * (16-bit at offset 4095; 32-bit at any unaligned address) and anything needing a
 * walk, an A/D update or a fault call the GuestMemory method. T.rd/T.wr are read at
 * every access, so a privilege change (the memory swaps the arrays) or an invlpg is
 * seen by code compiled before it. 64-bit accesses always call M.
 */
import { unreachable } from '../errors.js';
import { argSize, type Instruction, type IRType, type Operand } from '../ir/index.js';
import type { ImageFunction } from '../ir/index.js';
import { REG_INDEX, ESP, EAX, EDX, CS, SS } from './regs.js';
import type { TlbView } from './memory.js';
import { lit, memoryAccessors } from './jit-memory.js';
import { alignedTemps, promotedSlots } from './jit-slots.js';

export type CompiledFunction = () => number;

/** What the compiler needs from the machine: where direct call targets live. */
export interface CompileContext {
  /** Function-table index of the function starting at `addr` (unsigned), if any. */
  functionIndexAt(addr: number): number | undefined;
  /**
   * Flat memory [base, base + size) to inline the fast path of loads and stores
   * against (free variables U8 and I32 of the generated code); the slow path and every
   * other case call M. Absent = always call M, unless `tlb`.
   */
  flat?: { base: number; size: number };
  /**
   * Inline the TLB hit path of a paged memory (memory.ts, TlbView): free variable T is
   * the view, U8/I32 its `ram`/`ram32`. Ignored when `flat` is given.
   */
  tlb?: boolean;
}

const jsName = (n: string): string => 'ir_' + n.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * JS source of the factory body for `f` (exported for tests and dumps): it defines the
 * continuation table RT and returns the compiled function.
 */
export function generate(f: ImageFunction, ctx: CompileContext): string {
  const fn = f.fn;
  const base = f.addr >>> 0;
  const vars = new Map<string, { js: string; type: IRType }>();
  const varOf = (name: string, type: IRType): string => {
    let v = vars.get(name);
    if (!v) {
      v = { js: `v${vars.size}`, type };
      vars.set(name, v);
    }
    return v.js;
  };
  for (const p of fn.params) varOf(p.name, p.type);
  for (const b of fn.blocks)
    for (const i of b.instrs) if ('dst' in i && i.dst !== undefined) varOf(i.dst, (i as { type?: IRType }).type ?? 'w');

  const hasAlloc = fn.blocks.some((b) => b.instrs.some((i) => i.kind === 'alloc'));
  const labelIndex = new Map(fn.blocks.map((b, k) => [b.label, k]));
  const paramBytes = fn.params.reduce((n, p) => n + argSize(p.type), 0);

  const w = (o: Operand): string => {
    switch (o.kind) {
      case 'temp': {
        const v = vars.get(o.name);
        if (!v) unreachable(`jit: undefined temp %${o.name} in $${fn.name} (verify first)`);
        return v.type === 'w' ? v.js : `Number(BigInt.asIntN(32, ${v.js}))`;
      }
      case 'const':
        return lit(Number(BigInt.asIntN(32, o.value)));
      case 'global': {
        const a = f.refs.get(o.name);
        if (a === undefined) unreachable(`jit: unresolved $${o.name} in $${fn.name}`);
        return lit(a + o.offset);
      }
    }
  };
  const l = (o: Operand): string => {
    switch (o.kind) {
      case 'temp': {
        const v = vars.get(o.name)!;
        return v.type === 'l' ? v.js : `BigInt(${v.js})`;
      }
      case 'const':
        return `(${BigInt.asIntN(64, o.value)}n)`;
      case 'global':
        return `BigInt(${w(o)})`;
    }
  };
  const val = (o: Operand, t: IRType): string => (t === 'w' ? w(o) : l(o));
  const aligned = alignedTemps(fn);
  const slots = promotedSlots(fn);
  const isAligned = (o: Operand): boolean =>
    (o.kind === 'temp' && aligned.has(o.name)) || (o.kind === 'global' && ((f.refs.get(o.name)! + o.offset) & 3) === 0) || (o.kind === 'const' && (Number(o.value & 3n) === 0));
  const { tlb, ld, st } = memoryAccessors(ctx);
  const dst = (name: string): string => vars.get(name)!.js;

  const out: string[] = [];
  out.push(tlb ? 'const sp0 = R[4]; let o = 0, e = 0;' : 'const sp0 = R[4]; let o = 0;');
  {
    let off = 4;
    for (const p of fn.params) {
      const v = dst(p.name);
      if (p.type === 'w') out.push(`let ${v} = ${ld('ld32', `((sp0 + ${off}) | 0)`, lit(base))};`);
      else out.push(`let ${v} = S.mk64(M.ld32((sp0 + ${off}) | 0, ${lit(base)}), M.ld32((sp0 + ${off + 4}) | 0, ${lit(base)}));`);
      off += argSize(p.type);
    }
  }
  const locals = [...vars.entries()].filter(([n]) => !fn.params.some((p) => p.name === n));
  if (locals.length) out.push('let ' + locals.map(([, v]) => `${v.js} = ${v.type === 'w' ? '0' : '0n'}`).join(', ') + ';');
  if (slots.size) out.push('let ' + [...slots.values()].map((sl) => `${sl.js} = ${sl.width === 8 ? '0n' : '0'}`).join(', ') + ';');
  out.push('let bb = 0, n = 0;');
  out.push('for (;;) { try { switch (bb) {');

  // Steps are summed in the local n and subtracted from the budget B[0] (with the
  // limit check) at the entry block and at every target of a backward edge, so every
  // cycle checks; n is also flushed before anything that leaves the function or reads
  // the count (calls, intrinsics, hypercall, trap, ret, iret).
  const flushBlocks = new Set<number>();
  fn.blocks.forEach((b, k) => {
    const t = b.instrs[b.instrs.length - 1];
    const targets = t?.kind === 'jmp' ? [t.target] : t?.kind === 'jnz' ? [t.ifTrue, t.ifFalse] : [];
    for (const lb of targets) {
      const ti = labelIndex.get(lb);
      if (ti !== undefined && ti <= k) flushBlocks.add(ti);
    }
  });
  const FLUSH = 'B[0] -= n; n = 0;';
  // Continuation points: every block start, and the instruction after every call.
  const resume: [number, number][] = [];
  let nextCase = fn.blocks.length;
  const blockStart: number[] = [];
  {
    let n0 = 0;
    for (const b of fn.blocks) (blockStart.push(base + n0), (n0 += b.instrs.length));
  }
  const start0 = (k: number): number => blockStart[k]!;
  let index = 0;
  fn.blocks.forEach((b, k) => {
    resume.push([start0(k), k]);
    out.push(`case ${k}:`);
    const start = base + index;
    if (k === 0 || flushBlocks.has(k)) out.push(`if ((B[0] -= n + ${b.instrs.length}) < 0) { n = 0; S.tick(${lit(start)}); } n = 0;`);
    else out.push(`n += ${b.instrs.length};`);
    for (const ins of b.instrs) {
      const eip = lit(base + index);
      index++;
      out.push(emit(ins, eip, base + index, k));
    }
  });
  out.push(`default: S.unreachableBlock(bb); return 0;`);
  out.push('} } catch (e) { bb = S.resume(e, RT); } }');
  // RT: code address -> case, for non-local continuation (docs/ir.md, "Non-local returns").
  return `const RT = new Map([${resume.map(([a, c]) => `[${a}, ${c}]`).join(', ')}]);\nreturn function ${jsName(fn.name)}() {\n${out.join('\n')}\n};`;

  function emit(i: Instruction, E: string, nextAddr: number, blockIndex: number): string {
    switch (i.kind) {
      case 'binary': {
        const d = dst(i.dst);
        if (i.type === 'w') {
          const a = w(i.a);
          const b = w(i.b);
          switch (i.op) {
            case 'add': return `${d} = (${a} + ${b}) | 0;`;
            case 'sub': return `${d} = (${a} - ${b}) | 0;`;
            case 'mul': return `${d} = Math.imul(${a}, ${b});`;
            case 'and': return `${d} = ${a} & ${b};`;
            case 'or': return `${d} = ${a} | ${b};`;
            case 'xor': return `${d} = ${a} ^ ${b};`;
            case 'shl': return `${d} = ${a} << ${b};`;
            case 'shr': return `${d} = (${a} >>> ${b}) | 0;`;
            case 'sar': return `${d} = ${a} >> ${b};`;
            case 'div':
              return `{ const x = ${a}, y = ${b}; ${d} = (y === 0 || (y === -1 && x === -2147483648)) ? S.divError(${E}) : (x / y) | 0; }`;
            case 'rem':
              return `{ const x = ${a}, y = ${b}; ${d} = (y === 0 || (y === -1 && x === -2147483648)) ? S.divError(${E}) : (x % y) | 0; }`;
            case 'udiv':
              return `{ const x = ${a} >>> 0, y = ${b} >>> 0; ${d} = y === 0 ? S.divError(${E}) : (x / y) | 0; }`;
            case 'urem':
              return `{ const x = ${a} >>> 0, y = ${b} >>> 0; ${d} = y === 0 ? S.divError(${E}) : (x % y) | 0; }`;
          }
        }
        const a = l(i.a);
        const W = (e: string): string => `${d} = BigInt.asIntN(64, ${e});`;
        switch (i.op) {
          case 'add': return W(`${a} + ${l(i.b)}`);
          case 'sub': return W(`${a} - ${l(i.b)}`);
          case 'mul': return W(`${a} * ${l(i.b)}`);
          case 'and': return `${d} = ${a} & ${l(i.b)};`;
          case 'or': return `${d} = ${a} | ${l(i.b)};`;
          case 'xor': return `${d} = ${a} ^ ${l(i.b)};`;
          case 'shl': return W(`${a} << BigInt(${w(i.b)} & 63)`);
          case 'shr': return W(`BigInt.asUintN(64, ${a}) >> BigInt(${w(i.b)} & 63)`);
          case 'sar': return `${d} = ${a} >> BigInt(${w(i.b)} & 63);`;
          case 'div':
            return `{ const x = ${a}, y = ${l(i.b)}; ${d} = (y === 0n || (y === -1n && x === -9223372036854775808n)) ? BigInt(S.divError(${E})) : x / y; }`;
          case 'rem':
            return `{ const x = ${a}, y = ${l(i.b)}; ${d} = (y === 0n || (y === -1n && x === -9223372036854775808n)) ? BigInt(S.divError(${E})) : x % y; }`;
          case 'udiv':
            return `{ const x = BigInt.asUintN(64, ${a}), y = BigInt.asUintN(64, ${l(i.b)}); ${d} = y === 0n ? BigInt(S.divError(${E})) : BigInt.asIntN(64, x / y); }`;
          case 'urem':
            return `{ const x = BigInt.asUintN(64, ${a}), y = BigInt.asUintN(64, ${l(i.b)}); ${d} = y === 0n ? BigInt(S.divError(${E})) : BigInt.asIntN(64, x % y); }`;
        }
        return unreachable('jit: binary op');
      }
      case 'compare': {
        const d = dst(i.dst);
        const signed = i.cond[0] === 's' || i.cond === 'eq' || i.cond === 'ne';
        const rel = { eq: '===', ne: '!==', slt: '<', sle: '<=', sgt: '>', sge: '>=', ult: '<', ule: '<=', ugt: '>', uge: '>=' }[i.cond];
        if (i.argType === 'w') {
          const a = signed ? w(i.a) : `(${w(i.a)} >>> 0)`;
          const b = signed ? w(i.b) : `(${w(i.b)} >>> 0)`;
          return `${d} = (${a} ${rel} ${b}) ? 1 : 0;`;
        }
        const a = signed ? l(i.a) : `BigInt.asUintN(64, ${l(i.a)})`;
        const b = signed ? l(i.b) : `BigInt.asUintN(64, ${l(i.b)})`;
        return `${d} = (${a} ${rel} ${b}) ? 1 : 0;`;
      }
      case 'unary': {
        const d = dst(i.dst);
        const toT = (e: string): string => (i.type === 'w' ? `${d} = ${e};` : `${d} = BigInt(${e});`);
        switch (i.op) {
          case 'copy': return `${d} = ${val(i.a, i.type)};`;
          case 'neg': return i.type === 'w' ? `${d} = (-${w(i.a)}) | 0;` : `${d} = BigInt.asIntN(64, -${l(i.a)});`;
          case 'not': return i.type === 'w' ? `${d} = ~${w(i.a)};` : `${d} = ~${l(i.a)};`;
          case 'extsb': return toT(`((${w(i.a)} << 24) >> 24)`);
          case 'extub': return toT(`(${w(i.a)} & 255)`);
          case 'extsh': return toT(`((${w(i.a)} << 16) >> 16)`);
          case 'extuh': return toT(`(${w(i.a)} & 65535)`);
          case 'extsw': return `${d} = BigInt(${w(i.a)});`;
          case 'extuw': return `${d} = BigInt(${w(i.a)} >>> 0);`;
          case 'trunc': return `${d} = ${w(i.a)};`;
        }
        return unreachable('jit: unary op');
      }
      case 'load': {
        const d = dst(i.dst);
        const slot = i.addr.kind === 'temp' ? slots.get(i.addr.name) : undefined;
        if (slot) {
          const e = { loadw: slot.js, loadl: slot.js, loadsh: `((${slot.js} << 16) >> 16)`, loaduh: slot.js, loadsb: `((${slot.js} << 24) >> 24)`, loadub: slot.js }[i.op];
          return i.type === 'l' && i.op !== 'loadl' ? `${d} = BigInt(${e});` : `${d} = ${e};`;
        }
        const a = w(i.addr);
        if (i.op === 'loadl') return `{ const a = ${a}; ${d} = S.mk64(M.ld32(a, ${E}), M.ld32((a + 4) | 0, ${E})); }`;
        const fnName = { loadw: 'ld32', loadsh: 'ld16s', loaduh: 'ld16u', loadsb: 'ld8s', loadub: 'ld8u' }[i.op];
        const al = isAligned(i.addr);
        return i.type === 'w' ? `${d} = ${ld(fnName, a, E, al)};` : `${d} = BigInt(${ld(fnName, a, E, al)});`;
      }
      case 'store': {
        const slot = i.addr.kind === 'temp' ? slots.get(i.addr.name) : undefined;
        if (slot) {
          const v = i.op === 'storel' ? l(i.value) : w(i.value);
          return { storeb: `${slot.js} = ${v} & 255;`, storeh: `${slot.js} = ${v} & 65535;`, storew: `${slot.js} = ${v};`, storel: `${slot.js} = ${v};` }[i.op];
        }
        const a = w(i.addr);
        if (i.op === 'storel') {
          return `{ const a = ${a}, v = ${l(i.value)}; M.st32(a, Number(BigInt.asIntN(32, v)), ${E}); M.st32((a + 4) | 0, Number(BigInt.asIntN(32, v >> 32n)), ${E}); }`;
        }
        const fnName = { storeb: 'st8', storeh: 'st16', storew: 'st32' }[i.op];
        return st(fnName, a, w(i.value), E, isAligned(i.addr));
      }
      case 'alloc':
        return `${dst(i.dst)} = R[4] = ((R[4] - ${w(i.size)}) & ${lit(-i.align)});`;
      case 'vastart':
        return `${dst(i.dst)} = (sp0 + ${4 + paramBytes}) | 0;`;
      case 'call': {
        const argBytes = i.args.reduce((n, a) => n + argSize(a.type), 0);
        const parts: string[] = ['{', FLUSH];
        // Evaluate arguments before moving esp (an argument may read esp-relative state).
        i.args.forEach((a, n) => parts.push(`const a${n} = ${val(a.value, a.type)};`));
        if (i.callee.kind !== 'global' || i.callee.offset !== 0) parts.push(`const fp = ${w(i.callee)};`);
        parts.push(`let sp = (R[4] - ${argBytes + 4}) | 0;`);
        let off = 4;
        i.args.forEach((a, n) => {
          if (a.type === 'w') parts.push(st('st32', `((sp + ${off}) | 0)`, `a${n}`, E));
          else
            parts.push(
              `M.st32((sp + ${off}) | 0, Number(BigInt.asIntN(32, a${n})), ${E}); M.st32((sp + ${off + 4}) | 0, Number(BigInt.asIntN(32, a${n} >> 32n)), ${E});`,
            );
          off += argSize(a.type);
        });
        const RA = lit(nextAddr);
        parts.push(st('st32', 'sp', RA, E), 'R[4] = sp;');
        let target: number | undefined;
        if (i.callee.kind === 'global' && i.callee.offset === 0) {
          const addr = f.refs.get(i.callee.name)!;
          target = ctx.functionIndexAt(addr >>> 0);
          if (target === undefined) parts.push(`const ra = S.callAt(${lit(addr)}, ${E});`);
          else parts.push(`const ra = F[${target}]();`);
        } else parts.push(`const ra = S.callAt(fp, ${E});`);
        parts.push(`if (ra !== ${RA}) S.transfer(ra, ${RA}, ${E});`);
        const id = nextCase++;
        resume.push([nextAddr >>> 0, id]);
        parts.push(`} bb = ${id}; case ${id}: {`);
        if (argBytes) parts.push(`R[4] = (R[4] + ${argBytes}) | 0;`);
        if (i.dst !== undefined) {
          if (i.type === 'l') parts.push(`${dst(i.dst)} = S.mk64(R[${EAX}], R[${EDX}]);`);
          else parts.push(`${dst(i.dst)} = R[${EAX}];`);
        }
        parts.push('}');
        return parts.join(' ');
      }
      case 'rdreg':
        return `${dst(i.dst)} = R[${REG_INDEX[i.reg]}];`;
      case 'wrreg': {
        const r = REG_INDEX[i.reg];
        if (r >= CS && r <= SS) return `S.writeSegment(${JSON.stringify(i.reg)}, ${w(i.value)}, ${E});`;
        return `R[${r}] = ${w(i.value)};`;
      }
      case 'intr': {
        const args = i.args.map(w);
        let e: string;
        switch (i.name) {
          case 'bsf': e = `S.bsf(${args[0]})`; break;
          case 'bsr': e = `S.bsr(${args[0]})`; break;
          case 'bswap': e = `S.bswap(${args[0]})`; break;
          default:
            e = `(${FLUSH.replace('; n = 0;', ', n = 0,')} S.intrinsic(${JSON.stringify(i.name)}, ${args[0] ?? '0'}, ${args[1] ?? '0'}, ${args[2] ?? '0'}, ${E}))`;
        }
        return i.dst !== undefined ? `${dst(i.dst)} = ${e};` : `${e};`;
      }
      case 'hypercall':
        return `${FLUSH} S.hypercall(${E});`;
      case 'trap':
        return `${FLUSH} S.trap(${JSON.stringify(i.message)}, ${E});`;
      case 'jmp': {
        const t = labelIndex.get(i.target)!;
        return t === blockIndex + 1 ? `bb = ${t}; /* falls through */` : `bb = ${t}; continue;`;
      }
      case 'jnz': {
        const t = labelIndex.get(i.ifTrue)!;
        const f2 = labelIndex.get(i.ifFalse)!;
        if (f2 === blockIndex + 1) return `if (${w(i.cond)} !== 0) { bb = ${t}; continue; } bb = ${f2};`;
        if (t === blockIndex + 1) return `if (${w(i.cond)} === 0) { bb = ${f2}; continue; } bb = ${t};`;
        return `bb = ${w(i.cond)} !== 0 ? ${t} : ${f2}; continue;`;
      }
      case 'ret': {
        const parts: string[] = [FLUSH];
        if (i.value) {
          if (fn.retType === 'l') parts.push(`{ const v = ${l(i.value)}; R[${EAX}] = Number(BigInt.asIntN(32, v)); R[${EDX}] = Number(BigInt.asIntN(32, v >> 32n)); }`);
          else parts.push(`R[${EAX}] = ${w(i.value)};`);
        }
        if (hasAlloc) parts.push(`R[${ESP}] = sp0;`);
        // R[15] (eip) = this ret, so a transfer to an unexpected address names it.
        parts.push(`{ const sp = R[${ESP}]; const ra = ${ld('ld32', 'sp', E)}; R[${ESP}] = (sp + 4) | 0; R[15] = ${E}; return ra; }`);
        return parts.join(' ');
      }
      case 'iret':
        return `${FLUSH} return S.iret(${E});`;
      case 'unreachable':
        return `${FLUSH} S.invalidOpcode(${E}); return 0;`;
    }
  }
}

/** Compiles `f` into a JS function bound to the machine's objects. */
export function compileFunction(
  f: ImageFunction,
  ctx: CompileContext,
  S: unknown,
  M: unknown,
  R: Int32Array,
  F: CompiledFunction[],
  B: Int32Array,
  U8?: Uint8Array,
  I32?: Int32Array,
  T?: TlbView,
): CompiledFunction {
  const body = generate(f, ctx);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('S', 'M', 'R', 'F', 'B', 'U8', 'I32', 'T', body) as (...a: unknown[]) => CompiledFunction;
  return factory(S, M, R, F, B, U8, I32, T);
}

