/*
 * A text test that tells, before a query runs, that it cannot match in a file.
 * A query cursor walks the whole tree whatever the query, and on a real tree
 * most query rules (SEL_KPL's definition, the 8254's counter 0, pmap_qremove of
 * a directory) hold in a handful of files out of thousands. Every capture's
 * text is a slice of the parsed text, so a positive `#eq?` with a string needs
 * that string somewhere in the file, and a positive `#match?` needs its regex,
 * without a leading ^ or a trailing $, to match somewhere in the file. A pattern can match only if all of its requirements
 * hold; a query only if one of its patterns can.
 *
 * Invariant: the test never says no where the query would match. Whatever it
 * cannot reason about makes the pattern (and so the query) always run: a query
 * with quantifiers or alternations (a capture that may be absent passes some
 * predicates), a regex with anchors or assertions inside it, any other predicate.
 */

/** tree-sitter's predicate step types (the binding's PREDICATE_STEP_TYPE). */
const STEP_CAPTURE = 1;
const STEP_STRING = 2;

type Requirement = (text: string) => boolean;

/** What the binding's Query gives about its predicates: per pattern, per predicate, [type, value] pairs. */
export interface PredicateSource {
  _getPredicates(): Array<Array<Array<number | string>>>;
}

/** Outside string literals, `?`, `*`, `+` after a node and `[` alternations make captures optional or repeated. */
function hasOptionalParts(query: string): boolean {
  const code = query.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/;[^\n]*/g, '');
  return /[?*+[]/.test(code.replace(/#[\w-]+\?/g, ''));
}

/**
 * A regex's test on the whole file: a capture's text matching ^R$, ^R, R$ or R
 * has R somewhere in the file. Undefined when anchors or assertions remain
 * inside R (they would mean something else on the file).
 */
function fileRegex(source: string): Requirement | undefined {
  let inner = source.startsWith('^') ? source.slice(1) : source;
  if (inner.endsWith('$') && !inner.endsWith('\\$')) inner = inner.slice(0, -1);
  if (/\\[bB]|\(\?[=!<]/.test(inner) || /\$/.test(inner) || /(?<!\[)\^/.test(inner)) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(inner);
  } catch {
    return undefined;
  }
  return (text) => re.test(text);
}

/**
 * The test for a compiled query: false means no match is possible in that text.
 * `q` is the binding's Query, which keeps the parsed predicates per pattern.
 */
export function queryPrefilter(source: string, q: PredicateSource): (text: string) => boolean {
  const always = (): boolean => true;
  if (hasOptionalParts(source)) return always;
  let described: Array<Array<Array<number | string>>>;
  try {
    described = q._getPredicates();
  } catch {
    return always;
  }
  const patterns: Requirement[][] = [];
  for (const preds of described) {
    const reqs: Requirement[] = [];
    for (const steps of preds) {
      const [, op, t1, , t2, value] = steps;
      if (t1 !== STEP_CAPTURE || t2 !== STEP_STRING || typeof value !== 'string') continue;
      if (op === 'eq?') reqs.push((text) => text.includes(value));
      else if (op === 'match?') {
        const r = fileRegex(value);
        if (r) reqs.push(r);
      }
    }
    // A pattern without requirements can match anywhere: the query must run.
    if (reqs.length === 0) return always;
    patterns.push(reqs);
  }
  if (patterns.length === 0) return always;
  return (text) => patterns.some((reqs) => reqs.every((r) => r(text)));
}
