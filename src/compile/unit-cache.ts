/*
 * The compile cache: a C file's IR module kept on disk by what it was made from, so a
 * kernel rebuilt after a one-file change (the port loop switches one rule per boot)
 * recompiles that file only, and a second `npm start` recompiles nothing.
 *
 * Two levels, as ccache's direct and preprocessor modes:
 * - unit entries, keyed by the preprocessed input (every line's text and the file:line
 *   it came from, the attributes cpp's output lost) and the compiler's own code: the IR
 *   text the front end made of it;
 * - direct entries, keyed by the file's path, the options, the cpp in use and the list of
 *   files in the tree: the files the preprocessor read (from its line markers) with
 *   their sha256, and the unit key. When every one of those files still has its hash,
 *   cpp is not run at all; a file added anywhere in the tree (which could shadow an
 *   include) changes the key;
 * - on a unit miss, a second key: the same text without the bodies of inline
 *   functions the unit never names (unit-reduce.ts), which cannot reach its module, so
 *   a rule switch in a header wrapper recompiles only the files that call the wrapper.
 *
 * Paths: a generated tree lives in a directory named by its content key
 * (build/port/.sys.<key>), so the same file has another path in every iteration. Keys
 * and entries spell the tree's root as a placeholder and a loaded module gets the
 * current root back; the root can only appear in the module's file table (a file whose
 * preprocessed text names the root, say through __FILE__, is compiled and not cached).
 * Entries are checked files (src/cache-file.ts): a damaged one is a miss, never a wrong
 * module.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { readCacheJson, writeCacheJson } from '../cache-file.js';
import { parseModule, printModule, verifyModule, type IRModule } from '../ir/index.js';
import { canonicalPath, preprocess, type Preprocessed } from './cpp.js';
import { compilePreprocessed, parseC, type CompileOptions } from './driver.js';
import { lowerUnit } from './lower.js';
import { reducedText, unreachableInlineBodies } from './unit-reduce.js';
import { lowerAsmDetailed, lowerAsmFile, preprocessAsm, type AsmOptions } from './asm/index.js';

const UNIT_KIND = 'ir-unit';
const DIRECT_KIND = 'ir-direct';
const FORMAT = 1;
/** Stands for the tree's root in keys and entries; no path contains a NUL. */
const ROOT = '\u0000root';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** A hash of the code that turns preprocessed C into IR: this module and the IR's. */
function hashCompiler(): string {
  const h = createHash('sha256');
  const add = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      if (name === 'libc') continue;
      if (statSync(p).isDirectory()) add(p);
      else if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) h.update(name).update(readFileSync(p));
    }
  };
  add(HERE);
  add(path.join(HERE, '..', 'ir'));
  return h.digest('hex');
}

let fingerprint: string | undefined;
/** The compiler's identity for cache keys (a hash of its code), computed once per process. */
export function compilerFingerprint(): string {
  fingerprint ??= hashCompiler();
  return fingerprint;
}
const cppIds = new Map<string, Promise<string>>();
/** The preprocessor's identity (its path and version line), asked once per process. */
function cppIdentity(cpp: string): Promise<string> {
  let id = cppIds.get(cpp);
  if (!id) {
    id = execa(cpp, ['--version'], { reject: false }).then((r) => `${cpp} ${String(r.stdout).split('\n')[0] ?? ''} ${r.exitCode}`);
    cppIds.set(cpp, id);
  }
  return id;
}

interface UnitEntry {
  ir: string;
}
interface DirectEntry {
  deps: [string, string][];
  unit: string;
}

export interface UnitCacheStats {
  /** Files whose dependencies were unchanged: no cpp, no front end. */
  direct: number;
  /** Files preprocessed again whose output was known: no front end. */
  preprocessed: number;
  /** Files whose text was new but whose text without unreachable inline bodies was known (unit-reduce.ts): parsed, not lowered. */
  reduced: number;
  /** Files compiled. */
  compiled: number;
}

/** The on-disk cache of compiled units; one per cache directory, shared by builds. */
export class UnitCache {
  readonly stats: UnitCacheStats = { direct: 0, preprocessed: 0, reduced: 0, compiled: 0 };
  /** Parsed modules by unit key, in the root-free spelling (the IR is immutable once built). */
  private readonly parsed = new Map<string, IRModule>();

  constructor(readonly dir: string) {}

  private file(kind: string, key: string): string {
    return path.join(this.dir, kind, key.slice(0, 2), `${key}.json`);
  }

  private load(unitKey: string): IRModule | undefined {
    let m = this.parsed.get(unitKey);
    if (!m) {
      const e = readCacheJson<UnitEntry>(this.file(UNIT_KIND, unitKey), UNIT_KIND, FORMAT, (x) => typeof (x as UnitEntry)?.ir === 'string');
      if (!e) return undefined;
      try {
        m = parseModule(e.ir, unitKey);
      } catch {
        return undefined;
      }
      this.remember(unitKey, m);
    }
    return m;
  }

