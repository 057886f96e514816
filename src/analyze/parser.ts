/*
 * The tree-sitter-c parser, one per thread. Input is Latin-1-decoded text (one
 * char per byte), so node.startIndex/endIndex are byte offsets of the file.
 */
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

let parser: Parser | undefined;

export function cParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  return parser;
}

/**
 * Parses C text. The tree does not register its JS node objects with the
 * binding's per-tree node cache: registering costs a weak reference and a
 * finalizer per node, and the analyzer compares nodes by `id`, never by
 * identity, so a node met twice may be two objects.
 */
export function parseC(text: string): Parser.Tree {
  // The default 32 KiB buffer rejects large inputs in some builds; size it to fit.
  const tree = cParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
  const uncached = tree as unknown as { _cacheNode: () => void; _cacheNodes: () => void };
  uncached._cacheNode = noCache;
  uncached._cacheNodes = noCache;
  return tree;
}

function noCache(): void {}

const queries = new Map<string, Parser.Query>();

/** Compiles (and memoizes) a query; throws tree-sitter's error on bad syntax. */
export function compileQuery(source: string): Parser.Query {
  let q = queries.get(source);
  if (!q) {
    q = new Parser.Query(C as unknown as Parser.Language, source);
    queries.set(source, q);
  }
  return q;
}

export type SyntaxNode = Parser.SyntaxNode;

/*
 * A node's start offset without a call into the binding. The node binding keeps
 * a node's TSNode context in the node object (fields 2-5); context[0] is the
 * start byte of the UTF-16 input, twice the string index. Checked once against
 * the binding's own startIndex; if the layout ever differs, the getter is used.
 */
function fieldStart(n: SyntaxNode): number {
  return (n as unknown as Record<number, number>)[2] >>> 1;
}

function getterStart(n: SyntaxNode): number {
  return n.startIndex;
}

export const startOf: (n: SyntaxNode) => number = ((): ((n: SyntaxNode) => number) => {
  const root = parseC('int x;\n/* \u00e9 */ int\nf(void)\n{\n\treturn (1);\n}\n').rootNode;
  const probe = [root, ...root.children, root.descendantForIndex(30, 31), root.descendantForIndex(37, 38)];
  return probe.every((n) => fieldStart(n) === n.startIndex) ? fieldStart : getterStart;
})();

/** A node's text: the parsed string sliced by the node's offsets (one call into the binding, not two). */
export function textOf(n: SyntaxNode): string {
  const input = (n.tree as unknown as { input?: unknown }).input;
  return typeof input === 'string' ? input.slice(startOf(n), n.endIndex) : n.text;
}

/*
 * A node's type name. The binding answers `type` with a call into native code;
 * but it builds a JS class per named node type, so the type of a named node is
 * remembered per class. Anonymous and ERROR nodes share the base class and ask.
 */
const typeByClass = new Map<unknown, string>();
const BaseNode = (Parser as unknown as { SyntaxNode: unknown }).SyntaxNode;

export function typeOf(n: SyntaxNode): string {
  const k = n.constructor;
  if (k === BaseNode) return n.type;
  let t = typeByClass.get(k);
  if (t === undefined) {
    t = n.type;
    typeByClass.set(k, t);
  }
  return t;
}

export function typeOfOpt(n: SyntaxNode | null | undefined): string | undefined {
  return n ? typeOf(n) : undefined;
}
