/*
 * tree-sitter-c for the scanner, behind one small interface with two backends:
 * the scanner's native core (flat-tree.ts: one call per file, the default when
 * it was built) and the tree-sitter node binding (always there; used when the
 * core was not built, when XENOPORT_SCAN_BACKEND=binding, and to compile and
 * validate queries). Both parse the same UTF-16 text with the same runtime and
 * grammar, so their trees are the same. Input is Latin-1-decoded text (one char
 * per byte), so string indices are byte offsets of the file.
 */
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import { FlatNode, FlatTree, nativeCore } from './flat-tree.js';
import { objectArray } from './arrays.js';
import { queryPrefilter, type PredicateSource } from './query-prefilter.js';

/** The part of a tree-sitter node the analyzer reads; both backends' nodes have it. */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
  readonly parent: SyntaxNode | null;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  readonly namedChildCount: number;
  readonly hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  descendantForIndex(start: number, end?: number): SyntaxNode;
  descendantsOfType(types: string | string[]): SyntaxNode[];
}

export interface QueryCapture {
  name: string;
  node: SyntaxNode;
}

export interface QueryMatch {
  pattern: number;
  captures: QueryCapture[];
}

export interface ParsedC {
  rootNode: SyntaxNode;
  /** Releases native memory now (the binding's trees wait for the collector). */
  delete(): void;
}

export type Backend = 'native' | 'binding';

let backend: Backend | undefined;

/** The backend in use: native when the core loads, unless the environment asks for the binding. */
export function parserBackend(): Backend {
  backend ??= process.env.XENOPORT_SCAN_BACKEND !== 'binding' && nativeCore() ? 'native' : 'binding';
  return backend;
}

/** Chooses the backend (tests compare the two); 'native' throws when the core was not built. */
export function setParserBackend(b: Backend): void {
  if (b === 'native' && !nativeCore()) throw new Error('the scanner native core was not built (npm run build)');
  backend = b;
}

/*
 * The binding is loaded with require: an ESM import of a CommonJS package makes
 * node lex its source for named exports, in every worker that starts.
 */
const require = createRequire(import.meta.url);
const TreeSitter = require('tree-sitter') as typeof Parser;
const C = require('tree-sitter-c') as unknown;

let parser: Parser | undefined;

function cParser(): Parser {
  if (!parser) {
    parser = new TreeSitter();
    parser.setLanguage(C as Parser.Language);
  }
  return parser;
}

/**
 * Parses C text. A binding tree does not register its JS node objects with the
 * binding's per-tree node cache: registering costs a weak reference and a
 * finalizer per node, and the analyzer compares nodes by `id`, never by
 * identity, so a node met twice may be two objects.
 */
export function parseC(text: string): ParsedC {
  const nat = parserBackend() === 'native' ? nativeCore() : null;
  if (nat) return FlatTree.parse(text, nat);
  // The default 32 KiB buffer rejects large inputs in some builds; size it to fit.
  const tree = cParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
  const uncached = tree as unknown as { _cacheNode: () => void; _cacheNodes: () => void };
  uncached._cacheNode = noCache;
  uncached._cacheNodes = noCache;
  return { rootNode: tree.rootNode as unknown as SyntaxNode, delete: noCache };
}

function noCache(): void {}

type Predicate = (captures: QueryCapture[]) => boolean;

/** A compiled query that runs on either backend's nodes; text predicates come from the binding. */
export class Query {
  private readonly predicates: Predicate[][];
  private nativeQuery: unknown;
  private names: string[] = [];
  /** False when the query cannot match anywhere in a text (query-prefilter.ts). */
  readonly mayMatch: (text: string) => boolean;

  constructor(
    private readonly source: string,
    private readonly binding: Parser.Query,
  ) {
    this.predicates = (binding as unknown as { predicates: Predicate[][] }).predicates;
    this.mayMatch = queryPrefilter(source, binding as unknown as PredicateSource);
  }

