/*
 * A kept summary's calls in columns. A whole FreeBSD 9.3 sys/ has about 685 k
 * calls; as CallSite objects (each with a Site and an argument list) they were
 * 140 MB of the 460 MB a scan keeps until resolution. Here a call is its
 * callee's name, four int32 (start, end, enclosing function, flags) and its
 * arguments' byte ranges in one Int32Array per file; the rare calls with typed
 * arguments (PTE helpers, block operations, sinks) keep those in a side map.
 * Resolution tests a callee by name first and makes a CallSite (`at`) only for
 * the calls it looks at further.
 * Invariant: `at(i)` equals the i-th CallSite the table was made from.
 */
import { NONE } from './arrays.js';
import type { CallSite, FileSummary, SExpr, Site } from './summary.js';

const COLS = 4;
const RECOVERED = 1;
const BECOMES_TABLE = 2;

export class CallTable {
  private constructor(
    /** The callee of each call (interned names). */
    readonly callee: readonly string[],
    /** Per call: start byte, end byte, enclosing function (-1: none), flags. */
    private readonly cols: Int32Array,
    /** Call i's arguments are entries argAt[i] .. argAt[i + 1] of `args`, two (start, end) per argument. */
    private readonly argAt: Int32Array,
    private readonly args: Int32Array,
    private readonly typed: ReadonlyMap<number, { sites: Site[]; types: SExpr[] }>,
  ) {}

  static of(calls: readonly CallSite[]): CallTable {
    const n = calls.length;
    const cols = new Int32Array(n * COLS);
    const argAt = new Int32Array(n + 1);
    let argCount = 0;
    for (const c of calls) argCount += c.argBytes.length;
    const args = new Int32Array(argCount);
    const typed = new Map<number, { sites: Site[]; types: SExpr[] }>();
    const callee: string[] = new Array(n);
    let a = 0;
    for (let i = 0; i < n; i++) {
      const c = calls[i];
      callee[i] = c.callee;
      cols[i * COLS] = c.site.startByte;
      cols[i * COLS + 1] = c.site.endByte;
      cols[i * COLS + 2] = c.func;
      cols[i * COLS + 3] = (c.site.recovered ? RECOVERED : 0) | (c.becomesTable ? BECOMES_TABLE : 0);
      argAt[i] = a;
      for (const b of c.argBytes) args[a++] = b;
      if (c.argSites.length > 0 || c.argTypes.length > 0) typed.set(i, { sites: c.argSites, types: c.argTypes });
    }
    argAt[n] = a;
    return new CallTable(callee, cols, argAt, args, typed);
  }

  get length(): number {
    return this.callee.length;
  }

  /** The enclosing function's index in the summary's funcs, or -1. */
  func(i: number): number {
    return this.cols[i * COLS + 2];
  }

  becomesTable(i: number): boolean {
    return (this.cols[i * COLS + 3] & BECOMES_TABLE) !== 0;
  }

  /** Whether the call's arguments were typed at extraction (a callee whose argument types matter). */
  hasArgTypes(i: number): boolean {
    return (this.typed.get(i)?.types.length ?? 0) > 0;
  }

  /** Call i as the CallSite it was made from. */
  at(i: number): CallSite {
    const k = i * COLS;
    const flags = this.cols[k + 3];
    const argBytes: number[] = [];
    for (let a = this.argAt[i]; a < this.argAt[i + 1]; a++) argBytes.push(this.args[a]);
    const typed = this.typed.get(i);
    const c: CallSite = {
      callee: this.callee[i],
      site: { startByte: this.cols[k], endByte: this.cols[k + 1], recovered: (flags & RECOVERED) !== 0 },
      func: this.cols[k + 2],
      argBytes,
      argSites: typed ? typed.sites : (NONE as never[]),
      argTypes: typed ? typed.types : (NONE as never[]),
    };
    if (flags & BECOMES_TABLE) c.becomesTable = true;
    return c;
  }

  /** Every typed argument expression (compact.ts reads the locals they name). */
  *argTypeExprs(): Iterable<SExpr> {
    for (const t of this.typed.values()) yield* t.types;
  }
}

const tables = new WeakMap<FileSummary, CallTable>();

/** A summary's calls as a table: the kept one (packCalls), or one made once from its CallSite list. */
export function callsOf(s: FileSummary): CallTable {
  if (s.callTable) return s.callTable;
  let t = tables.get(s);
  if (!t || t.length !== s.calls.length) tables.set(s, (t = CallTable.of(s.calls)));
  return t;
}

/** Packs a summary's calls (only once its JSON is made: the table has none). */
export function packCalls(s: FileSummary): FileSummary {
  if (s.callTable || s.calls.length === 0) return s;
  s.callTable = CallTable.of(s.calls);
  s.calls = NONE as never[];
  return s;
}

/**
 * The callees of a tree's calls, numbered once per resolution. Every resolver
 * asks of each call a question that depends on the callee's name alone (a PTE
 * helper? a wrapper? a macro that may have a value?); a whole sys/ has about
 * 685 k calls and a dozen such questions, and looking the names up in maps call
 * by call was a large part of resolution. Here a question is answered once per
 * distinct name, into an array a call reads through its callee's number.
 */
export class CalleeIds {
  /** The distinct callee names, first seen first; a name's number is its index. */
  readonly names: string[] = [];
  /** Per summary (the list's order): its calls' callee numbers. */
  readonly ofFile: Int32Array[];

  constructor(files: readonly FileSummary[]) {
    const ids = new Map<string, number>();
    this.ofFile = files.map((s) => {
      const calls = callsOf(s);
      const out = new Int32Array(calls.length);
      for (let i = 0; i < calls.length; i++) {
        const n = calls.callee[i];
        let id = ids.get(n);
        if (id === undefined) ids.set(n, (id = this.names.push(n) - 1));
        out[i] = id;
      }
      return out;
    });
  }

  /** `answer` for every name, indexed by number; asked in the order the names first occur in the calls. */
  answers<T>(answer: (name: string) => T): T[] {
    return this.names.map((n) => answer(n));
  }
}
