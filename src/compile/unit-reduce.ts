/*
 * The compile cache's second key for a unit: its preprocessed text with the bodies of
 * inline functions nothing in the unit names left out. The lowering (lower.ts) lowers
 * an inline function only when the module refers to it, so such a body never reaches
 * the IR: two texts that differ only there compile to the same module. A rule switch
 * changes one wrapper in a header many files include (cpufunc.h's enable_intr, say);
 * with this key only the files that call the wrapper are compiled again.
 *
 * Exact, not a guess; the conditions that make it so:
 * - the whole text parses without an error (a syntax error in a left-out body would
 *   otherwise be hidden; a text with any error gets no second key);
 * - a body is left out only when its function's name appears, as any word at all
 *   (calls, prototypes, initializers, strings, asm), neither outside every inline body
 *   nor in the body of a function kept, so lowered code cannot refer to it;
 * - the text is ASCII, so the parser's offsets are the string's;
 * - every line stays where it was (a left-out body keeps its newlines) and the column
 *   where the text resumes after a body is part of the key.
 */
import type { SyntaxNode, Tree } from 'tree-sitter';

const INLINE = new Set(['inline', '__inline', '__inline__']);
/** Marks a left-out body in the reduced text; cpp's output never holds a NUL. */
const ELIDED = '\u0000body';

/** The identifier a function definition defines, or undefined when its declarator is unusual. */
function definedName(fn: SyntaxNode): string | undefined {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d) {
    if (d.type === 'identifier') return d.text;
    if (d.type === 'parenthesized_declarator') d = d.namedChildren[0] ?? null;
    else d = d.childForFieldName('declarator');
  }
  return undefined;
}

function words(text: string): Map<string, number> {
  const count = new Map<string, number>();
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) count.set(m[0], (count.get(m[0]) ?? 0) + 1);
  return count;
}

/**
 * The [start, end) offsets of the bodies that cannot reach the module, in text order;
 * undefined when the text does not qualify (a parse error, non-ASCII text). An inline
 * function is reachable when its name appears outside every inline body (other than in
 * its own definition's head), or in the body of a reachable one; the rest are left out.
 */
export function unreachableInlineBodies(text: string, tree: Tree): [number, number][] | undefined {
  if (tree.rootNode.hasError || /[^\x00-\x7f]/.test(text)) return undefined;
  const inlines = new Map<string, { fn: SyntaxNode; body: SyntaxNode }>();
  for (const fn of tree.rootNode.namedChildren) {
    if (fn.type !== 'function_definition') continue;
    if (!fn.children.some((c) => c.type === 'storage_class_specifier' && INLINE.has(c.text.trim()))) continue;
    const name = definedName(fn);
    const body = fn.childForFieldName('body');
    // A name defined twice is an error the lowering reports: kept whole.
    if (!name || !body || inlines.has(name) || text[body.startIndex] !== '{' || text[body.endIndex - 1] !== '}') return undefined;
    inlines.set(name, { fn, body });
  }
  if (inlines.size === 0) return [];
  const bodies = [...inlines.values()].map((x) => x.body).sort((a, b) => a.startIndex - b.startIndex);
  let outside = '';
  let last = 0;
  for (const b of bodies) {
    outside += `${text.slice(last, b.startIndex)} `;
    last = b.endIndex;
  }
  const base = words(outside + text.slice(last));
  const reachable = new Set<string>();
  const todo: string[] = [];
  for (const [name, { fn, body }] of inlines) {
    const head = words(text.slice(fn.startIndex, body.startIndex) + ' ' + text.slice(body.endIndex, fn.endIndex)).get(name) ?? 0;
    if ((base.get(name) ?? 0) > head) {
      reachable.add(name);
      todo.push(name);
    }
  }
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    for (const w of words(text.slice(inlines.get(name)!.body.startIndex, inlines.get(name)!.body.endIndex)).keys()) {
      if (inlines.has(w) && !reachable.has(w)) {
        reachable.add(w);
        todo.push(w);
      }
    }
  }
  return [...inlines].filter(([name]) => !reachable.has(name)).map(([, { body }]): [number, number] => [body.startIndex, body.endIndex]).sort((a, b) => a[0] - b[0]);
}

/**
 * The text with each range replaced by a marker naming the column the text resumes
 * at, every newline of the range kept (so line i is still line i).
 */
export function reducedText(text: string, ranges: [number, number][]): string {
  let out = '';
  let last = 0;
  for (const [s, e] of ranges) {
    const inner = text.slice(s, e);
    const newlines = inner.split('\n').length - 1;
    const col = e - (text.lastIndexOf('\n', e - 1) + 1);
    out += text.slice(last, s) + '\n'.repeat(newlines) + `${ELIDED}@${col}`;
    last = e;
  }
  return out + text.slice(last);
}
