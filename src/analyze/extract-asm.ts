/*
 * Assembly files (.s/.S): instruction findings from the rules' asm patterns,
 * functions (ENTRY labels and .globl labels) with the calls and instructions
 * they contain, .set values and #defines (macro facts), symbols and numbers
 * (va-hole candidates). The asm patterns also judge inline asm in C files.
 */
import { SUFFIXES, scanAsm, type AsmInsn } from './asm.js';
import { finding, makeSite, newFuncInfo, numberValue } from './extract-common.js';
import { NONE, objectArray } from './arrays.js';
import { intern } from './intern.js';
import { holeLiteral } from './hole-numbers.js';
import type { SourceText } from './source.js';
import type { AsmPattern, Capture, Rule } from './types.js';
import { NAME_ASM, type FileSummary, type FuncInfo } from './summary.js';

export /** Compiled asm patterns, per rule. */
interface AsmMatcher {
  rule: Rule;
  mn: string[];
  exact: string[];
  /** Every spelling the mnemonic test accepts: each `mn` with each AT&T suffix, and `exact`. */
  spellings: Set<string>;
  src?: RegExp;
  dst?: RegExp;
  operand?: RegExp;
  symbol?: RegExp;
}

const matcherCache = new WeakMap<Rule[], AsmMatcher[]>();
export function asmMatchers(rules: Rule[]): AsmMatcher[] {
  let m = matcherCache.get(rules);
  if (!m) {
    m = rules
      .filter((r) => r.match.asm)
      .map((r) => {
        const a = r.match.asm as AsmPattern;
        const re = (s?: string): RegExp | undefined => (s === undefined ? undefined : new RegExp(`^(?:${s})$`, 'i'));
        const mn = (a.mnemonic ?? []).map((x) => x.toLowerCase());
        const exact = (a.exact ?? []).map((x) => x.toLowerCase());
        return {
          rule: r,
          mn,
          exact,
          spellings: new Set([...exact, ...mn.flatMap((b) => SUFFIXES.map((s) => b + s))]),
          src: re(a.src),
          dst: re(a.dst),
          operand: re(a.operand),
          symbol: a.symbol === undefined ? undefined : new RegExp(`^(?:${a.symbol})$`),
        };
      });
    matcherCache.set(rules, m);
  }
  return m;
}

const bySpelling = new WeakMap<AsmMatcher[], Map<string, AsmMatcher[]>>();

/**
 * The matchers whose mnemonic test accepts `mnemonic`, in rule order: an
 * instruction is tried against a few rules, not all forty.
 */
export function matchersFor(matchers: AsmMatcher[], mnemonic: string): readonly AsmMatcher[] {
  let index = bySpelling.get(matchers);
  if (!index) {
    index = new Map();
    for (const m of matchers) for (const s of m.spellings) index.set(s, [...(index.get(s) ?? []), m]);
    bySpelling.set(matchers, index);
  }
  return index.get(mnemonic) ?? NONE;
}

/** Does an instruction match a pattern? Operand texts are as the assembler sees them. */
export function insnMatches(m: AsmMatcher, insn: AsmInsn, ops: string[]): boolean {
  // A set lookup: this runs for every instruction and every asm rule.
  if (!m.spellings.has(insn.mnemonic)) return false;
  if (m.src && !(ops.length > 0 && m.src.test(ops[0]))) return false;
  if (m.dst && !(ops.length > 0 && m.dst.test(ops[ops.length - 1]))) return false;
  if (m.operand && !ops.some((o) => m.operand!.test(o))) return false;
  return true;
}

/** An instruction's operand texts, in an array of the one shape (arrays.ts). */
export function operandTexts(insn: AsmInsn): string[] {
  const out = objectArray<string>();
  for (let i = 0; i < insn.operands.length; i++) out.push(insn.operands[i].text);
  return out;
}

export function insnText(insn: AsmInsn, ops: string[]): string {
  return ops.length > 0 ? `${insn.mnemonic} ${ops.join(',')}` : insn.mnemonic;
}

/*
 * extractAsm is split by fact, each part a small function: V8 compiles (and
 * after a deoptimization recompiles) a function whole, and one big function
 * with a loop per fact cost more compile time than the assembly files' scan.
 */
export function extractAsm(src: SourceText, out: FileSummary, rules: Rule[]): void {
  const scan = scanAsm(src.text, true);
  const matchers = asmMatchers(rules);
  asmFunctions(scan, src, out);
  asmInstructions(scan, src, out, matchers, holeLiteral(rules));
  asmMacros(scan, out);
  asmSymbols(scan, src, out, matchers);
}

type AsmScan = ReturnType<typeof scanAsm>;

