/*
 * GAS-subset lowering: parsed AT&T statements (syntax.ts) -> one IR module. This file
 * does the first file-level pass (sections, labels, data, .set), runs the others
 * (function entries: entries.ts; flag liveness: flag-liveness.ts) and describes the
 * scheme; function-lowering.ts lowers each entry's code, data.ts the data sections,
 * isa.ts knows the mnemonics.
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
import { ModuleBuilder, type IRModule } from '../../ir/index.js';
import { directiveItems, layoutSections, type DataEntry, type SectionKind } from './data.js';
import { findEntries } from './entries.js';
import { computeFlagNeeds } from './flag-liveness.js';
import { FunctionLowering } from './function-lowering.js';
import type { Bit } from './isa.js';
import { NAME_RE, evalExpr, type Val } from './value.js';
import { asmError, type AsmLoc, type Expr, type Stmt } from './ast.js';
import { parseExpr } from './expr.js';

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
  /** Symbols named by data items and .set values (a code label among them is an entry). */
  readonly dataSymRefs: { name: string; loc: AsmLoc }[] = [];
  /** Code labels that become IR functions (entries.ts). */
  entries = new Set<string>();
  /** For `pushl $label` directly followed by ret/lret (see the header): the push's code index. */
  returnPushes = new Set<number>();
  /** Flag bits that may be read before being set, at the start of / after instruction i (flag-liveness.ts). */
  needIn: Set<Bit>[] = [];
  needOut: Set<Bit>[] = [];

  constructor(
    readonly stmts: Stmt[],
    readonly moduleName: string,
  ) {
    this.mb = new ModuleBuilder(moduleName);
  }

  run(): AsmLowerResult {
    this.collect();
    ({ entries: this.entries, returnPushes: this.returnPushes } = findEntries(this));
    ({ needIn: this.needIn, needOut: this.needOut } = computeFlagNeeds(this));
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
          const items = directiveItems(d, this);
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

  noteDataRef(name: string, loc: AsmLoc): void {
    this.dataSymRefs.push({ name, loc });
  }

  evalAbs(s: string | undefined, d: Directive): bigint {
    if (s === undefined) throw asmError(`${d.name}: missing argument`, d.loc);
    const v = this.evalVal(parseExpr(s, d.ctx), d.loc);
    if (v.sym !== undefined) throw asmError(`${d.name}: '${s}' must be an absolute value`, d.loc);
    return v.off;
  }

  /** Evaluates an expression; symbols that are .set values are substituted. */
  evalVal(e: Expr, loc: AsmLoc): Val {
    return evalExpr(e, this.sets, loc);
  }

  /** The code label a value names, when it is one of this file's code labels. */
  codeTarget(v: Val): string | undefined {
    return v.sym !== undefined && this.codeLabels.has(v.sym) ? v.sym : undefined;
  }
}
