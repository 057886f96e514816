/*
 * The block compiler: one IR function -> one JavaScript function (new Function),
 * compiled on first call and cached by the Machine.
 *
 * Shape of the generated code:
 *   function f(rs) {               // returns the return address its ret/iret popped
 *     let sp0 = 0, cs = 0, bb = 0, n = 0, v0 = 0, ...;
 *     if (rs === undefined) {      // a call: esp points at the return address
 *       sp0 = R[4]; v0 = M.ld32(sp0+4), ...   // parameters (cdecl)
 *     } else { sp0 = rs.v[0] | 0; v0 = rs.v[1] | 0; ...; bb = rs.bb; }   // resume a saved frame
 *     for (;;) { try { switch (bb) {
 *       case 0: if ((B[0] -= n + len) < 0) S.tick(eip); n = 0; ...; bb = 2; continue;
 *       ...    // a call: push args and RA at slot sp;
 *              // try { ra = F[k](); ra/slot not the pushed ones -> S.transfer }
 *              // catch: S.resume with this call's case and slot: continue at a case of
 *              //   this frame, or save the locals live here (jit-live.ts) and rethrow
 *              // case <its case>: ...
 *     } } catch (x) { S.resume (not in a call): continue at a block of this frame, or rethrow }
 *   }
 * Temps are JS locals: `w` as int32 numbers, `l` as BigInt (asIntN(64)). Every
 * instruction that can fault passes its code address (eip) as a constant. A call
 * pushes arguments and the return address on the emulated stack, calls the callee's
 * JS function (F[index]) and checks the address it popped and the slot it popped it
 * from (R[POPSLOT], written by every ret); anything else goes to Machine.transfer.
 * Each call site's own catch knows the case after it and the slot of its return
 * address, so a frame unwound by a context switch can save itself and be resumed
 * (docs/ir.md, "Non-local returns"); the function's catch reads no local but `bb`'s
 * new value, so nothing is kept materialized for it in loops (reading `bb` and a
 * suspension slot there cost sieve about 8 %). A function past SAVE_AT_SITE_LIMIT
 * has no per-call catch: there `bb` and `cs` say where it is suspended.
 * Free variables of the generated code: S (Machine), M (GuestMemory), R (register
 * Int32Array), F (function table, index -> JS function), B (step budget Int32Array),
 * SB (saved-frame slot buckets), U8/I32 (flat memory views, or the RAM of a paged
 * memory, when the fast path is inlined), T (a paged memory's TlbView).
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
import { REG_INDEX, ESP, EAX, EDX, CS, SS, POPSLOT, SAVED } from './regs.js';
import type { TlbView } from './memory.js';
import { lit, memoryAccessors } from './jit-memory.js';
import { alignedTemps, promotedSlots } from './jit-slots.js';
import { savedAtCalls } from './jit-live.js';
import { arithmetic } from './jit-ops.js';

/**
 * A compiled function: called with no argument it runs from its entry (its return
 * address already pushed); called with a SavedFrame it goes on where that frame was
 * suspended. Returns the address its ret/iret popped.
 */
export type CompiledFunction = (rs?: SavedFrame) => number;

/**
 * A frame unwound while suspended in a call (machine.ts, "saved frames"): function
 * index, the address after the call, the case continuing there, and its JS locals
 * (v[0] = esp at entry, then the temps and promoted slots in generation order).
 */
export interface SavedFrame {
  fi: number;
  ra: number;
  bb: number;
  v: unknown[];
}

/**
 * Saved frames are keyed by the stack slot of their return address; compiled calls
 * test a bucket array (free variable SB) so that pushing a return address over a
 * saved frame's slot, which makes that frame stale, costs one lookup when there is
 * none. Bucket of slot sp: Math.imul(sp, SLOT_HASH) >>> (32 - SLOT_HASH_BITS).
 */
export const SLOT_HASH = -1640531535; // 0x9E3779B1, Fibonacci hashing
export const SLOT_HASH_BITS = 12;
export const slotBucket = (sp: number): number => Math.imul(sp, SLOT_HASH) >>> (32 - SLOT_HASH_BITS);

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
  /** The function's own index in the function table (recorded by saved frames). */
  selfIndex?: number;
}

