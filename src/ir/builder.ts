/*
 * Builders a front end uses to emit IR: ModuleBuilder holds the file table and the
 * definitions; FunctionBuilder appends instructions to the current block, stamping
 * each with the current location (setLoc). Value-producing methods return the fresh
 * temp as an Operand, so expressions compose: `fb.binary('add', 'w', a, fb.const(1))`.
 *
 * The builder does not verify; call verifyModule() (src/ir/verify.ts) on the result.
 * Emitting into a block that already ends in a terminator is a bug in the front end
 * and throws (unreachable): check `fb.terminated` and open a new block first.
 */
import { unreachable } from '../errors.js';
import {
  INTRINSICS,
  isTerminator,
  type BinaryOp,
  type CallArg,
  type CompareCond,
  type DataItem,
  type DataSection,
  type IRAbsolute,
  type Instruction,
  type IntrinsicName,
  type IRBlock,
  type IRData,
  type IRFunction,
  type IRModule,
  type IRParam,
  type IRType,
  type LoadOp,
  type Loc,
  type Operand,
  type RegName,
  type StoreOp,
  type TempOperand,
  type UnaryOp,
  type GlobalOperand,
  type ConstOperand,
} from './types.js';

/** Operand constructors. */
export function temp(name: string): TempOperand {
  return { kind: 'temp', name };
}
export function konst(value: number | bigint): ConstOperand {
  return { kind: 'const', value: BigInt(value) };
}
export function global(name: string, offset = 0): GlobalOperand {
  return { kind: 'global', name, offset };
}

/** Distributes Omit over a union (so each instruction kind keeps its own fields). */
type DistOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

export class ModuleBuilder {
  readonly module: IRModule;
  private fileIndex = new Map<string, number>();

  constructor(name: string) {
    this.module = { name, files: [], data: [], funcs: [] };
  }

  /** Index of `path` in the file table (adding it if new); 1-based. */
  file(path: string): number {
    let i = this.fileIndex.get(path);
    if (i === undefined) {
      this.module.files.push(path);
      i = this.module.files.length;
      this.fileIndex.set(path, i);
    }
    return i;
  }

  data(name: string, items: DataItem[], opts: { export?: boolean; align?: number; section?: DataSection } = {}): IRData {
    const d: IRData = { name, export: opts.export ?? false, align: opts.align ?? 1, items };
    if (opts.section !== undefined) d.section = opts.section;
    this.module.data.push(d);
    return d;
  }

  /** `abs [export] $name = value`. */
  absolute(name: string, value: number | bigint, opts: { export?: boolean } = {}): IRAbsolute {
    const a: IRAbsolute = { name, export: opts.export ?? false, value: BigInt(value) };
    (this.module.absolutes ??= []).push(a);
    return a;
  }

  func(name: string, params: IRParam[], retType?: IRType, opts: { export?: boolean; varargs?: boolean } = {}): FunctionBuilder {
    const f: IRFunction = { name, export: opts.export ?? false, varargs: opts.varargs ?? false, params, retType, blocks: [] };
    this.module.funcs.push(f);
    return new FunctionBuilder(f);
  }

  finish(): IRModule {
    return this.module;
  }
}

export class FunctionBuilder {
  readonly fn: IRFunction;
  private cur: IRBlock | undefined;
  private loc: Loc = { file: 0, line: 0 };
  private nextTemp = 0;
  private nextLabel = 0;
  private usedNames = new Set<string>();
  private usedLabels = new Set<string>();

  constructor(fn: IRFunction) {
    this.fn = fn;
    for (const p of fn.params) this.usedNames.add(p.name);
  }

  /** Location stamped on every following instruction. */
  setLoc(file: number, line: number): void {
    this.loc = { file, line };
  }
  getLoc(): Loc {
    return { ...this.loc };
  }

  /** A fresh temp name (hint + counter), never equal to a parameter or earlier temp. */
  freshTemp(hint = 't'): string {
    let n: string;
    do n = `${hint}.${this.nextTemp++}`;
    while (this.usedNames.has(n));
    this.usedNames.add(n);
    return n;
  }

  /** A fresh label name (hint + counter). */
  freshLabel(hint = 'L'): string {
    let n: string;
    do n = `${hint}.${this.nextLabel++}`;
    while (this.usedLabels.has(n));
    this.usedLabels.add(n);
    return n;
  }

  /** Opens a new block named `label` (used as is) and makes it current. */
  block(label: string): string {
    this.usedLabels.add(label);
    this.cur = { label, instrs: [] };
    this.fn.blocks.push(this.cur);
    return label;
  }

