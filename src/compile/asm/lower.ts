/*
 * GAS-subset lowering: parsed AT&T statements (syntax.ts) -> one IR module. This file
 * does the file-level passes (sections and labels, function entries, flag liveness)
 * and describes the scheme; function-lowering.ts lowers each entry's code, data.ts the
 * data sections, isa.ts knows the mnemonics.
 *
 * Sections. Code in .text becomes IR functions; data in .data/.rodata/.bss (and data
 * directives inside .text, such as the multiboot header) becomes IR `data`, one
 * definition per label (data.ts keeps the GAS byte layout across the split).
 *
 * Registers. Every x86 register is the machine register file: a read is `rdreg`, a
 * write `wrreg` (8/16-bit sub-registers merge into the 32-bit register). Within one
 * basic block the last value read or written is cached in a temp, so the register file
 * is always current (write-through) and the cache is dropped at block starts and after
 * anything that may change registers behind our back (call, intrinsics, int).
 *
 * Functions and cross-entry jumps. The text section is one instruction list with
 * labels. An IR function is made for every entry: a `.globl` code label, a label that
 * is the target of `call`, and a label whose address is used as a value (IDT stubs,
 * `.long label`). Its body is the CLOSURE of the code reachable from the entry by
 * fall-through and jumps, lowered block by block from a worklist; a block reached from
 * several entries is lowered once in each (duplicated), so `pushl $T_DIVIDE; jmp
 * alltraps` or falling from `alltraps` into `doreti` stays an intra-function jump
 * with exactly the machine's semantics. IR labels are the asm label names (numeric
 * labels become `n.k`, the k-th definition of `n:`), so the duplicated blocks read the
 * same in every function. Falling off the end of the code (or into data placed in
 * .text) is an IR `unreachable` (an invalid-opcode fault if executed).
 *
 * Condition flags. They are not computed eagerly; each flag-setting instruction leaves
 * a symbolic record of its operation and (temp-held) operands, and a jcc/setcc/cmovcc/
 * adc/sbb materializes what it reads from it: cmp/sub/neg (every condition but parity;
 * a direct IR comparison such as `csltw a, b`), add (ZF SF CF OF), and/or/xor/test
 * (CF = OF = 0), inc/dec (all but CF, which they leave unchanged), shifts by a nonzero
 * constant (ZF SF), bsf/bsr/verr/verw (ZF), cmps/scas (as cmp). The record flows along
 * straight-line code and into the fall-through of a jcc. At a label, a backward
 * dataflow pass (computeFlagNeeds) says which flag bits may be read before being set;
 * every edge into the label stores those bits as 0/1 in the function's fixed temps
 * %fl.zf %fl.sf %fl.cf %fl.of, and the label's code reads them from there. So flags
 * cross labels exactly when every predecessor defines the bits read (`cmp; je 1f; ...
 * 1: jbe`, bcmp's `jne 1f; ... repe cmpsb; 1: setne`). Everything else — a bit the
 * last setter does not model (CF after inc, OF after a shift, parity), flags after a
 * call or at a function entry — is a CompileError naming the instruction, never a
 * guess. The arithmetic flags are not written to the machine's eflags (pushf sees
 * IF/DF and whatever popf put there).
 *
 * Direction flag. cld/std update eflags.DF and a static record of it; a string
 * instruction uses the static value when known (same block or fall-through) and reads
 * eflags at run time otherwise. rep stos/movs/lods and repe/repne cmps/scas are IR
 * loops on ecx.
 *
 * Control transfers the IR has no instruction for, lowered by their effect:
 * - `pushl $label; ret` -> jmp (a return to a pushed code address in this file);
 * - `pushl $sel; pushl $label; lret` and `ljmp $sel, $label` -> wrreg cs + jmp;
 * - any other `lret`: cs from 4(%esp), the return address moved up one slot, IR `ret`
 *   (exact when the return address is the caller's, e.g. lgdt() in support.s; the
 *   engine reports a bad-return otherwise); `ret $n` moves it up n bytes likewise.
 * The label's address in those patterns may carry a load-address relocation (R(x) =
 * x - KERNBASE in locore): an offset that is a multiple of 1 MiB is accepted as one.
 * - `jmp sym` to a symbol that is not a code label of this file (a tail jump into
 *   another module, e.g. the Xen port's `jmp xen_start`) and the computed `jmp *%reg`
 *   / `jmp *mem`: lowered as `pushl target; ret` — the target stored at -4(%esp) and
 *   an IR `ret` that pops it. The engine runs a popped function start as that function
 *   with the stack as the jump left it, and follows what it returns to (docs/ir.md,
 *   "Non-local returns"), which is the jump's exact effect; the only difference is the
 *   word written below %esp, which an interrupt may overwrite at any time anyway.
 *
 * Values. All values are `w`; 8/16-bit operands are read zero-extended and written
 * masked. Absolute symbols (`.set`) are folded into constants; the `.globl` ones are
 * also defined in the module (`abs export $PTmap = ...`) for C and other modules.
 */
