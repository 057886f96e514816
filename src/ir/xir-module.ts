/*
 * The XIR object form: a whole IR module in binary (docs/xir-elf.md, "Object form"),
 * functions as XIR instruction streams (xir.ts) with symbolic globals and exact
 * constants, plus the tables that turn them back into the module: names, the file
 * table, absolutes, data, each function's temps, labels and source locations.
 * decodeModule(encodeModule(m)) equals m, which tests the instruction encoding the
 * user-program linker and the engine rely on against every IR construct.
 *
 * Layout: "XIRM", u32 version, then a string table and the sections in this order
 * (u32 counts, strings as u32 indices into the table): module name; files;
 * absolutes (u8 present); global symbol names (T_SYM operands index them); data;
 * functions (name, flags, params, return type, non-parameter temps with types in
 * frame order, blocks with instruction counts, one (file, line) per instruction,
 * then the code).
 */
import { IRError } from '../errors.js';
import type { DataItem, Instruction, IRData, IRFunction, IRModule, IRType, Operand } from './types.js';
import { decodeInstr, frameLayout, XirDecodeError, type XInstr, type XOperand } from './xir.js';
import { ByteWriter, encodeFunction } from './xir-encode.js';

/** An instruction without its location (each kind's own fields). */
type InstrBody = { [K in Instruction['kind']]: Omit<Extract<Instruction, { kind: K }>, 'loc'> }[Instruction['kind']];

const MAGIC = 0x4d524958; // "XIRM"
const VERSION = 1;
const SECTIONS = [undefined, '.text', '.data', '.bss'] as const;
const WIDTHS = ['b', 'h', 'w', 'l'] as const;

/** The object form of `m`. */
export function encodeModule(m: IRModule): Uint8Array {
  const strings: string[] = [];
  const sIndex = new Map<string, number>();
  const str = (s: string): number => {
    let k = sIndex.get(s);
    if (k === undefined) (k = strings.length), strings.push(s), sIndex.set(s, k);
    return k;
  };
  const symbols: string[] = [];
  const symIndex = new Map<string, number>();
  const symbolIndex = (name: string): number => {
    let k = symIndex.get(name);
    if (k === undefined) (k = symbols.length), symbols.push(name), symIndex.set(name, k);
    return k;
  };
  const body = new ByteWriter();
  const big = (v: bigint): void => {
    const fits = BigInt.asIntN(64, v) === v;
    body.u8(fits ? 0 : 1);
    if (fits) body.i64(v);
    else body.bytes(new TextEncoder().encode(v.toString())), body.u8(0);
  };
  const cstr = (s: string): void => body.u32(str(s));

  // Functions first (they fill the symbol table), written after the data.
  const funcs = new ByteWriter();
  funcs.u32(m.funcs.length);
  for (const f of m.funcs) {
    const layout = frameLayout(f);
    const { bytes } = encodeFunction(f, { kind: 'object', symbolIndex }, layout);
    funcs.u32(str(f.name));
    funcs.u8((f.export ? 1 : 0) | (f.varargs ? 2 : 0));
    funcs.u8(f.params.length);
    for (const p of f.params) funcs.u8(p.type === 'l' ? 1 : 0), funcs.u32(str(p.name));
    funcs.u8(f.retType === undefined ? 0 : f.retType === 'w' ? 1 : 2);
    const temps = [...layout.offsets.keys()].filter((n) => !f.params.some((p) => p.name === n));
    funcs.u32(temps.length);
    for (const t of temps) funcs.u32(str(t)), funcs.u8(layout.types.get(t) === 'l' ? 1 : 0);
    funcs.u32(f.blocks.length);
    for (const b of f.blocks) {
      funcs.u32(str(b.label));
      funcs.u32(b.instrs.length);
      for (const i of b.instrs) funcs.u32(i.loc.file), funcs.u32(i.loc.line);
    }
    funcs.u32(bytes.length);
    funcs.bytes(bytes);
  }

  cstr(m.name);
  body.u32(m.files.length);
  for (const f of m.files) cstr(f);
  body.u8(m.absolutes ? 1 : 0);
  body.u32(m.absolutes?.length ?? 0);
  for (const a of m.absolutes ?? []) cstr(a.name), body.u8(a.export ? 1 : 0), big(a.value);
  body.u32(symbols.length);
  for (const s of symbols) cstr(s);
  body.u32(m.data.length);
  for (const d of m.data) {
    cstr(d.name);
    body.u8(d.export ? 1 : 0);
    body.u32(d.align);
    body.u8(SECTIONS.indexOf(d.section));
    body.u32(d.items.length);
    for (const it of d.items) {
      switch (it.kind) {
        case 'int':
          body.u8(0), body.u8(WIDTHS.indexOf(it.width)), big(it.value);
          break;
        case 'string':
          body.u8(1), body.u32(it.bytes.length), body.bytes(it.bytes);
          break;
        case 'symbol':
          body.u8(2), cstr(it.name), body.i32(it.offset);
          break;
        case 'zero':
          body.u8(3), body.u32(it.size);
      }
    }
  }
  body.bytes(funcs.result());

  const out = new ByteWriter();
  out.u32(MAGIC);
  out.u32(VERSION);
  out.u32(strings.length);
  const enc = new TextEncoder();
  for (const s of strings) {
    const b = enc.encode(s);
    out.u32(b.length);
    out.bytes(b);
  }
  out.bytes(body.result());
  return out.result();
}

