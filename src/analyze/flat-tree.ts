/*
 * Trees from the scanner's native core (native/xenoport_ts.c): the whole parse
 * tree arrives as one Int32Array, six numbers per node in pre-order, and a
 * FlatNode is a small JS object reading that table. Same shape as the
 * tree-sitter binding's nodes for the part of the API the analyzer uses, so the
 * extractor runs on either; queries run natively and name nodes by index.
 * Loaded only when the core was built (scripts/build-native.mjs).
 */
import { createRequire } from 'node:module';
import { objectArray } from './arrays.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface NativeCore {
  parse(text: string): [unknown, Int32Array];
  free(tree: unknown): void;
  descendant(tree: unknown, node: number, start: number, end: number): number;
  query(source: string): unknown;
  run(tree: unknown, query: unknown, node: number, captures: boolean): Int32Array;
  captureNames(query: unknown): string[];
  language(): { symbols: string[]; fields: string[] };
  trim(): void;
}

const COLS = 6;
const F_NAMED = 1;
const F_MISSING = 2;
const F_HAS_ERROR = 4;
const ERROR_SYMBOL = 0xffff;
/** Nodes with more descendants than this are searched by binary search over their children. */
const MANY_DESCENDANTS = 64;

let core: NativeCore | null | undefined;
let symbols: string[] = [];
let fieldIds = new Map<string, number>();

/** dist/native/xenoport_ts.node next to this module's dist tree, or null when it was not built. */
export function nativeCore(): NativeCore | null {
  if (core !== undefined) return core;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/analyze/flat-tree.js -> dist/native; src/analyze (vitest) -> dist/native too.
  const candidates = [path.join(here, '..', '..', 'native', 'xenoport_ts.node'), path.join(here, '..', '..', 'dist', 'native', 'xenoport_ts.node')];
  const require = createRequire(import.meta.url);
  core = null;
  for (const file of candidates) {
    try {
      core = require(file) as NativeCore;
      break;
    } catch {
      // not built here; try the next place
    }
  }
  if (core) {
    const lang = core.language();
    symbols = lang.symbols;
    fieldIds = new Map(lang.fields.map((f, i) => [f, i] as [string, number]).filter(([f, i]) => i > 0 && f !== ''));
  }
  return core;
}

export class FlatTree {
  readonly t: Int32Array;
  /** The native tree, or null for a detached tree (a table that crossed from another thread). */
  readonly handle: unknown;
  readonly rootNode: FlatNode;
  /** For a detached tree: the query rules' matches, found where the tree was parsed. */
  ruleMatches?: RuleMatches;

  private constructor(
    readonly input: string,
    private readonly nat: NativeCore | null,
    handle: unknown,
    table: Int32Array,
  ) {
    this.handle = handle;
    this.t = table;
    this.rootNode = new FlatNode(this, 0);
  }

  /** Parses `input` here: a live tree (native lookups and queries). */
  static parse(input: string, nat: NativeCore): FlatTree {
    const [handle, table] = nat.parse(input);
    return new FlatTree(input, nat, handle, table);
  }

  /** A tree parsed elsewhere: its table and text, no native tree behind it. */
  static detached(input: string, table: Int32Array, ruleMatches?: RuleMatches): FlatTree {
    // The symbol and field names come from the core: load it here too if this thread has not yet.
    if (!nativeCore()) throw new Error('a node table needs the scanner native core to be read');
    const tree = new FlatTree(input, null, null, table);
    tree.ruleMatches = ruleMatches;
    return tree;
  }

  node(ix: number): FlatNode {
    return new FlatNode(this, ix);
  }

  typeAt(ix: number): string {
    const sym = this.t[ix * COLS] & 0xffff;
    return sym === ERROR_SYMBOL ? 'ERROR' : symbols[sym];
  }

  descendant(ix: number, start: number, end: number): FlatNode {
    // The table's search, for live trees too: the core's walks every child before the one it wants.
    return new FlatNode(this, this.descendantInTable(ix, start, end));
  }

  /*
   * tree-sitter's ts_node_descendant_for_byte_range over the table: go down to
   * the first child that covers [start, end) until none does. The table holds
   * visible nodes only, which are all "relevant" to that search. Siblings do not
   * overlap, so their ends never decrease: the children that end before `start`
   * (which the search passes over) are a prefix, skipped by a binary search over
   * the node's children when it has many (a header of 20,000 #defines, a
   * firmware image's initializer list); a walk along them made each lookup
   * linear and a file's lookups quadratic.
   */
  private descendantInTable(ix: number, start: number, end: number): number {
    const t = this.t;
    let node = ix;
    for (let descended = true; descended; ) {
      descended = false;
      const last = t[node * COLS + 5];
      let c = node + 1 < last ? node + 1 : -1;
      if (last - node > MANY_DESCENDANTS && c >= 0) c = this.firstEndingFrom(node, start);
      for (; c >= 0; c = t[c * COLS + 4]) {
        const cStart = t[c * COLS + 1];
        const cEnd = t[c * COLS + 2];
        if (cEnd < end) continue;
        if (cStart === cEnd ? cEnd < start : cEnd <= start) continue;
        if (start < cStart) break;
        node = c;
        descended = true;
        break;
      }
    }
    return node;
  }