import { ModuleBuilder, type DataItem, type IRModule } from '../../ir/index.js';
import { layoutSections, type DataEntry, type SectionKind } from './data.js';
import { FunctionLowering } from './function-lowering.js';
import { ALL_BITS, CC_BITS, FLAG_SETTERS, decode, type Bit } from './isa.js';
import { NAME_RE, relocOffset, type Val } from './value.js';
import { asmError, parseExpr, parseStringLit, type AsmLoc, type Expr, type Stmt } from './syntax.js';

export type Insn = Extract<Stmt, { kind: 'insn' }>;
type Directive = Extract<Stmt, { kind: 'directive' }>;

export interface AbsoluteSymbol {
  name: string;
  value: number;
  export: boolean;
}

export interface AsmLowerResult {
  /** The module; `.globl` `.set` symbols are its `abs export` definitions (module.absolutes). */
  module: IRModule;
  /**
   * @deprecated Always empty: absolute symbols are now in `module.absolutes` and the
   * linker resolves them. Kept (empty) so that callers that used to define them on
   * the side do not define them twice.
   */
  absolutes: AbsoluteSymbol[];
}

export type CodeItem = { kind: 'insn'; stmt: Insn } | { kind: 'barrier'; loc: AsmLoc };


// ---------------------------------------------------------------------------

/** Lowers parsed statements of one file to an IR module. Throws CompileError (file:line:col) on anything unsupported. */
export function lowerStatements(stmts: Stmt[], moduleName: string): AsmLowerResult {
  return new AsmLowering(stmts, moduleName).run();
}

export class AsmLowering {
  readonly mb: ModuleBuilder;
  readonly code: CodeItem[] = [];
  /** Code label -> index of the instruction it labels. */
  readonly codeLabels = new Map<string, number>();
  readonly labelsAt = new Map<number, string[]>();
  readonly labelLoc = new Map<string, AsmLoc>();
  readonly dataLabels = new Set<string>();
  readonly globals = new Set<string>();
  readonly sets = new Map<string, Val>();
  readonly sections: { name: string; kind: SectionKind; entries: DataEntry[] }[] = [];
  readonly entries = new Set<string>();
  private dataSymRefs: { name: string; loc: AsmLoc }[] = [];

  constructor(
    readonly stmts: Stmt[],
    readonly moduleName: string,
  ) {
    this.mb = new ModuleBuilder(moduleName);
  }

  run(): AsmLowerResult {
    this.collect();
    this.findEntries();
    this.computeFlagNeeds();
    const order = [...this.entries].sort((a, b) => this.codeLabels.get(a)! - this.codeLabels.get(b)!);
    const covered = new Set<number>();
    for (const e of order) for (const i of new FunctionLowering(this, e, this.mb).lower()) covered.add(i);
    // Code no entry reaches is not emitted, but it is still checked: its errors are reported.
    const scratch = new ModuleBuilder(`${this.moduleName} (unreachable code)`);
    for (const [name, idx] of [...this.codeLabels].sort((a, b) => a[1] - b[1])) {
      if (covered.has(idx)) continue;
      for (const i of new FunctionLowering(this, name, scratch).lower()) covered.add(i);
    }
    for (const d of layoutSections(this.sections, (n) => this.globals.has(n))) this.mb.module.data.push(d);
    for (const [name, v] of this.sets) {
      if (!this.globals.has(name)) continue;
      if (v.sym !== undefined) {
        const d = this.stmts.find((st) => st.kind === 'directive' && (st.name === '.set' || st.name === '.equ') && st.args[0] === name);
        throw asmError(`${name} is .globl and .set to an address (${v.sym}): symbol aliases are not supported`, d!.loc);
      }
      this.mb.absolute(name, BigInt.asUintN(32, v.off), { export: true });
    }
    return { module: this.mb.finish(), absolutes: [] };
  }