/** The module an object form holds. Malformed input is an IRError. */
export function decodeModule(bytes: Uint8Array): IRModule {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const need = (n: number): void => {
    if (p + n > bytes.length) throw new IRError(`xir object: truncated at byte ${p}`);
  };
  const u8 = (): number => (need(1), bytes[p++]!);
  const u32 = (): number => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const i32 = (): number => (need(4), (p += 4), dv.getInt32(p - 4, true));
  const raw = (n: number): Uint8Array => (need(n), (p += n), bytes.slice(p - n, p));
  if (u32() !== MAGIC) throw new IRError('xir object: bad magic (not an XIR object)');
  const version = u32();
  if (version !== VERSION) throw new IRError(`xir object: version ${version}, expected ${VERSION}`);
  const dec = new TextDecoder();
  const strings = Array.from({ length: u32() }, () => dec.decode(raw(u32())));
  const str = (): string => strings[u32()] ?? bad('string index');
  const bad = (what: string): never => {
    throw new IRError(`xir object: bad ${what} at byte ${p}`);
  };
  const big = (): bigint => {
    if (u8() === 0) return (need(8), (p += 8), dv.getBigInt64(p - 8, true));
    const start = p;
    while (u8() !== 0);
    return BigInt(dec.decode(bytes.subarray(start, p - 1)));
  };

  const m: IRModule = { name: str(), files: [], data: [], funcs: [] };
  m.files = Array.from({ length: u32() }, str);
  const hasAbs = u8();
  const nabs = u32();
  const absolutes = Array.from({ length: nabs }, () => ({ name: str(), export: u8() === 1, value: big() }));
  if (hasAbs) m.absolutes = absolutes;
  const symbols = Array.from({ length: u32() }, str);
  const ndata = u32();
  for (let k = 0; k < ndata; k++) {
    const d: IRData = { name: str(), export: u8() === 1, align: u32(), items: [] };
    const sk = u8();
    if (sk >= SECTIONS.length) bad('section');
    const section = SECTIONS[sk];
    if (section) d.section = section;
    const n = u32();
    for (let j = 0; j < n; j++) {
      const kind = u8();
      let it: DataItem;
      if (kind === 0) it = { kind: 'int', width: WIDTHS[u8()] ?? bad('width'), value: big() };
      else if (kind === 1) it = { kind: 'string', bytes: raw(u32()) };
      else if (kind === 2) it = { kind: 'symbol', name: str(), offset: i32() };
      else if (kind === 3) it = { kind: 'zero', size: u32() };
      else return bad('data item');
      d.items.push(it);
    }
    m.data.push(d);
  }
  const nfuncs = u32();
  for (let k = 0; k < nfuncs; k++) m.funcs.push(decodeFunction());
  if (p !== bytes.length) bad('trailing bytes');
  return m;

  function decodeFunction(): IRFunction {
    const name = str();
    const flags = u8();
    const f: IRFunction = { name, export: (flags & 1) !== 0, varargs: (flags & 2) !== 0, params: [], blocks: [] };
    const np = u8();
    for (let j = 0; j < np; j++) f.params.push({ type: u8() === 1 ? 'l' : 'w', name: str() });
    const rt = u8();
    if (rt) f.retType = rt === 1 ? 'w' : 'l';
    // Temp offsets as frameLayout lays them out: parameters up from 8, the rest down.
    const byOffset = new Map<number, string>();
    let up = 8;
    for (const q of f.params) byOffset.set(up, q.name), (up += q.type === 'l' ? 8 : 4);
    let down = 0;
    const nt = u32();
    for (let j = 0; j < nt; j++) {
      const t = str();
      down += u8() === 1 ? 8 : 4;
      byOffset.set(-down, t);
    }
    const blocks = Array.from({ length: u32() }, () => ({ label: str(), locs: Array.from({ length: u32() }, () => ({ file: u32(), line: u32() })) }));
    const code = raw(u32());
    const read = (k: number): number => (k < code.length ? code[k]! : bad('code (runs past its end)'));
    const decode = (at: number): { x: XInstr; length: number } => {
      try {
        return decodeInstr(read, at);
      } catch (e) {
        if (e instanceof XirDecodeError) throw new IRError(`xir object: $${name}: ${e.message}`);
        throw e;
      }
    };
    let at = 0;
    const enter = decode(at);
    if (enter.x.op !== 'enter' || enter.x.frame !== down) bad(`function $${name} entry`);
    at += enter.length;
    const xs: { x: XInstr; at: number; cret?: XInstr }[] = [];
    const blockAt = new Map<number, string>();
    for (const b of blocks) {
      blockAt.set(at, b.label);
      for (let j = 0; j < b.locs.length; j++) {
        const d = decode(at);
        const item: { x: XInstr; at: number; cret?: XInstr } = { x: d.x, at };
        at += d.length;
        if (d.x.op === 'call') {
          const c = decode(at);
          if (c.x.op !== 'cret') bad(`call in $${name} without its continuation`);
          item.cret = c.x;
          at += c.length;
        }
        xs.push(item);
      }
    }
    if (at !== code.length) bad(`code length of $${name}`);
    const temp = (off: number): string => byOffset.get(off) ?? bad(`temp offset ${off} in $${name}`);
    const op = (o: XOperand): Operand =>
      o.kind === 'temp' ? { kind: 'temp', name: temp(o.offset) } : o.kind === 'const' ? { kind: 'const', value: o.value } : { kind: 'global', name: symbols[o.index] ?? bad('symbol index'), offset: o.offset };
    const label = (from: number, rel: number): string => blockAt.get(from + rel) ?? bad(`branch target in $${name}`);
    let n = 0;
    for (const b of blocks) {
      const instrs: Instruction[] = [];
      for (const loc of b.locs) {
        const { x, at: from, cret } = xs[n++]!;
        instrs.push({ ...toIR(x, cret, from), loc } as Instruction);
      }
      f.blocks.push({ label: b.label, instrs });
    }
    return f;

    function toIR(x: XInstr, cret: XInstr | undefined, from: number): InstrBody {
      switch (x.op) {
        case 'binary':
          return { kind: 'binary', op: x.bin, dst: temp(x.dst), type: x.type, a: op(x.a), b: op(x.b) };
        case 'compare':
          return { kind: 'compare', cond: x.cond, argType: x.argType, dst: temp(x.dst), type: 'w', a: op(x.a), b: op(x.b) };
        case 'unary':
          return { kind: 'unary', op: x.un, dst: temp(x.dst), type: x.type, a: op(x.a) };
        case 'load':
          return { kind: 'load', op: x.load, dst: temp(x.dst), type: x.type, addr: op(x.addr) };
        case 'store':
          return { kind: 'store', op: x.store, value: op(x.value), addr: op(x.addr) };
        case 'alloc':
          return { kind: 'alloc', dst: temp(x.dst), type: 'w', size: op(x.size), align: x.align };
        case 'vastart':
          return { kind: 'vastart', dst: temp(x.dst), type: 'w' };
        case 'call': {
          const c = cret as Extract<XInstr, { op: 'cret' }>;
          const args = x.args.map((a) => ({ type: a.type, value: op(a.value) }));
          return c.dst === undefined ? { kind: 'call', callee: op(x.callee), args } : { kind: 'call', dst: temp(c.dst), type: c.type as IRType, callee: op(x.callee), args };
        }
        case 'rdreg':
          return { kind: 'rdreg', dst: temp(x.dst), type: 'w', reg: x.reg };
        case 'wrreg':
          return { kind: 'wrreg', reg: x.reg, value: op(x.value) };
        case 'intr':
          return x.dst === undefined ? { kind: 'intr', name: x.name, args: x.args.map(op) } : { kind: 'intr', name: x.name, dst: temp(x.dst), type: 'w', args: x.args.map(op) };
        case 'hypercall':
          return { kind: 'hypercall' };
        case 'trap':
          return { kind: 'trap', message: x.message };
        case 'jmp':
          return { kind: 'jmp', target: label(from, x.rel) };
        case 'jnz':
          return { kind: 'jnz', cond: op(x.cond), ifTrue: label(from, x.relT), ifFalse: label(from, x.relF) };
        case 'ret':
          return x.value === undefined ? { kind: 'ret' } : { kind: 'ret', value: op(x.value) };
        case 'iret':
          return { kind: 'iret' };
        case 'unreachable':
          return { kind: 'unreachable' };
        default:
          return bad(`instruction ${x.op} in $${name}`);
      }
    }
  }
}