  /** Children of big nodes, as table indices in order (made when first searched). */
  private kids?: Map<number, Int32Array>;

  /** The first child of `node` that ends at or after `pos` (or -1 when none does). */
  private firstEndingFrom(node: number, pos: number): number {
    const t = this.t;
    this.kids ??= new Map();
    let k = this.kids.get(node);
    if (!k) {
      let n = 0;
      const last = t[node * COLS + 5];
      for (let c = node + 1; c >= 0 && c < last; c = t[c * COLS + 4]) n++;
      k = new Int32Array(n);
      for (let c = node + 1, i = 0; i < n; c = t[c * COLS + 4]) k[i++] = c;
      this.kids.set(node, k);
    }
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t[k[mid] * COLS + 2] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < k.length ? k[lo] : -1;
  }

  run(query: unknown, ix: number, captures: boolean): Int32Array {
    if (!this.nat) throw new Error('a detached tree cannot run queries (its rule matches come with it)');
    return this.nat.run(this.handle, query, ix, captures);
  }

  /** Frees the native tree now; the table stays readable, queries and lookups do not. */
  delete(): void {
    this.nat?.free(this.handle);
  }
}

/** Query rule matches by rule id: per match, its pattern and captures as (name, node index). */
export type RuleMatches = Record<string, Array<{ pattern: number; captures: Array<[string, number]> }>>;

export class FlatNode {
  constructor(
    readonly tree: FlatTree,
    readonly ix: number,
  ) {}

  get id(): number {
    return this.ix;
  }

  get type(): string {
    return this.tree.typeAt(this.ix);
  }

  get startIndex(): number {
    return this.tree.t[this.ix * COLS + 1];
  }

  get endIndex(): number {
    return this.tree.t[this.ix * COLS + 2];
  }

  get text(): string {
    const t = this.tree.t;
    return this.tree.input.slice(t[this.ix * COLS + 1], t[this.ix * COLS + 2]);
  }

  get parent(): FlatNode | null {
    const p = this.tree.t[this.ix * COLS + 3];
    return p < 0 ? null : new FlatNode(this.tree, p);
  }

  get isNamed(): boolean {
    return ((this.tree.t[this.ix * COLS] >>> 24) & F_NAMED) !== 0;
  }

  get isMissing(): boolean {
    return ((this.tree.t[this.ix * COLS] >>> 24) & F_MISSING) !== 0;
  }

  get hasError(): boolean {
    return ((this.tree.t[this.ix * COLS] >>> 24) & F_HAS_ERROR) !== 0;
  }

  /** Index of the first child, or -1. Children follow their parent in pre-order. */
  private firstChildIx(): number {
    const t = this.tree.t;
    const c = this.ix + 1;
    return c < t[this.ix * COLS + 5] ? c : -1;
  }

  get children(): FlatNode[] {
    const out = objectArray<FlatNode>();
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) out.push(new FlatNode(this.tree, c));
    return out;
  }

  get namedChildren(): FlatNode[] {
    const out = objectArray<FlatNode>();
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) if ((t[c * COLS] >>> 24) & F_NAMED) out.push(new FlatNode(this.tree, c));
    return out;
  }

  get childCount(): number {
    let n = 0;
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) n++;
    return n;
  }

  get namedChildCount(): number {
    let n = 0;
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) if ((t[c * COLS] >>> 24) & F_NAMED) n++;
    return n;
  }

  childForFieldName(name: string): FlatNode | null {
    const id = fieldIds.get(name);
    if (id === undefined) return null;
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) if (((t[c * COLS] >>> 16) & 0xff) === id) return new FlatNode(this.tree, c);
    return null;
  }

  childrenForFieldName(name: string): FlatNode[] {
    const id = fieldIds.get(name);
    const out = objectArray<FlatNode>();
    if (id === undefined) return out;
    const t = this.tree.t;
    for (let c = this.firstChildIx(); c >= 0; c = t[c * COLS + 4]) if (((t[c * COLS] >>> 16) & 0xff) === id) out.push(new FlatNode(this.tree, c));
    return out;
  }

  /** The smallest node spanning [start, end), by tree-sitter's own descent. */
  descendantForIndex(start: number, end = start): FlatNode {
    return this.tree.descendant(this.ix, start, end);
  }

  /** This node and its descendants of the given type(s), in pre-order (as the binding answers). */
  descendantsOfType(types: string | string[]): FlatNode[] {
    const want = new Set(typeof types === 'string' ? [types] : types);
    const out = objectArray<FlatNode>();
    const end = this.tree.t[this.ix * COLS + 5];
    for (let i = this.ix; i < end; i++) if (want.has(this.tree.typeAt(i))) out.push(new FlatNode(this.tree, i));
    return out;
  }
}

