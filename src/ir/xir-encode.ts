/*
 * The XIR encoder (the format, the frame layout and the decoder are in xir.ts): one
 * IR function -> its bytes, ENTER first, every instruction in block order, a call
 * as CALL + CRET. Used by the object form (xir-module.ts, symbolic globals, exact
 * constants) and the user-program linker (user-link.ts, resolved addresses).
 */
import { IRError } from '../errors.js';
import type { Instruction, IRFunction, IRType, Operand } from './types.js';
import { argSize } from './types.js';
import { BIN, CMP, frameLayout, INTR, LD, OP, REG, STR, T_BIG, T_L, T_SYM, T_TEMP, T_W, UN } from './xir.js';

/** How global operands are written: resolved to addresses (a program) or kept as symbols (object form). */
export type GlobalMode = { kind: 'linked'; addressOf(name: string): number } | { kind: 'object'; symbolIndex(name: string): number };

/** A growable little-endian byte buffer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    nb.set(this.buf);
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.dv.setUint16(this.length, v, true);
    this.length += 2;
  }
  i32(v: number): void {
    this.room(4);
    this.dv.setInt32(this.length, v | 0, true);
    this.length += 4;
  }
  u32(v: number): void {
    this.room(4);
    this.dv.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  i64(v: bigint): void {
    this.room(8);
    this.dv.setBigInt64(this.length, BigInt.asIntN(64, v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** Overwrites an int32 already written at `at`. */
  patch32(at: number, v: number): void {
    this.dv.setInt32(at, v | 0, true);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Two's complement bytes of v, as few as keep its sign. */
function bigBytes(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const b = Number(BigInt.asUintN(8, x));
    out.push(b);
    x >>= 8n;
    if ((x === 0n && (b & 0x80) === 0) || (x === -1n && (b & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

/**
 * Encodes one function's body: ENTER, then every instruction (a call as CALL + CRET).
 * Returns the bytes and the offset of each IR instruction (blocks flattened in
 * order) and of each block. Temps not in `layout` and undefined symbols are IRErrors.
 */
export function encodeFunction(fn: IRFunction, mode: GlobalMode, layout = frameLayout(fn)): { bytes: Uint8Array; instrOffsets: number[]; blockOffsets: number[] } {
  const w = new ByteWriter();
  const temp = (name: string): number => {
    const o = layout.offsets.get(name);
    if (o === undefined) throw new IRError(`xir: undefined temporary %${name} in $${fn.name}`);
    return o;
  };
  const operand = (o: Operand, t: IRType): void => {
    switch (o.kind) {
      case 'temp':
        w.u8(T_TEMP);
        w.i32(temp(o.name));
        return;
      case 'const':
        if (mode.kind === 'object') {
          const b = bigBytes(o.value);
          w.u8(T_BIG);
          w.u8(b.length);
          w.bytes(b);
        } else if (t === 'w') {
          w.u8(T_W);
          w.i32(Number(BigInt.asIntN(32, o.value)));
        } else {
          w.u8(T_L);
          w.i64(o.value);
        }
        return;
      case 'global':
        if (mode.kind === 'object') {
          w.u8(T_SYM);
          w.u32(mode.symbolIndex(o.name));
          w.i32(o.offset);
        } else if (t === 'w') {
          w.u8(T_W);
          w.i32(mode.addressOf(o.name) + o.offset);
        } else {
          w.u8(T_L);
          w.i64(BigInt((mode.addressOf(o.name) + o.offset) | 0));
        }
    }
  };
  const labels = new Map(fn.blocks.map((b, k) => [b.label, k]));
  const blockOffsets: number[] = [];
  const instrOffsets: number[] = [];
  const fixups: { at: number; from: number; block: number }[] = [];
  const branch = (from: number, label: string): void => {
    fixups.push({ at: w.length, from, block: labels.get(label)! });
    w.i32(0);
  };
  w.u8(OP.enter);
  w.u32(layout.size);
  for (const b of fn.blocks) {
    blockOffsets.push(w.length);
    for (const i of b.instrs) {
      const at = w.length;
      instrOffsets.push(at);
      encodeInstr(i, at);
    }
  }
  for (const f of fixups) w.patch32(f.at, blockOffsets[f.block]! - f.from);
  return { bytes: w.result(), instrOffsets, blockOffsets };

  function encodeInstr(i: Instruction, at: number): void {
    switch (i.kind) {
      case 'binary':
        w.u8(OP.binary), w.u8(BIN.indexOf(i.op) | (i.type === 'l' ? 0x80 : 0)), w.i32(temp(i.dst));
        operand(i.a, i.type);
        operand(i.b, i.op === 'shl' || i.op === 'shr' || i.op === 'sar' ? 'w' : i.type);
        return;
      case 'compare':
        w.u8(OP.compare), w.u8(CMP.indexOf(i.cond) | (i.argType === 'l' ? 0x80 : 0)), w.i32(temp(i.dst));
        operand(i.a, i.argType);
        operand(i.b, i.argType);
        return;
      case 'unary':
        w.u8(OP.unary), w.u8(UN.indexOf(i.op) | (i.type === 'l' ? 0x80 : 0)), w.i32(temp(i.dst));
        operand(i.a, i.op === 'copy' || i.op === 'neg' || i.op === 'not' ? i.type : i.op === 'trunc' ? 'l' : 'w');
        return;
      case 'load':
        w.u8(OP.load), w.u8(LD.indexOf(i.op) | (i.type === 'l' ? 0x80 : 0)), w.i32(temp(i.dst));
        operand(i.addr, 'w');
        return;
      case 'store':
        w.u8(OP.store), w.u8(STR.indexOf(i.op));
        operand(i.value, i.op === 'storel' ? 'l' : 'w');
        operand(i.addr, 'w');
        return;
      case 'alloc':
        w.u8(OP.alloc), w.i32(temp(i.dst));
        operand(i.size, 'w');
        w.u32(i.align);
        return;
      case 'vastart':
        w.u8(OP.vastart), w.i32(temp(i.dst)), w.i32(8 + layout.paramBytes);
        return;
      case 'call': {
        w.u8(OP.call), w.u8(i.args.length);
        for (const a of i.args) {
          w.u8(a.type === 'l' ? 1 : 0);
          operand(a.value, a.type);
        }
        operand(i.callee, 'w');
        w.u8(OP.cret), w.u8(i.type === undefined ? 0 : i.type === 'w' ? 1 : 2), w.u32(i.args.reduce((n, a) => n + argSize(a.type), 0));
        if (i.dst !== undefined) w.i32(temp(i.dst));
        return;
      }
      case 'rdreg':
        w.u8(OP.rdreg), w.u8(REG.indexOf(i.reg)), w.i32(temp(i.dst));
        return;
      case 'wrreg':
        w.u8(OP.wrreg), w.u8(REG.indexOf(i.reg));
        operand(i.value, 'w');
        return;
      case 'intr':
        w.u8(OP.intr), w.u8(INTR.indexOf(i.name)), w.u8(i.dst === undefined ? 0 : 1), w.u8(i.args.length);
        for (const a of i.args) operand(a, 'w');
        if (i.dst !== undefined) w.i32(temp(i.dst));
        return;
      case 'hypercall':
        w.u8(OP.hypercall);
        return;
      case 'trap': {
        const b = new TextEncoder().encode(i.message);
        w.u8(OP.trap), w.u16(b.length), w.bytes(b);
        return;
      }
      case 'jmp':
        w.u8(OP.jmp);
        branch(at, i.target);
        return;
      case 'jnz':
        w.u8(OP.jnz);
        operand(i.cond, 'w');
        branch(at, i.ifTrue);
        branch(at, i.ifFalse);
        return;
      case 'ret': {
        const t = fn.retType ?? 'w';
        w.u8(OP.ret), w.u8(i.value === undefined ? 0 : t === 'w' ? 1 : 2);
        if (i.value) operand(i.value, t);
        return;
      }
      case 'iret':
        w.u8(OP.iret);
        return;
      case 'unreachable':
        w.u8(OP.unreachable);
    }
  }
}