  private store(unitKey: string, m: IRModule): void {
    writeCacheJson(this.file(UNIT_KIND, unitKey), UNIT_KIND, FORMAT, { ir: printModule(m) } satisfies UnitEntry);
    this.remember(unitKey, m);
  }

  private remember(unitKey: string, m: IRModule): void {
    if (this.parsed.size > 4096) this.parsed.clear();
    this.parsed.set(unitKey, m);
  }

  /** @internal The module of a direct entry whose dependencies all still have their hashes. */
  direct(directKey: string, s: UnitSession): IRModule | undefined {
    const d = readCacheJson<DirectEntry>(this.file(DIRECT_KIND, directKey), DIRECT_KIND, FORMAT, (x) => Array.isArray((x as DirectEntry)?.deps) && typeof (x as DirectEntry).unit === 'string');
    if (!d || !d.deps.every(([p, h]) => s.hashOf(p) === h)) return undefined;
    const m = this.load(d.unit);
    if (m) this.stats.direct++;
    return m;
  }

  /** @internal */
  writeDirect(directKey: string, unit: { key: string; deps: string[] }, s: UnitSession): void {
    const deps = unit.deps.map((p): [string, string] | undefined => {
      const h = s.hashOf(p);
      return h === undefined ? undefined : [p, h];
    });
    if (deps.every((d) => d !== undefined)) writeCacheJson(this.file(DIRECT_KIND, directKey), DIRECT_KIND, FORMAT, { deps: deps as [string, string][], unit: unit.key } satisfies DirectEntry);
  }

  /** @internal */
  loadUnit(key: string): IRModule | undefined {
    const m = this.load(key);
    if (m) this.stats.preprocessed++;
    return m;
  }

  /** @internal */
  storeUnit(key: string, m: IRModule): void {
    this.store(key, m);
    this.stats.compiled++;
  }

  /** A build of the tree whose `sys` directory is spelled `sysDir` by the caller. */
  async session(sysDir: string): Promise<UnitSession> {
    compilerFingerprint();
    return new UnitSession(this, sysDir);
  }

  /** @internal */
  async compile(s: UnitSession, file: string, opts: CompileOptions): Promise<IRModule> {
    const cpp = opts.cppPath ?? 'cpp';
    const directKey = sha(JSON.stringify([FORMAT, fingerprint, await cppIdentity(cpp), s.listing(), s.norm(file), (opts.includeDirs ?? []).map((d) => s.normDir(d)), opts.defines ?? []]));
    const direct = readCacheJson<DirectEntry>(this.file(DIRECT_KIND, directKey), DIRECT_KIND, FORMAT, (x) => Array.isArray((x as DirectEntry)?.deps) && typeof (x as DirectEntry).unit === 'string');
    if (direct && direct.deps.every(([p, h]) => s.hashOf(p) === h)) {
      const m = this.load(direct.unit);
      if (m) {
        this.stats.direct++;
        return s.restore(m, file);
      }
    }
    const pp = await preprocess(file, { includeDirs: opts.includeDirs, defines: opts.defines, cppPath: opts.cppPath, nostdinc: true });
    const unit = s.unitKey(pp);
    if (!unit) {
      this.stats.compiled++;
      return compilePreprocessed(pp, file);
    }
    let m = this.load(unit.key);
    if (m) this.stats.preprocessed++;
    else {
      // One parse serves the second key and, on its miss, the lowering.
      const tree = parseC(pp);
      const bodies = unreachableInlineBodies(pp.text, tree);
      const reduced = bodies && s.reducedKey(pp, bodies);
      m = reduced ? this.load(reduced) : undefined;
      if (m) this.stats.reduced++;
      else {
        m = s.normalize(bodies ? lowerUnit(pp, tree, file) : compilePreprocessed(pp, file));
        if (reduced) this.store(reduced, m);
        this.stats.compiled++;
      }
      this.store(unit.key, m);
    }
    const deps = unit.deps.map((p): [string, string] | undefined => {
      const h = s.hashOf(p);
      return h === undefined ? undefined : [p, h];
    });
    if (deps.every((d) => d !== undefined)) writeCacheJson(this.file(DIRECT_KIND, directKey), DIRECT_KIND, FORMAT, { deps: deps as [string, string][], unit: unit.key } satisfies DirectEntry);
    return s.restore(m, file);
  }
}

/**
 * A .s file through the same two levels as a C file (the direct entry, then the
 * preprocessed text), so that a build whose assembly files and their headers did not
 * change runs no cpp for them. The module is what lowerAsmFile gives.
 */
async function compileAsm(cache: UnitCache, s: UnitSession, file: string, opts: AsmOptions): Promise<IRModule> {
  const cpp = opts.cppPath ?? 'cpp';
  const directKey = sha(JSON.stringify([FORMAT, 'asm', fingerprint, await cppIdentity(cpp), s.listing(), s.norm(file), opts.sysDir && s.norm(path.resolve(opts.sysDir)), opts.arch, (opts.includeDirs ?? []).map((d) => s.normDir(d)), opts.defines ?? []]));
  const hit = cache.direct(directKey, s);
  if (hit) return s.restore(hit, file);
  const pp = await preprocessAsm(file, opts);
  const unit = s.unitKey(pp, 'asm');
  if (!unit) return lowerAsmFile(file, opts);
  let m = cache.loadUnit(unit.key);
  if (!m) {
    m = s.normalize(verifyModule(lowerAsmDetailed(pp.text, file, (l) => pp.locOfLine(l)).module));
    cache.storeUnit(unit.key, m);
  }
  cache.writeDirect(directKey, unit, s);
  return s.restore(m, file);
}