  fileIndex(loc: AsmLoc): number {
    return this.mb.file(loc.file);
  }

  // ---- pass 1: sections, labels, data, .set ----

  private collect(): void {
    let sec = this.section('.text', 'text');
    const stack: (typeof sec)[] = [];
    let prev = sec;
    let pendingLabels: Extract<Stmt, { kind: 'label' }>[] = [];
    let pendingAlign: DataEntry[] = [];
    const flushAsCode = (): void => {
      for (const l of pendingLabels) this.defineCode(l.name, l.loc);
      pendingLabels = [];
      pendingAlign = [];
    };
    const flushAsData = (): void => {
      sec.entries.push(...pendingAlign);
      for (const l of pendingLabels) this.defineData(sec, l.name, l.loc);
      pendingLabels = [];
      pendingAlign = [];
    };
    const switchTo = (next: typeof sec): void => {
      if (sec.kind === 'text') flushAsCode();
      prev = sec;
      sec = next;
    };
    for (const st of this.stmts) {
      if (st.kind === 'label') {
        if (sec.kind === 'text') pendingLabels.push(st);
        else this.defineData(sec, st.name, st.loc);
        continue;
      }
      if (st.kind === 'insn') {
        if (sec.kind !== 'text') throw asmError(`instruction '${st.mnemonic}' in data section ${sec.name}`, st.loc);
        flushAsCode();
        this.code.push({ kind: 'insn', stmt: st });
        continue;
      }
      const d = st;
      switch (d.name) {
        case '.text':
          switchTo(this.section('.text', 'text'));
          break;
        case '.data':
          switchTo(this.section('.data', 'data'));
          break;
        case '.bss':
          switchTo(this.section('.bss', 'bss'));
          break;
        case '.section':
        case '.pushsection': {
          const name = (d.args[0] ?? '').replace(/^"|"$/g, '');
          if (!name) throw asmError(`${d.name} needs a section name`, d.loc);
          const kind: SectionKind = /^\.text/.test(name) ? 'text' : /^\.bss/.test(name) ? 'bss' : 'data';
          if (d.name === '.pushsection') stack.push(sec);
          switchTo(this.section(name === '.text' ? '.text' : name, kind));
          break;
        }
        case '.popsection': {
          const s = stack.pop();
          if (!s) throw asmError('.popsection without .pushsection', d.loc);
          switchTo(s);
          break;
        }
        case '.previous':
          switchTo(prev);
          break;
        case '.globl':
        case '.global':
        case '.weak':
          for (const a of d.args) this.globals.add(a);
          break;
        case '.set':
        case '.equ': {
          if (d.args.length !== 2) throw asmError(`${d.name} needs a name and a value`, d.loc);
          const [name, e] = d.args;
          const v = this.evalVal(parseExpr(e, d.ctx), d.loc);
          const old = this.sets.get(name);
          if (old && (old.sym !== v.sym || old.off !== v.off)) throw asmError(`${name} redefined with a different value`, d.loc);
          this.sets.set(name, v);
          if (v.sym) this.noteDataRef(v.sym, d.loc);
          break;
        }
        case '.type':
        case '.size':
        case '.file':
        case '.ident':
        case '.loc':
        case '.cfi_startproc':
        case '.cfi_endproc':
        case '.code32':
          break;
        case '.code16':
          throw asmError('.code16 (16-bit code) is not supported', d.loc);
        case '.comm':
        case '.lcomm': {
          const [name, sz, al] = d.args;
          const size = Number(this.evalAbs(sz, d));
          const align = al ? Number(this.evalAbs(al, d)) : Math.min(16, 1 << Math.floor(Math.log2(Math.max(1, size))));
          const bss = this.section('.bss', 'bss');
          bss.entries.push({ kind: 'align', n: align, fill: 0, loc: d.loc });
          this.defineData(bss, name, d.loc);
          if (d.name === '.comm') this.globals.add(name);
          bss.entries.push({ kind: 'item', item: { kind: 'zero', size }, loc: d.loc });
          break;
        }
        case '.align':
        case '.p2align':
        case '.balign': {
          const n0 = Number(this.evalAbs(d.args[0], d));
          const n = d.name === '.p2align' ? 1 << n0 : n0;
          if (n < 1 || (n & (n - 1)) !== 0) throw asmError(`alignment ${n} is not a power of two`, d.loc);
          const fill = d.args[1] ? Number(this.evalAbs(d.args[1], d)) & 255 : 0;
          const e: DataEntry = { kind: 'align', n, fill: sec.kind === 'text' && !d.args[1] ? 0 : fill, loc: d.loc };
          if (sec.kind === 'text') pendingAlign.push(e);
          else sec.entries.push(e);
          break;
        }
        default: {
          const items = this.dataItems(d);
          if (!items) throw asmError(`unsupported directive ${d.name}`, d.loc);
          if (sec.kind === 'text') {
            flushAsData();
            if (this.code[this.code.length - 1]?.kind !== 'barrier') this.code.push({ kind: 'barrier', loc: d.loc });
            this.section('.text', 'text').entries.push(...items.map((item) => ({ kind: 'item' as const, item, loc: d.loc })));
          } else sec.entries.push(...items.map((item) => ({ kind: 'item' as const, item, loc: d.loc })));
        }
      }
    }
    if (sec.kind === 'text') flushAsCode();
    for (const l of pendingLabels) this.defineCode(l.name, l.loc);
    this.code.push({ kind: 'barrier', loc: this.stmts[this.stmts.length - 1]?.loc ?? { file: this.moduleName, line: 0, col: 0, text: '' } });
  }