/** Most local names all call sites' catch clauses may list together (see generate). */
export const SAVE_AT_SITE_LIMIT = 200_000;

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

  // Every JS local the frame needs to go on later: sp0, the temps, the promoted slots
  // (saved and restored by a suspended frame, machine.ts "saved frames").
  const state: { name: string; js: string; type: IRType | 'slot8' | 'slot' }[] = [
    ...[...vars].map(([name, v]) => ({ name, js: v.js, type: v.type })),
    ...[...slots].map(([name, sl]) => ({ name: '@' + name, js: sl.js, type: sl.width === 8 ? ('slot8' as const) : ('slot' as const) })),
  ];
  const zero = (t: IRType | 'slot8' | 'slot'): string => (t === 'l' || t === 'slot8' ? '0n' : '0');
  const saveAll = `[sp0${state.map((v) => ', ' + v.js).join('')}]`;
  // A call site saves only what its continuation or a block entered later may read
  // (jit-live.ts); the rest is dead there and saved as 0.
  const keep = savedAtCalls(fn, slots);
  const saveAt = (call: Instruction): string => {
    const k = keep.get(call)!;
    return `[sp0${state.map((v) => ', ' + (k.has(v.name) ? v.js : zero(v.type))).join('')}]`;
  };
  // Each call site's catch lists every local: calls x locals names in all. Past a
  // bound (a generated function with thousands of calls and temps made 150 MB of
  // source, beyond what V8 compiles) the frame saves itself once, in the outer catch,
  // with the call's return address from CRA; slower, since the optimizer then keeps
  // every local materialized wherever the switch may throw, but the size is linear.
  const calls = fn.blocks.reduce((n, b) => n + b.instrs.filter((i) => i.kind === 'call').length, 0);
  const saveAtSite = calls * (state.length + 1) <= SAVE_AT_SITE_LIMIT;
  const callRA: number[] = [];
  const TRY = saveAtSite ? 'try {' : '{';
  const out: string[] = [];
  out.push(`let sp0 = 0, o = 0, ${tlb ? 'e = 0, ' : ''}cs = 0, bb = 0, n = 0;`);
  if (state.length) out.push('let ' + state.map((v) => `${v.js} = ${zero(v.type)}`).join(', ') + ';');
  out.push('if (rs === undefined) {', 'sp0 = R[4];');
  {
    let off = 4;
    for (const p of fn.params) {
      const v = dst(p.name);
      if (p.type === 'w') out.push(`${v} = ${ld('ld32', `((sp0 + ${off}) | 0)`, lit(base))};`);
      else out.push(`${v} = S.mk64(M.ld32((sp0 + ${off}) | 0, ${lit(base)}), M.ld32((sp0 + ${off + 4}) | 0, ${lit(base)}));`);
      off += argSize(p.type);
    }
  }
  // Resume mode: a frame saved while suspended in a call goes on at that call's
  // continuation with its locals (`| 0` keeps w locals int32 for the optimizer).
  out.push('} else {', 'const q = rs.v; sp0 = q[0] | 0;');
  state.forEach((v, k) => out.push(v.type === 'l' || v.type === 'slot8' ? `${v.js} = q[${k + 1}];` : `${v.js} = q[${k + 1}] | 0;`));
  out.push('bb = rs.bb;', '}');
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
  // A control signal this frame does not continue at passes on (a frame suspended in a
  // call has saved itself in that call's own catch).
  out.push(
    saveAtSite
      ? '} } catch (x) { const c = S.resume(x, RT, -1, 0); if (c < 0) throw x; bb = c; } }'
      : `} } catch (x) { const c = S.resume(x, RT, bb, cs); if (c < 0) { if (c === -1 && cs !== 0) S.saveFrame(cs, ${ctx.selfIndex ?? -1}, CRA[bb - ${fn.blocks.length}], bb, ${saveAll}); throw x; } bb = c; cs = 0; } }`,
  );
  // RT: code address -> case, for non-local continuation (docs/ir.md, "Non-local
  // returns"): a block start maps to its case k, the address after a call to ~case.
  const cra = saveAtSite ? '' : `const CRA = [${callRA.join(', ')}];\n`;
  return `const RT = new Map([${resume.map(([a, c]) => `[${a}, ${c}]`).join(', ')}]);\n${cra}return function ${jsName(fn.name)}(rs) {\n${out.join('\n')}\n};`;

  function emit(i: Instruction, E: string, nextAddr: number, blockIndex: number): string {
    switch (i.kind) {
      case 'binary':
      case 'compare':
      case 'unary':
        return arithmetic(i, dst(i.dst), w, l, E);
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
        // bb and cs say where this frame is suspended while the callee runs; a
        // saved frame at this slot is stale once the slot holds a new return address.
        const id = nextCase++;
        parts.push(st('st32', 'sp', RA, E), 'R[4] = sp;', `${saveAtSite ? '' : `bb = ${id}; cs = sp; `}if (R[${SAVED}] !== 0 && SB[Math.imul(sp, ${SLOT_HASH}) >>> ${32 - SLOT_HASH_BITS}] !== 0) S.pushedAt(sp);`);
        let target: number | undefined;
        if (i.callee.kind === 'global' && i.callee.offset === 0) {
          const addr = f.refs.get(i.callee.name)!;
          target = ctx.functionIndexAt(addr >>> 0);
          if (target === undefined) parts.push(`${TRY} const ra = S.callAt(${lit(addr)}, ${E});`);
          else parts.push(`${TRY} const ra = F[${target}]();`);
        } else parts.push(`${TRY} const ra = S.callAt(fp, ${E});`);
        parts.push(`if (ra !== ${RA} || R[${POPSLOT}] !== sp) S.transfer(ra, ${RA}, ${E}, sp);`);
        // A control signal that does not continue in this frame finds it suspended
        // here: it saves itself. (Only call sites read every local in a catch, so the
        // optimizer keeps them materialized at calls only, not at every access.)
        if (saveAtSite) parts.push(`} catch (x) { const c = S.resume(x, RT, ${id}, sp); if (c < 0) { if (c === -1) S.saveFrame(sp, ${ctx.selfIndex ?? -1}, ${RA}, ${id}, ${saveAt(i)}); throw x; } bb = c; continue; }`);
        else {
          callRA.push(nextAddr >>> 0);
          parts.push('}');
        }
        resume.push([nextAddr >>> 0, ~id]);
        parts.push(`} case ${id}: {${saveAtSite ? '' : ' cs = 0;'}`);
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
        parts.push(`{ const sp = R[${ESP}]; const ra = ${ld('ld32', 'sp', E)}; R[${ESP}] = (sp + 4) | 0; R[15] = ${E}; R[${POPSLOT}] = sp; return ra; }`);
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
  SB: Int32Array,
  U8?: Uint8Array,
  I32?: Int32Array,
  T?: TlbView,
): CompiledFunction {
  const body = generate(f, ctx);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('S', 'M', 'R', 'F', 'B', 'SB', 'U8', 'I32', 'T', body) as (...a: unknown[]) => CompiledFunction;
  return factory(S, M, R, F, B, SB, U8, I32, T);
}

