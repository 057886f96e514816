/*
 * Syntax gcc accepts and tree-sitter-c does not, repaired after a parse from the
 * shape of the ERROR node it leaves: a `switch` whose body is one statement rather
 * than a block (`switch (x) case 1: f();`). Braces are inserted around that statement
 * and the text is parsed again; no line moves (only columns after an insertion on
 * its own line shift by one). Text without such an error is returned untouched.
 */
import type { SyntaxNode, Tree } from 'tree-sitter';
import type { Preprocessed } from './cpp.js';

/** Where braces go: after offset `open`, and after offset `close`. */
interface Insert { open: number; close: number }

/** The end offset of the statement a bare `switch (...)` governs, from the node after it. */
function bodyEnd(first: SyntaxNode): number | undefined {
  let s: SyntaxNode | null = first;
  while (s) {
    if (s.type !== 'case_statement') return s.endIndex;
    // `case 1: case 2: f();` parses as an empty case followed by its sibling.
    const value = s.childForFieldName('value');
    const stmt = s.namedChildren.find((c) => c.id !== value?.id && c.type !== 'comment');
    if (stmt) return stmt.endIndex;
    s = s.nextNamedSibling;
  }
  return undefined;
}

function findBareSwitches(root: SyntaxNode): Insert[] {
  const out: Insert[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!n.hasError && n.type !== 'ERROR') continue;
    if (n.type === 'ERROR' && n.childCount === 2 && n.child(0)!.type === 'switch' && n.child(1)!.type === 'parenthesized_expression') {
      const next = n.nextNamedSibling;
      const end = next ? bodyEnd(next) : undefined;
      if (end !== undefined) out.push({ open: n.endIndex, close: end });
      continue;
    }
    for (const c of n.children) stack.push(c);
  }
  return out;
}

/** Parses pp with `parse`, repairing bare switch bodies; returns the (maybe new) text and its tree. */
export function parseWithRepairs(pp: Preprocessed, parse: (pp: Preprocessed) => Tree): { pp: Preprocessed; tree: Tree } {
  let tree = parse(pp);
  // Each round fixes the outermost bare switches; nested ones show up in the next.
  for (let round = 0; round < 64 && tree.rootNode.hasError; round++) {
    const fixes = findBareSwitches(tree.rootNode);
    if (fixes.length === 0) break;
    const marks = fixes.flatMap((f) => [{ at: f.open, s: '{' }, { at: f.close, s: '}' }]).sort((a, b) => a.at - b.at);
    let text = '';
    let last = 0;
    for (const m of marks) { text += pp.text.slice(last, m.at) + m.s; last = m.at; }
    pp = { ...pp, text: text + pp.text.slice(last) };
    tree = parse(pp);
  }
  return { pp, tree };
}