  private section(name: string, kind: SectionKind): { name: string; kind: SectionKind; entries: DataEntry[] } {
    let s = this.sections.find((x) => x.name === name);
    if (!s) {
      s = { name, kind, entries: [] };
      this.sections.push(s);
    }
    return s;
  }

  private checkName(name: string, loc: AsmLoc): void {
    if (!NAME_RE.test(name)) throw asmError(`symbol name '${name}' cannot be represented in the IR`, loc);
    if (this.codeLabels.has(name) || this.dataLabels.has(name)) throw asmError(`label ${name} defined twice`, loc);
  }

  private defineCode(name: string, loc: AsmLoc): void {
    this.checkName(name, loc);
    const idx = this.code.length;
    this.codeLabels.set(name, idx);
    this.labelLoc.set(name, loc);
    const l = this.labelsAt.get(idx) ?? [];
    l.push(name);
    this.labelsAt.set(idx, l);
  }

  private defineData(sec: { entries: DataEntry[] }, name: string, loc: AsmLoc): void {
    this.checkName(name, loc);
    this.dataLabels.add(name);
    this.labelLoc.set(name, loc);
    sec.entries.push({ kind: 'label', name, loc });
  }

  private noteDataRef(name: string, loc: AsmLoc): void {
    this.dataSymRefs.push({ name, loc });
  }

  private evalAbs(s: string | undefined, d: Directive): bigint {
    if (s === undefined) throw asmError(`${d.name}: missing argument`, d.loc);
    const v = this.evalVal(parseExpr(s, d.ctx), d.loc);
    if (v.sym !== undefined) throw asmError(`${d.name}: '${s}' must be an absolute value`, d.loc);
    return v.off;
  }

