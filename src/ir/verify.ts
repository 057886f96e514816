/*
 * The IR verifier: rejects malformed modules with messages in the IR's own notation,
 * naming the function, the block and the instruction:
 *   $main @entry #2 `%t =w add %x, %y`: undefined temporary %y
 * (#n is the 0-based index of the instruction in its block).
 * Checks: duplicate definitions, block structure (non-empty, one terminator at the
 * end), unknown labels, temps never defined or used where no path defines them, one
 * type per temp, operand types, intrinsic and same-module call arity, vastart only in
 * varargs functions, alignments, locations inside the file table, absolute values
 * that fit in 32 bits, known data sections (".bss" only with `z` items).
 * Symbol resolution across modules is the linker's job.
 */
import { IRError } from '../errors.js';
import { printInstructionBody } from './print.js';
import {
  DATA_SECTIONS,
  INTRINSICS,
  isTerminator,
  type Instruction,
  type IRFunction,
  type IRModule,
  type IRType,
  type Operand,
} from './types.js';

export interface VerifyProblem {
  func?: string;
  block?: string;
  index?: number;
  message: string;
}

function fmt(p: VerifyProblem, instr?: Instruction): string {
  let s = '';
  if (p.func !== undefined) s += `$${p.func}`;
  if (p.block !== undefined) s += ` @${p.block}`;
  if (p.index !== undefined) s += ` #${p.index}`;
  if (instr) s += ` \`${printInstructionBody(instr)}\``;
  return (s ? s + ': ' : '') + p.message;
}

/** The temp an instruction defines, if any. */
export function definedTemp(i: Instruction): string | undefined {
  return 'dst' in i ? i.dst : undefined;
}

/** Operands an instruction reads. */
export function usedOperands(i: Instruction): Operand[] {
  switch (i.kind) {
    case 'binary':
    case 'compare':
      return [i.a, i.b];
    case 'unary':
      return [i.a];
    case 'load':
      return [i.addr];
    case 'store':
      return [i.value, i.addr];
    case 'alloc':
      return [i.size];
    case 'call':
      return [i.callee, ...i.args.map((a) => a.value)];
    case 'wrreg':
      return [i.value];
    case 'intr':
      return i.args;
    case 'jnz':
      return [i.cond];
    case 'ret':
      return i.value ? [i.value] : [];
    default:
      return [];
  }
}

