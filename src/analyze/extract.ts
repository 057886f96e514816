/*
 * Per-file extraction, the part of a scan that runs on worker threads: parse one
 * file (tree-sitter-c on the normalized text, or the assembly scanner), emit the
 * findings that depend on this file alone (instructions, query rules) and the
 * facts and candidate sites that resolve.ts judges tree-wide.
 * Invariant: every offset in the result is an ORIGINAL byte offset. C macro
 * bodies are parsed on their own, wrapped in a function whose prefix length is
 * subtracted again, so findings inside #define bodies are exact too.
 * The C side: c-extract.ts (handlers), c-context.ts (state, node readers),
 * c-syntax.ts (query, declarators), c-rules.ts (inline asm, query rules);
 * assembly files: extract-asm.ts.
 */
import { SourceText } from './source.js';
import { getCppConfig, liveText } from './cpp-branches.js';
import { extractAsm } from './extract-asm.js';
import { CExtractor } from './c-extract.js';
import type { PreparedC } from './c-prepare.js';
import { objectArray } from './arrays.js';
import { compactSummary } from './compact.js';
export { prepareC, type PreparedC } from './c-prepare.js';
import type { Rule } from './types.js';
import type { FileSummary } from './summary.js';
import { parseSuppressions } from './suppress.js';

export { localOf } from './extract-common.js';
export { insnMatches } from './extract-asm.js';

function emptySummary(src: SourceText, language: 'c' | 'asm'): FileSummary {
  return {
    file: src.file,
    language,
    bytes: src.text.length,
    lines: src.lineCount,
    lineLengths: src.lineLengths(src.text.length),
    parseErrors: 0,
    findings: objectArray(),
    typedefs: objectArray(),
    globals: objectArray(),
    fields: objectArray(),
    funcs: objectArray(),
    calls: objectArray(),
    writes: objectArray(),
    masks: objectArray(),
    macros: objectArray(),
    names: objectArray(),
    numbers: objectArray(),
    structs: {},
    fieldInits: objectArray(),
  };
}

/**
 * Extracts one file. `text` is the Latin-1 decoding of its bytes; `prepared`:
 * the C file already normalized and parsed on another thread (prepareC).
 */
export function extractFile(file: string, original: string, language: 'c' | 'asm', rules: Rule[], prepared?: PreparedC): FileSummary {
  // Dead and ported branches are blanked (prepareC did it for a prepared file).
  const { text, ranges } = prepared ? { text: original, ranges: prepared.branches } : liveText(original);
  const src = new SourceText(file, text);
  const out = emptySummary(src, language);
  if (ranges.length > 0 && getCppConfig()?.allBranches) out.branches = ranges;
  if (language === 'asm') extractAsm(src, out, rules);
  else new CExtractor(src, out, rules).run(prepared);
  const suppressions = parseSuppressions(original);
  if (suppressions) out.suppressions = suppressions;
  return compactSummary(out);
}