function capOf(text: string, s: number, e: number): Capture {
  return { text: text.slice(s, e), startByte: s, endByte: e };
}

/** Functions: ENTRY(x) labels and labels made .globl, in position order. */
function asmFunctions(scan: AsmScan, src: SourceText, out: FileSummary): void {
  const globals = new Set(scan.globals);
  const starts = scan.labels.filter((l) => l.entry || globals.has(l.name)).sort((a, b) => a.start - b.start);
  for (const l of starts) out.funcs.push(newFuncInfo(intern(l.name), 'asm', makeSite(l.start, l.end, false), objectArray(), src.file));
}

function asmInstructions(scan: AsmScan, src: SourceText, out: FileSummary, matchers: AsmMatcher[], wanted: (text: string, value: number) => boolean): void {
  // Instructions come in position order: the enclosing function only moves forward.
  let fi = -1;
  for (const insn of scan.insns) {
    while (fi + 1 < out.funcs.length && out.funcs[fi + 1].site.startByte <= insn.start) fi++;
    const fn = insn.inDefine || fi < 0 ? undefined : out.funcs[fi];
    const ops = operandTexts(insn);
    if (fn) {
      fn.statements++;
      if ((insn.mnemonic === 'call' || insn.mnemonic === 'calll') && ops.length === 1 && /^[A-Za-z_][\w.]*$/.test(ops[0]))
        fn.calls.push(intern(ops[0].replace(/^_/, '')));
    }
    for (const m of matchersFor(matchers, insn.mnemonic)) if (insnMatches(m, insn, ops)) insnFinding(m, insn, ops, src, out, fn);
    if (!insn.inDefine) operandNumbers(insn, out, wanted);
  }
}

function insnFinding(m: AsmMatcher, insn: AsmInsn, ops: string[], src: SourceText, out: FileSummary, fn: FuncInfo | undefined): void {
  const text = src.text;
  const site = makeSite(insn.start, insn.end, false);
  const captures: Record<string, Capture> = { MNEMONIC: capOf(text, insn.start, insn.start + insn.mnemonic.length) };
  let first: Capture | undefined;
  let last: Capture | undefined;
  for (let i = 0; i < insn.operands.length; i++) {
    last = capOf(text, insn.operands[i].start, insn.operands[i].end);
    first ??= last;
    captures[`OP${i}`] = last;
  }
  if (first && last) {
    captures.SRC = first;
    captures.DST = last;
  }
  const instruction = insnText(insn, ops);
  out.findings.push(finding(m.rule, src, site, 'asm', captures, instruction));
  if (fn) fn.insns.push({ ruleId: m.rule.id, instruction, site });
}

/** Numbers in operands that a va-hole rule could report (hole-numbers.ts). */
function operandNumbers(insn: AsmInsn, out: FileSummary, wanted: (text: string, value: number) => boolean): void {
  if (/^(and|or|xor|test|not|bt)/.test(insn.mnemonic)) return;
  for (const o of insn.operands) {
    const re = /(?<![\w.])(0[xX][0-9a-fA-F]{8,}|[0-9]{10,})\b/g;
    for (let m = re.exec(o.text); m; m = re.exec(o.text)) {
      const value = numberValue(m[1]);
      if (value === undefined || !wanted(m[1], value)) continue;
      const s = o.start + m.index;
      out.numbers.push({ text: m[1], value, site: makeSite(s, s + m[1].length, false), lang: 'asm', masked: false, inDefine: false });
    }
  }
}

/** .set values and #defines; data directives (.long 0xffc00000) are not instructions. */
function asmMacros(scan: AsmScan, out: FileSummary): void {
  for (const s of scan.sets) {
    out.macros.push({
      name: intern(s.name.replace(/^_/, '')),
      params: null,
      body: s.value,
      bodyStart: s.valueStart,
      lang: 'asm',
    });
  }
  for (const d of scan.defines) {
    const body = d.body.replace(/\s+$/, '');
    out.macros.push({
      name: intern(d.name),
      params: d.params,
      body,
      bodyStart: d.bodyStart,
      lang: 'asm',
    });
  }
}

function asmSymbols(scan: AsmScan, src: SourceText, out: FileSummary, matchers: AsmMatcher[]): void {
  const symbolRules = matchers.filter((m) => m.symbol);
  for (const s of scan.symbols) {
    if (!/^\d/.test(s.name) && !s.inDefine) out.names.push(intern(s.name), s.start, s.end, NAME_ASM);
    for (const m of symbolRules) {
      if (!m.symbol!.test(s.name)) continue;
      out.findings.push(finding(m.rule, src, makeSite(s.start, s.end, false), 'asm', { SYMBOL: capOf(src.text, s.start, s.end) }, undefined));
    }
  }
}