/** Verifies one function; returns the problems as messages (empty = fine). */
export function verifyFunction(f: IRFunction, m?: IRModule): string[] {
  const out: string[] = [];
  const at = (b: string | undefined, idx: number | undefined, msg: string, ins?: Instruction): void => {
    out.push(fmt({ func: f.name, block: b, index: idx, message: msg }, ins));
  };
  if (f.blocks.length === 0) at(undefined, undefined, 'function has no blocks');
  const labels = new Map<string, number>();
  f.blocks.forEach((b, k) => {
    if (labels.has(b.label)) at(b.label, undefined, `duplicate label @${b.label}`);
    else labels.set(b.label, k);
  });

  // Temp types: parameters first, then every definition.
  const types = new Map<string, IRType>();
  for (const p of f.params) {
    if (types.has(p.name)) at(undefined, undefined, `duplicate parameter %${p.name}`);
    types.set(p.name, p.type);
  }
  for (const b of f.blocks) {
    b.instrs.forEach((i, k) => {
      const d = definedTemp(i);
      if (d === undefined) return;
      const t = (i as { type?: IRType }).type ?? 'w';
      const prev = types.get(d);
      if (prev !== undefined && prev !== t) at(b.label, k, `temporary %${d} redefined as ${t}, was ${prev}`, i);
      else types.set(d, t);
    });
  }

  const funcsByName = new Map<string, IRFunction>();
  for (const g of m?.funcs ?? []) funcsByName.set(g.name, g);

  for (const b of f.blocks) {
    if (b.instrs.length === 0) {
      at(b.label, undefined, 'empty block (missing terminator)');
      continue;
    }
    b.instrs.forEach((i, k) => {
      const err = (msg: string): void => at(b.label, k, msg, i);
      const last = k === b.instrs.length - 1;
      if (isTerminator(i) && !last) err('terminator in the middle of a block');
      if (last && !isTerminator(i)) err('missing terminator at the end of the block');
      if (m && (i.loc.file < 0 || i.loc.file > m.files.length)) err(`location file index ${i.loc.file} is not in the file table`);
      const tyOf = (o: Operand): IRType | undefined => (o.kind === 'temp' ? types.get(o.name) : o.kind === 'global' ? 'w' : undefined);
      const want = (o: Operand, t: IRType, what: string): void => {
        if (o.kind === 'temp' && !types.has(o.name)) return; // reported as undefined below
        const ot = tyOf(o);
        if (ot !== undefined && ot !== t) err(`${what} must be ${t}, ${printOp(o)} is ${ot}`);
      };
      for (const o of usedOperands(i)) if (o.kind === 'temp' && !types.has(o.name)) err(`undefined temporary %${o.name}`);
      switch (i.kind) {
        case 'binary':
          want(i.a, i.type, 'operand');
          want(i.b, i.op === 'shl' || i.op === 'shr' || i.op === 'sar' ? 'w' : i.type, i.op.startsWith('sh') || i.op === 'sar' ? 'shift count' : 'operand');
          break;
        case 'compare':
          want(i.a, i.argType, 'operand');
          want(i.b, i.argType, 'operand');
          break;
        case 'unary':
          switch (i.op) {
            case 'copy':
            case 'neg':
            case 'not':
              want(i.a, i.type, 'operand');
              break;
            case 'extsw':
            case 'extuw':
              if (i.type !== 'l') err(`${i.op} yields l`);
              want(i.a, 'w', 'operand');
              break;
            case 'trunc':
              if (i.type !== 'w') err('trunc yields w');
              want(i.a, 'l', 'operand');
              break;
            default:
              want(i.a, 'w', 'operand');
          }
          break;
        case 'load':
          if (i.op === 'loadw' && i.type !== 'w') err('loadw yields w');
          if (i.op === 'loadl' && i.type !== 'l') err('loadl yields l');
          want(i.addr, 'w', 'address');
          break;
        case 'store':
          want(i.value, i.op === 'storel' ? 'l' : 'w', 'stored value');
          want(i.addr, 'w', 'address');
          break;
        case 'alloc':
          want(i.size, 'w', 'size');
          if (i.align < 1 || (i.align & (i.align - 1)) !== 0) err(`alignment ${i.align} is not a power of two`);
          break;
        case 'vastart':
          if (!f.varargs) err('vastart in a function that is not varargs');
          break;
        case 'call': {
          want(i.callee, 'w', 'callee');
          i.args.forEach((a, n) => want(a.value, a.type, `argument ${n + 1}`));
          if ((i.dst === undefined) !== (i.type === undefined)) err('call result needs both a temporary and a type');
          if (i.callee.kind === 'global' && i.callee.offset === 0) {
            const g = funcsByName.get(i.callee.name);
            if (g) {
              const n = g.params.length;
              if (g.varargs ? i.args.length < n : i.args.length !== n)
                err(`$${g.name} takes ${g.varargs ? 'at least ' : ''}${n} argument${n === 1 ? '' : 's'}, given ${i.args.length}`);
              else
                g.params.forEach((p, n2) => {
                  if (i.args[n2]!.type !== p.type) err(`argument ${n2 + 1} of $${g.name} must be ${p.type}`);
                });
            }
          }
          break;
        }
        case 'wrreg':
          want(i.value, 'w', 'value');
          break;
        case 'intr': {
          const spec = INTRINSICS[i.name];
          if (!spec) {
            err(`unknown intrinsic ${String(i.name)}`);
            break;
          }
          if (i.args.length !== spec.args) err(`intrinsic ${i.name} takes ${spec.args} operand${spec.args === 1 ? '' : 's'}, given ${i.args.length}`);
          if (spec.result && i.dst === undefined) err(`intrinsic ${i.name} yields a value`);
          if (!spec.result && i.dst !== undefined) err(`intrinsic ${i.name} yields no value`);
          i.args.forEach((a, n) => want(a, 'w', `operand ${n + 1}`));
          const first = i.args[0];
          if (i.name === 'int' && first && !(first.kind === 'const' && first.value >= 0n && first.value <= 255n)) err('the vector of int must be a constant 0..255');
          if ((i.name === 'rddr' || i.name === 'lddr') && first && !(first.kind === 'const' && first.value >= 0n && first.value <= 7n))
            err(`the debug register number of ${i.name} must be a constant 0..7`);
          break;
        }
        case 'jmp':
          if (!labels.has(i.target)) err(`unknown label @${i.target}`);
          break;
        case 'jnz':
          want(i.cond, 'w', 'condition');
          if (!labels.has(i.ifTrue)) err(`unknown label @${i.ifTrue}`);
          if (!labels.has(i.ifFalse)) err(`unknown label @${i.ifFalse}`);
          break;
        case 'ret':
          if (i.value) {
            if (!f.retType) err('ret with a value in a function without a return type');
            else want(i.value, f.retType, 'returned value');
          }
          break;
        default:
          break;
      }
    });
  }
  if (out.length === 0) out.push(...useBeforeDef(f, labels));
  return out;
}