/** One build's view of the tree: its root spellings, its listing, its files' hashes. */
export class UnitSession {
  /** The root as locations spell it (canonicalPath: real, relative to the working directory). */
  private readonly canon: string;
  private readonly given: string;
  private readonly real: string;
  private readonly hashes = new Map<string, string | undefined>();
  private listed?: string;

  constructor(readonly cache: UnitCache, sysDir: string) {
    this.given = path.resolve(sysDir);
    this.real = realpathSync(this.given);
    this.canon = canonicalPath(this.given);
  }

  compile(file: string, opts: CompileOptions): Promise<IRModule> {
    return this.cache.compile(this, file, opts);
  }

  /** An assembly file (lowerAsmFile's module) through the cache. */
  compileAsm(file: string, opts: AsmOptions): Promise<IRModule> {
    return compileAsm(this.cache, this, file, opts);
  }

  /** A path with the root as the placeholder (locations, given paths, real paths). */
  norm(p: string): string {
    for (const r of [this.canon, this.given, this.real]) {
      if (p === r) return ROOT;
      if (p.startsWith(`${r}/`)) return ROOT + p.slice(r.length);
    }
    return p;
  }

  /** An include directory outside the tree (the `machine` link directory) by where its entries lead. */
  normDir(d: string): string {
    const n = this.norm(d);
    if (n !== d) return n;
    try {
      return `${d.replace(/-[^/]*$/, '')}{${readdirSync(d).sort().map((e) => `${e}->${this.norm(realpathSync(path.join(d, e)))}`).join(',')}}`;
    } catch {
      return d;
    }
  }

  /** Every file name under the root, sorted: a new file may change what an include finds. */
  listing(): string {
    if (this.listed === undefined) {
      const out: string[] = [];
      const walk = (dir: string, rel: string): void => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const r = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory() || (e.isSymbolicLink() && statSync(path.join(dir, e.name)).isDirectory())) walk(path.join(dir, e.name), r);
          else out.push(r);
        }
      };
      walk(this.real, '');
      this.listed = sha(out.sort().join('\n'));
    }
    return this.listed;
  }

  /** The sha256 of a (normalized) dependency now, or undefined when it cannot be read. */
  hashOf(p: string): string | undefined {
    if (!this.hashes.has(p)) {
      let h: string | undefined;
      try {
        h = sha(readFileSync(p.startsWith(ROOT) ? this.real + p.slice(ROOT.length) : p));
      } catch {
        h = undefined;
      }
      this.hashes.set(p, h);
    }
    return this.hashes.get(p);
  }

  /** The unit key of preprocessed text and the files it came from, or undefined when the text names the root. */
  unitKey(pp: Preprocessed, kind = 'text'): { key: string; deps: string[] } | undefined {
    if ([this.canon, this.given, this.real].some((r) => pp.text.includes(r))) return undefined;
    return this.hashLines(pp, pp.text, kind);
  }

  /** The second key (unit-reduce.ts): the text without `bodies`, which no compile of it reads. */
  reducedKey(pp: Preprocessed, bodies: [number, number][]): string {
    return this.hashLines(pp, reducedText(pp.text, bodies), 'reduced').key;
  }

  /** Every line's text with the file:line it came from; `text` has pp.text's lines. */
  private hashLines(pp: Preprocessed, text: string, kind: string): { key: string; deps: string[] } {
    const h = createHash('sha256').update(JSON.stringify([FORMAT, kind, fingerprint, this.norm(path.resolve(pp.file)), [...pp.alignByRow]]));
    const deps = new Set<string>();
    const lines = text.split('\n');
    let last = '';
    for (let i = 0; i < lines.length; i++) {
      const loc = pp.locOfLine(i);
      const f = this.norm(loc.file);
      if (f !== last) {
        deps.add(f);
        last = f;
      }
      h.update(`${f}\u0000${loc.line}\u0000${lines[i]}\n`);
    }
    for (const d of deps) if (d.startsWith('<')) deps.delete(d);
    return { key: h.digest('hex'), deps: [...deps] };
  }

  /** The module in the root-free spelling (its file table is the only place paths live). */
  normalize(m: IRModule): IRModule {
    return { ...m, name: '', files: m.files.map((f) => this.norm(f)) };
  }

  /** A cached module for this tree: the file table in this tree's spelling. */
  restore(m: IRModule, file: string): IRModule {
    return { ...m, name: file, files: m.files.map((f) => (f.startsWith(ROOT) ? this.canon + f.slice(ROOT.length) : f)) };
  }
}