  /** The items of a data-emitting directive, or undefined if `d` is not one. */
  private dataItems(d: Directive): DataItem[] | undefined {
    const ints = (width: 'b' | 'h' | 'w' | 'l'): DataItem[] =>
      d.args.map((a) => {
        const v = this.evalVal(parseExpr(a, d.ctx), d.loc);
        if (v.sym === undefined) return { kind: 'int', width, value: v.off };
        if (width !== 'w') throw asmError(`${d.name} ${a}: a symbol address needs 32 bits (.long)`, d.loc);
        this.noteDataRef(v.sym, d.loc);
        return { kind: 'symbol', name: v.sym, offset: relocOffset(v.off) };
      });
    switch (d.name) {
      case '.byte':
        return ints('b');
      case '.word':
      case '.short':
      case '.hword':
      case '.2byte':
      case '.value':
        return ints('h');
      case '.long':
      case '.int':
      case '.4byte':
        return ints('w');
      case '.quad':
      case '.8byte':
        return ints('l');
      case '.ascii':
      case '.asciz':
      case '.string': {
        const z = d.name !== '.ascii';
        return d.args.map((a) => {
          const b = parseStringLit(a, d.loc);
          if (!z) return { kind: 'string', bytes: b };
          const o = new Uint8Array(b.length + 1);
          o.set(b);
          return { kind: 'string', bytes: o };
        });
      }
      case '.space':
      case '.skip':
      case '.zero': {
        const n = Number(this.evalAbs(d.args[0], d));
        const fill = d.args[1] ? Number(this.evalAbs(d.args[1], d)) & 255 : 0;
        if (n < 0) throw asmError(`${d.name} with a negative size`, d.loc);
        return fill === 0 ? [{ kind: 'zero', size: n }] : [{ kind: 'string', bytes: new Uint8Array(n).fill(fill) }];
      }
      case '.fill': {
        const rep = Number(this.evalAbs(d.args[0], d));
        const size = d.args[1] ? Number(this.evalAbs(d.args[1], d)) : 1;
        const value = d.args[2] ? this.evalAbs(d.args[2], d) : 0n;
        if (value === 0n) return [{ kind: 'zero', size: rep * size }];
        const width = ({ 1: 'b', 2: 'h', 4: 'w', 8: 'l' } as const)[size as 1 | 2 | 4 | 8];
        if (!width) throw asmError(`.fill size ${size} is not supported`, d.loc);
        return Array.from({ length: rep }, () => ({ kind: 'int' as const, width, value }));
      }
      default:
        return undefined;
    }
  }

  /** Evaluates an expression; symbols that are .set values are substituted. */
  evalVal(e: Expr, loc: AsmLoc): Val {
    switch (e.kind) {
      case 'num':
        return { off: e.value };
      case 'sym': {
        if (e.name === '.') throw asmError("the location counter '.' is not supported", loc);
        const s = this.sets.get(e.name);
        if (s) return s;
        return { sym: e.name, off: 0n };
      }
      case 'unary': {
        const a = this.evalVal(e.a, loc);
        if (e.op === '+') return a;
        if (a.sym !== undefined) throw asmError(`unary '${e.op}' applied to the address of ${a.sym}`, loc);
        const v = e.op === '-' ? -a.off : e.op === '~' ? ~a.off : a.off === 0n ? 1n : 0n;
        return { off: BigInt.asIntN(64, v) };
      }
      case 'binary': {
        const a = this.evalVal(e.a, loc);
        const b = this.evalVal(e.b, loc);
        if (e.op === '+') {
          if (a.sym !== undefined && b.sym !== undefined) throw asmError(`cannot add the addresses of ${a.sym} and ${b.sym}`, loc);
          return { sym: a.sym ?? b.sym, off: BigInt.asIntN(64, a.off + b.off) };
        }
        if (e.op === '-') {
          if (b.sym === undefined) return { sym: a.sym, off: BigInt.asIntN(64, a.off - b.off) };
          if (a.sym === b.sym) return { off: BigInt.asIntN(64, a.off - b.off) };
          throw asmError(`the difference of two addresses (${a.sym ?? 'constant'} - ${b.sym}) is not supported`, loc);
        }
        if (a.sym !== undefined || b.sym !== undefined)
          throw asmError(`operator '${e.op}' applied to the address of ${a.sym ?? b.sym}`, loc);
        const x = a.off;
        const y = b.off;
        let r: bigint;
        switch (e.op) {
          case '*': r = x * y; break;
          case '/':
          case '%':
            if (y === 0n) throw asmError('division by zero in expression', loc);
            r = e.op === '/' ? x / y : x % y;
            break;
          case '<<': r = x << y; break;
          case '>>': r = x >> y; break;
          case '|': r = x | y; break;
          case '&': r = x & y; break;
          case '^': r = x ^ y; break;
          case '!': r = x | ~y; break;
          case '==': r = x === y ? -1n : 0n; break;
          case '!=':
          case '<>': r = x !== y ? -1n : 0n; break;
          case '<': r = x < y ? -1n : 0n; break;
          case '>': r = x > y ? -1n : 0n; break;
          case '<=': r = x <= y ? -1n : 0n; break;
          case '>=': r = x >= y ? -1n : 0n; break;
          case '&&': r = x !== 0n && y !== 0n ? 1n : 0n; break;
          case '||': r = x !== 0n || y !== 0n ? 1n : 0n; break;
          default:
            throw asmError(`unknown operator '${e.op}'`, loc);
        }
        return { off: BigInt.asIntN(64, r) };
      }
    }
  }