function printOp(o: Operand): string {
  return o.kind === 'temp' ? `%${o.name}` : o.kind === 'global' ? `$${o.name}` : o.value.toString();
}

/**
 * A use of a temp that no path from the entry defines first (may-defined dataflow
 * over the CFG). A temp defined on only some paths is accepted (C allows it).
 */
function useBeforeDef(f: IRFunction, labels: Map<string, number>): string[] {
  const n = f.blocks.length;
  const out: string[] = [];
  const succ = f.blocks.map((b) => {
    const t = b.instrs[b.instrs.length - 1]!;
    if (t.kind === 'jmp') return [labels.get(t.target)!];
    if (t.kind === 'jnz') return [labels.get(t.ifTrue)!, labels.get(t.ifFalse)!];
    return [];
  });
  const defs = f.blocks.map((b) => {
    const s = new Set<string>();
    for (const i of b.instrs) {
      const d = definedTemp(i);
      if (d !== undefined) s.add(d);
    }
    return s;
  });
  const inSets: (Set<string> | undefined)[] = new Array(n).fill(undefined);
  inSets[0] = new Set(f.params.map((p) => p.name));
  const work = [0];
  while (work.length) {
    const k = work.pop()!;
    const outSet = new Set([...inSets[k]!, ...defs[k]!]);
    for (const s of succ[k]!) {
      const cur = inSets[s];
      if (!cur) {
        inSets[s] = new Set(outSet);
        work.push(s);
      } else {
        let grew = false;
        for (const t of outSet) if (!cur.has(t)) (cur.add(t), (grew = true));
        if (grew) work.push(s);
      }
    }
  }
  f.blocks.forEach((b, k) => {
    const live = inSets[k];
    if (!live) return; // unreachable block: nothing to say
    const have = new Set(live);
    b.instrs.forEach((i, idx) => {
      for (const o of usedOperands(i))
        if (o.kind === 'temp' && !have.has(o.name))
          out.push(fmt({ func: f.name, block: b.label, index: idx, message: `temporary %${o.name} is used before any definition` }, i));
      const d = definedTemp(i);
      if (d !== undefined) have.add(d);
    });
  });
  return out;
}

/** All problems of a module (empty = well formed). */
export function checkModule(m: IRModule): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const a of m.absolutes ?? []) {
    if (seen.has(a.name)) out.push(`duplicate definition of $${a.name}`);
    seen.set(a.name, 'abs');
    if (a.value < -(1n << 31n) || a.value >= 1n << 32n) out.push(`abs $${a.name}: value ${a.value} does not fit in 32 bits`);
  }
  for (const d of m.data) {
    if (seen.has(d.name)) out.push(`duplicate definition of $${d.name}`);
    seen.set(d.name, 'data');
    if (d.align < 1 || (d.align & (d.align - 1)) !== 0) out.push(`data $${d.name}: alignment ${d.align} is not a power of two`);
    if (d.section !== undefined && !(DATA_SECTIONS as readonly string[]).includes(d.section)) out.push(`data $${d.name}: unknown section ${JSON.stringify(d.section)}`);
    if (d.section === '.bss' && d.items.some((it) => it.kind !== 'zero')) out.push(`data $${d.name}: section ".bss" holds only z items`);
    for (const it of d.items) {
      if (it.kind === 'zero' && (it.size < 0 || !Number.isInteger(it.size))) out.push(`data $${d.name}: bad zero size ${it.size}`);
    }
  }
  for (const f of m.funcs) {
    if (seen.has(f.name)) out.push(`duplicate definition of $${f.name}`);
    seen.set(f.name, 'func');
    out.push(...verifyFunction(f, m));
  }
  return out;
}

/**
 * Throws IRError listing every problem (the first in the message head) if the module
 * is malformed; returns the module otherwise.
 */
export function verifyModule(m: IRModule): IRModule {
  const problems = checkModule(m);
  if (problems.length) {
    throw new IRError(`${m.name}: ${problems[0]}` + (problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).join('; ')})` : ''));
  }
  return m;
}