/**
 * The nodes of `root`'s subtree whose type is a key of `kinds`, in pre-order,
 * named by `kinds`: what a query of one-node patterns `(kind) @name` captures,
 * read straight off the table. A `binary_expression` counts only with the
 * operator `band` names (the extractor's one field condition).
 */
export function captureKinds(root: FlatNode, kinds: Record<string, string>, band: string): Array<{ name: string; node: FlatNode; rank: number }> {
  const tree = root.tree;
  const t = tree.t;
  const bySymbol = symbolTable(kinds);
  const operator = fieldIds.get('operator');
  const out = objectArray<{ name: string; node: FlatNode; rank: number }>();
  // Where each capture's match completes: a `&` expression at its operator, any other
  // kind on entering its node (-1: pre-order decides).
  const done: number[] = [];
  const end = t[root.ix * COLS + 5];
  for (let i = root.ix; i < end; i++) {
    const sym = t[i * COLS] & 0xffff;
    const name = sym === ERROR_SYMBOL ? kinds.ERROR : bySymbol[sym];
    if (name === undefined) continue;
    let completes = -1;
    if (symbols[sym] === 'binary_expression') {
      let op = -1;
      for (let c = i + 1; c >= 0 && c < t[i * COLS + 5]; c = t[c * COLS + 4]) if (((t[c * COLS] >>> 16) & 0xff) === operator) op = c;
      if (op < 0 || tree.input.slice(t[op * COLS + 1], t[op * COLS + 2]) !== band) continue;
      completes = t[op * COLS + 1];
    }
    // A query returns captures by start offset and, at one offset, by pattern order
    // (a call before the `&` expression it begins), then by when the match completed:
    // in `a & b & c` the inner `a & b` sees its operator first, so it comes first.
    // Pre-order already goes by start offset, outer node first: only a run of
    // captures at one offset is reordered, keeping pre-order among the rest.
    const c = { name, node: new FlatNode(tree, i), rank: rankOf(kinds, name) };
    const start = t[i * COLS + 1];
    let at = out.length;
    while (at > 0 && out[at - 1].node.startIndex === start
      && (out[at - 1].rank > c.rank || (out[at - 1].rank === c.rank && completes >= 0 && done[at - 1] > completes))) at--;
    if (at === out.length) {
      out.push(c);
      done.push(completes);
    } else {
      out.splice(at, 0, c);
      done.splice(at, 0, completes);
    }
  }
  return out;
}

/**
 * Calls `visit` with the name `kinds` gives a node's type, its index, start and
 * end, for each node of `root`'s subtree whose type is a key of `kinds`, in
 * pre-order (for leaves such as identifiers: the text's order). One walk down
 * the table, no node objects made for the nodes passed over.
 */
export function forEachOfKind(root: FlatNode, kinds: Record<string, string>, visit: (kind: string, ix: number, start: number, end: number) => void): void {
  const t = root.tree.t;
  const bySymbol = symbolTable(kinds);
  const end = t[root.ix * COLS + 5];
  for (let i = root.ix; i < end; i++) {
    const sym = t[i * COLS] & 0xffff;
    const kind = sym === ERROR_SYMBOL ? undefined : bySymbol[sym];
    if (kind !== undefined) visit(kind, i, t[i * COLS + 1], t[i * COLS + 2]);
  }
}

function rankOf(kinds: Record<string, string>, name: string): number {
  let ranks = kindRanks.get(kinds);
  if (!ranks) kindRanks.set(kinds, (ranks = new Map(Object.values(kinds).map((n, i) => [n, i]))));
  return ranks.get(name)!;
}

const kindRanks = new WeakMap<Record<string, string>, Map<string, number>>();

const symbolTables = new WeakMap<Record<string, string>, Array<string | undefined>>();

function symbolTable(kinds: Record<string, string>): Array<string | undefined> {
  let table = symbolTables.get(kinds);
  if (!table) {
    table = symbols.map((s) => (Object.hasOwn(kinds, s) ? kinds[s] : undefined));
    symbolTables.set(kinds, table);
  }
  return table;
}