  /** The current block's label, if any. */
  get currentLabel(): string | undefined {
    return this.cur?.label;
  }

  /** True when the current block already ends in a terminator (or there is none). */
  get terminated(): boolean {
    const c = this.cur;
    if (!c) return true;
    const last = c.instrs[c.instrs.length - 1];
    return last !== undefined && isTerminator(last);
  }

  /** Appends an instruction (location added) to the current block. */
  emit(i: DistOmit<Instruction, 'loc'>): void {
    if (!this.cur) unreachable('FunctionBuilder.emit: no current block');
    if (this.terminated) unreachable(`FunctionBuilder.emit: block @${this.cur.label} already terminated`);
    this.cur.instrs.push({ ...i, loc: { ...this.loc } } as Instruction);
  }

  const(v: number | bigint): ConstOperand {
    return konst(v);
  }
  global(name: string, offset = 0): GlobalOperand {
    return global(name, offset);
  }
  param(name: string): TempOperand {
    return temp(name);
  }

  binary(op: BinaryOp, type: IRType, a: Operand, b: Operand, dst = this.freshTemp()): TempOperand {
    this.emit({ kind: 'binary', op, type, dst, a, b });
    return temp(dst);
  }
  compare(cond: CompareCond, argType: IRType, a: Operand, b: Operand, dst = this.freshTemp()): TempOperand {
    this.emit({ kind: 'compare', cond, argType, type: 'w', dst, a, b });
    return temp(dst);
  }
  unary(op: UnaryOp, type: IRType, a: Operand, dst = this.freshTemp()): TempOperand {
    this.emit({ kind: 'unary', op, type, dst, a });
    return temp(dst);
  }
  copy(type: IRType, a: Operand, dst = this.freshTemp()): TempOperand {
    return this.unary('copy', type, a, dst);
  }
  load(op: LoadOp, type: IRType, addr: Operand, dst = this.freshTemp()): TempOperand {
    this.emit({ kind: 'load', op, type, dst, addr });
    return temp(dst);
  }
  store(op: StoreOp, value: Operand, addr: Operand): void {
    this.emit({ kind: 'store', op, value, addr });
  }
  alloc(size: Operand | number, align = 4, dst = this.freshTemp('slot')): TempOperand {
    this.emit({ kind: 'alloc', type: 'w', dst, size: typeof size === 'number' ? konst(size) : size, align });
    return temp(dst);
  }
  vastart(dst = this.freshTemp('va')): TempOperand {
    this.emit({ kind: 'vastart', type: 'w', dst });
    return temp(dst);
  }
  /** A call; with retType the result temp is returned, else undefined. */
  call(callee: Operand, args: CallArg[], retType?: IRType, dst?: string): TempOperand | undefined {
    if (retType) {
      const d = dst ?? this.freshTemp();
      this.emit({ kind: 'call', callee, args, type: retType, dst: d });
      return temp(d);
    }
    this.emit({ kind: 'call', callee, args });
    return undefined;
  }
  rdreg(reg: RegName, dst = this.freshTemp()): TempOperand {
    this.emit({ kind: 'rdreg', type: 'w', reg, dst });
    return temp(dst);
  }
  wrreg(reg: RegName, value: Operand): void {
    this.emit({ kind: 'wrreg', reg, value });
  }
  /** An intrinsic; returns its result temp when the intrinsic has one. */
  intr(name: IntrinsicName, args: Operand[], dst?: string): TempOperand | undefined {
    if (INTRINSIC_RESULT[name]) {
      const d = dst ?? this.freshTemp();
      this.emit({ kind: 'intr', name, args, type: 'w', dst: d });
      return temp(d);
    }
    this.emit({ kind: 'intr', name, args });
    return undefined;
  }
  hypercall(): void {
    this.emit({ kind: 'hypercall' });
  }
  trap(message: string): void {
    this.emit({ kind: 'trap', message });
  }
  jmp(target: string): void {
    this.emit({ kind: 'jmp', target });
  }
  jnz(cond: Operand, ifTrue: string, ifFalse: string): void {
    this.emit({ kind: 'jnz', cond, ifTrue, ifFalse });
  }
  ret(value?: Operand): void {
    this.emit(value === undefined ? { kind: 'ret' } : { kind: 'ret', value });
  }
  iret(): void {
    this.emit({ kind: 'iret' });
  }
  unreachable(): void {
    this.emit({ kind: 'unreachable' });
  }
}

const INTRINSIC_RESULT: Record<string, boolean> = Object.fromEntries(
  Object.entries(INTRINSICS).map(([k, v]) => [k, v.result]),
);
