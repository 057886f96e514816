/*
 * Pieces every extractor (C and assembly) shares: sites in ORIGINAL bytes,
 * findings, number literals, a function's locals.
 */
import { LineIndex, type SourceText } from './source.js';
import type { Capture, Finding, Rule } from './types.js';
import type { FileSummary, FuncInfo, LocalVar, Site } from './summary.js';
import { objectArray } from './arrays.js';

/** A function's local by name; never an Object.prototype member ('constructor'). */
export function localOf(f: FuncInfo, name: string): LocalVar | undefined {
  return Object.hasOwn(f.locals, name) ? f.locals[name] : undefined;
}

export function numberValue(text: string): number | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[1-9][0-9]*$/.test(t) || t === '0') v = parseInt(t, 10);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t, 8);
  else return undefined;
  return Number.isFinite(v) ? v : undefined;
}

/**
 * A function's facts, every field present from the start (the optional ones
 * undefined, which JSON leaves out): a field added later gives the object
 * another hidden class, and resolution, which reads every function of the tree,
 * then runs its loops on many shapes (measured: twice as slow).
 */
export function newFuncInfo(name: string, kind: FuncInfo['kind'], site: Site, params: string[], file: string): FuncInfo {
  return {
    name,
    kind,
    returnType: undefined,
    params,
    bodyExpr: undefined,
    statements: 0,
    control: undefined,
    stores: undefined,
    insns: objectArray(),
    calls: objectArray(),
    refs: objectArray(),
    locals: {},
    site,
    file,
  };
}

export function makeSite(start: number, end: number, recovered: boolean): Site {
  return { startByte: start, endByte: end, recovered };
}

/** A file's name and line index: what a finding needs besides its site. */
export interface Where {
  readonly file: string;
  position(offset: number): { line: number; col: number };
}

const whereOfSummary = new WeakMap<FileSummary, Where>();

/** The line index of a summary's file (built once per summary, from its line lengths). */
export function whereOf(s: FileSummary): Where {
  let w = whereOfSummary.get(s);
  if (!w || w.file !== s.file) whereOfSummary.set(s, (w = LineIndex.fromLengths(s.file, s.lineLengths)));
  return w;
}

/** A Finding for `site` of `file`; `extra` adds the optional fields (instruction, via). */
export function mkFinding(rule: Rule, at: Where, site: Site, language: 'c' | 'asm', captures: Record<string, Capture>, extra: Pick<Finding, 'instruction' | 'via'> = {}): Finding {
  const a = at.position(site.startByte);
  const b = at.position(site.endByte);
  return {
    ruleId: rule.id,
    category: rule.category,
    severity: rule.severity,
    message: rule.message,
    file: at.file,
    line: a.line,
    col: a.col,
    endLine: b.line,
    endCol: b.col,
    startByte: site.startByte,
    endByte: site.endByte,
    captures,
    recovered: site.recovered,
    language,
    // Always the same fields in the same order (undefined is left out of JSON):
    // one object shape for every finding keeps the scanner's hot code monomorphic.
    instruction: extra.instruction,
    via: extra.via,
  };
}

export function finding(rule: Rule, src: SourceText, site: Site, language: 'c' | 'asm', captures: Record<string, Capture>, instruction?: string): Finding {
  return mkFinding(rule, src, site, language, captures, instruction === undefined ? {} : { instruction });
}