  /** The code label a value names, when it is one of this file's code labels. */
  codeTarget(v: Val): string | undefined {
    return v.sym !== undefined && this.codeLabels.has(v.sym) ? v.sym : undefined;
  }

  // ---- pass 3: which flag bits are live at each instruction (backward dataflow) ----

  /** Bits that may be read before being set, at the start of instruction i. */
  readonly needIn: Set<Bit>[] = [];
  /** The same after instruction i (the union over its successors). */
  readonly needOut: Set<Bit>[] = [];

  private computeFlagNeeds(): void {
    const n = this.code.length;
    const info = this.code.map((it, i) => this.flagInfo(it, i));
    for (let i = 0; i < n; i++) (this.needIn[i] = new Set()), (this.needOut[i] = new Set());
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = n - 1; i >= 0; i--) {
        const { uses, kills, succs } = info[i];
        const out = new Set<Bit>();
        for (const s of succs) for (const b of this.needIn[s] ?? []) out.add(b);
        const inn = new Set<Bit>(uses);
        for (const b of out) if (!kills.includes(b)) inn.add(b);
        if (out.size !== this.needOut[i].size || inn.size !== this.needIn[i].size) changed = true;
        this.needOut[i] = out;
        this.needIn[i] = inn;
      }
    }
  }

  private flagInfo(it: CodeItem, i: number): { uses: Bit[]; kills: readonly Bit[]; succs: number[] } {
    if (it.kind === 'barrier') return { uses: [], kills: [], succs: [] };
    const st = it.stmt;
    const d = decode(st.mnemonic);
    const next = [i + 1];
    if (!d) return { uses: [], kills: ALL_BITS, succs: next };
    const target = (): number[] => {
      const o = st.operands[0];
      if (o?.kind !== 'expr') return [];
      try {
        const t = this.codeTarget(this.evalVal(o.expr, st.loc));
        return t === undefined ? [] : [this.codeLabels.get(t)!];
      } catch {
        return [];
      }
    };
    switch (d.base) {
      case 'jcc':
        return { uses: CC_BITS[d.cc!], kills: [], succs: [...next, ...target()] };
      case 'setcc':
      case 'cmovcc':
        return { uses: CC_BITS[d.cc!], kills: [], succs: next };
      case 'loop':
      case 'jecxz':
        return { uses: [], kills: [], succs: [...next, ...target()] };
      case 'jmp':
      case 'jmpl':
        return { uses: [], kills: [], succs: target() };
      case 'ret':
      case 'retl':
      case 'lret':
      case 'lretl':
      case 'iret':
      case 'iretl':
      case 'ljmp':
      case 'ljmpl':
        return { uses: [], kills: [], succs: [] };
      case 'inc':
      case 'dec':
        return { uses: [], kills: ['zf', 'sf', 'of'], succs: next };
      case 'shl':
      case 'shr':
      case 'sar': {
        const o = st.operands[0];
        if (st.operands.length === 2 && o.kind === 'imm') {
          try {
            const v = this.evalVal(o.expr, st.loc);
            if (v.sym === undefined && (BigInt.asUintN(32, v.off) & 31n) === 0n) return { uses: [], kills: [], succs: next };
          } catch {
            /* reported when lowered */
          }
        }
        return { uses: [], kills: ALL_BITS, succs: next };
      }
      case 'movsb': case 'movsw': case 'movsl': case 'stosb': case 'stosw': case 'stosl': case 'lodsb': case 'lodsw': case 'lodsl':
        return { uses: [], kills: [], succs: next };
      case 'cmpsb': case 'cmpsw': case 'cmpsl': case 'scasb': case 'scasw': case 'scasl':
        // With a rep prefix and ecx = 0 the flags pass through unchanged.
        return { uses: [], kills: st.prefixes.some((p) => p.startsWith('rep')) ? [] : ALL_BITS, succs: next };
      default:
        if (d.base === 'adc' || d.base === 'sbb') return { uses: ['cf'], kills: ALL_BITS, succs: next };
        return { uses: [], kills: FLAG_SETTERS.has(d.base) ? ALL_BITS : [], succs: next };
    }
  }

  // ---- pass 2: which code labels are function entries ----

  /** For `pushl $label` directly followed by ret/lret (see the header): the push's code index. */
  readonly returnPushes = new Set<number>();

  private findEntries(): void {
    for (const g of this.globals) if (this.codeLabels.has(g)) this.entries.add(g);
    const symsOf = (e: Expr, out: string[]): string[] => {
      if (e.kind === 'sym') {
        const s = this.sets.get(e.name);
        if (s?.sym) out.push(s.sym);
        else if (!s) out.push(e.name);
      } else if (e.kind === 'unary') symsOf(e.a, out);
      else if (e.kind === 'binary') (symsOf(e.a, out), symsOf(e.b, out));
      return out;
    };
    const isInsn = (i: number, ...names: string[]): Insn | undefined => {
      const it = this.code[i];
      return it?.kind === 'insn' && names.includes(it.stmt.mnemonic) ? it.stmt : undefined;
    };
    const pushImm = (i: number): boolean => {
      const s = isInsn(i, 'push', 'pushl');
      return !!s && s.operands.length === 1 && s.operands[0].kind === 'imm';
    };
    this.code.forEach((it, i) => {
      if (it.kind !== 'insn') return;
      const noLabel = (k: number): boolean => !this.labelsAt.has(k);
      if (isInsn(i, 'ret', 'retl') && it.stmt.operands.length === 0 && noLabel(i) && pushImm(i - 1)) this.returnPushes.add(i - 1);
      if (isInsn(i, 'lret', 'lretl') && noLabel(i) && noLabel(i - 1) && pushImm(i - 1) && pushImm(i - 2)) this.returnPushes.add(i - 1);
    });
    this.code.forEach((it, i) => {
      if (it.kind !== 'insn') return;
      const st = it.stmt;
      const d = decode(st.mnemonic);
      const isBranch = d && (d.base === 'jmp' || d.base === 'jmpl' || d.base === 'jcc' || d.base === 'jecxz' || d.base === 'loop');
      st.operands.forEach((op, k) => {
        let exprs: Expr[] = [];
        if (op.kind === 'imm' || op.kind === 'expr') exprs = [op.expr];
        else if (op.kind === 'mem' && op.disp) exprs = [op.disp];
        else if (op.kind === 'indirect' && op.target.kind === 'mem' && op.target.disp) exprs = [op.target.disp];
        for (const e of exprs)
          for (const s of symsOf(e, [])) {
            if (!this.codeLabels.has(s)) continue;
            if (op.kind === 'expr' && isBranch) continue;
            if (d && (d.base === 'ljmp' || d.base === 'ljmpl') && op.kind === 'imm' && k === 1) continue;
            if (op.kind === 'imm' && this.returnPushes.has(i)) continue;
            // A call target, or an address used as a value: either way a function entry.
            this.entries.add(s);
          }
      });
    });
    for (const r of this.dataSymRefs) if (this.codeLabels.has(r.name)) this.entries.add(r.name);
  }
}