  captures(node: SyntaxNode): QueryCapture[] {
    if (!(node instanceof FlatNode)) return this.binding.captures(node as unknown as Parser.SyntaxNode) as unknown as QueryCapture[];
    const r = node.tree.run(this.native(), node.ix, true);
    const out = objectArray<QueryCapture>();
    for (let i = 0; i < r.length; ) {
      const pattern = r[i++];
      const which = r[i++];
      const n = r[i++];
      if (this.predicates[pattern].length === 0) {
        out.push({ name: this.names[r[i + 2 * which]], node: node.tree.node(r[i + 2 * which + 1]) });
      } else {
        const caps = this.decode(node.tree, r, i, n);
        if (this.predicates[pattern].every((p) => p(caps))) out.push(caps[which]);
      }
      i += 2 * n;
    }
    return out;
  }

  matches(node: SyntaxNode): QueryMatch[] {
    if (!(node instanceof FlatNode)) return this.binding.matches(node as unknown as Parser.SyntaxNode) as unknown as QueryMatch[];
    const r = node.tree.run(this.native(), node.ix, false);
    const out = objectArray<QueryMatch>();
    for (let i = 0; i < r.length; ) {
      const pattern = r[i++];
      const n = r[i++];
      const caps = this.decode(node.tree, r, i, n);
      if (this.predicates[pattern].every((p) => p(caps))) out.push({ pattern, captures: caps });
      i += 2 * n;
    }
    return out;
  }

  private decode(tree: FlatTree, r: Int32Array, at: number, n: number): QueryCapture[] {
    const caps = objectArray<QueryCapture>();
    for (let k = 0; k < n; k++) caps.push({ name: this.names[r[at + 2 * k]], node: tree.node(r[at + 2 * k + 1]) });
    return caps;
  }

  private native(): unknown {
    if (this.nativeQuery === undefined) {
      const nat = nativeCore()!;
      this.nativeQuery = nat.query(this.source);
      this.names = nat.captureNames(this.nativeQuery);
    }
    return this.nativeQuery;
  }
}

const queries = new Map<string, Query>();

/** Compiles (and memoizes) a query; throws tree-sitter's error on bad syntax. */
export function compileQuery(source: string): Query {
  let q = queries.get(source);
  if (!q) {
    q = new Query(source, new TreeSitter.Query(C as Parser.Language, source));
    queries.set(source, q);
  }
  return q;
}

/*
 * A binding node's start offset without a call into the binding. The node
 * binding keeps a node's TSNode context in the node object (fields 2-5);
 * context[0] is the start byte of the UTF-16 input, twice the string index.
 * Checked once against the binding's own startIndex; if the layout ever
 * differs, the getter is used. Native nodes read their table.
 */
function fieldStart(n: SyntaxNode): number {
  return (n as unknown as Record<number, number>)[2] >>> 1;
}

const bindingStart: (n: SyntaxNode) => number = ((): ((n: SyntaxNode) => number) => {
  const tree = cParser().parse('int x;\n/* \u00e9 */ int\nf(void)\n{\n\treturn (1);\n}\n');
  const root = tree.rootNode as unknown as SyntaxNode;
  const probe = [root, ...root.children, root.descendantForIndex(30, 31), root.descendantForIndex(37, 38)];
  return probe.every((n) => fieldStart(n) === n.startIndex) ? fieldStart : (n) => n.startIndex;
})();

export function startOf(n: SyntaxNode): number {
  return n instanceof FlatNode ? n.startIndex : bindingStart(n);
}

/** A node's text: the parsed string sliced by the node's offsets (one call into the binding, not two). */
export function textOf(n: SyntaxNode): string {
  if (n instanceof FlatNode) return n.text;
  const input = ((n as unknown as { tree: { input?: unknown } }).tree as { input?: unknown }).input;
  return typeof input === 'string' ? input.slice(startOf(n), n.endIndex) : n.text;
}

/*
 * A node's type name. The binding answers `type` with a call into native code;
 * but it builds a JS class per named node type, so the type of a named node is
 * remembered per class. Anonymous and ERROR nodes share the base class and ask.
 */
const typeByClass = new Map<unknown, string>();
const BaseNode = (TreeSitter as unknown as { SyntaxNode: unknown }).SyntaxNode;

export function typeOf(n: SyntaxNode): string {
  const k = n.constructor;
  if (k === FlatNode || k === BaseNode) return n.type;
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
