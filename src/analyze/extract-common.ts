/*
 * Pieces every extractor (C and assembly) shares: sites in ORIGINAL bytes,
 * findings, number literals, a function's locals.
 */
import type { SourceText } from './source.js';
import type { Capture, Finding, Rule } from './types.js';
import type { FuncInfo, LocalVar, Site } from './summary.js';

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

export function makeSite(src: SourceText, start: number, end: number, recovered: boolean): Site {
  const a = src.position(start);
  const b = src.position(end);
  return { startByte: start, endByte: end, line: a.line, col: a.col, endLine: b.line, endCol: b.col, recovered };
}

/** A Finding for `site` of `file`; `extra` adds the optional fields (instruction, via). */
export function mkFinding(rule: Rule, file: string, site: Site, language: 'c' | 'asm', captures: Record<string, Capture>, extra: Pick<Finding, 'instruction' | 'via'> = {}): Finding {
  return {
    ruleId: rule.id,
    category: rule.category,
    severity: rule.severity,
    message: rule.message,
    file,
    line: site.line,
    col: site.col,
    endLine: site.endLine,
    endCol: site.endCol,
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
  return mkFinding(rule, src.file, site, language, captures, instruction === undefined ? {} : { instruction });
}
