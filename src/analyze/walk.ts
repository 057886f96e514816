/*
 * Finding the files of a scan. Every path met is accounted for: C and assembly
 * sources are returned for scanning; binaries, other files, unreadable entries
 * and symlink loops are returned as skipped with a reason, never thrown.
 * Like git and the porter's other tools, a walk leaves out what `.gitignore` files
 * ignore (the `ignore` package, git's own pattern rules), hidden directories
 * (`.git` among them) and symlinks that lead out of the scanned tree; each is
 * reported as excluded, naming why. A path the user names is never left out.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/** 'failed': the analyzer itself failed on the file (reported with the error, never fatal). */
export type SkipReason = 'not-source' | 'binary' | 'unreadable' | 'symlink-loop' | 'too-large' | 'excluded' | 'failed';

export interface WalkEntry {
  /** Absolute path. */
  abs: string;
  /**
   * The path findings name, '/' separators: relative to the walk's `relativeTo`
   * directory (absolute for a file outside it), or by default relative to the
   * scan root's parent.
   */
  rel: string;
  lang?: 'c' | 'asm';
  skip?: SkipReason;
  detail?: string;
  size: number;
  /**
   * For source files: size, inode, mtime and ctime, the signature that lets an
   * unchanged tree be recognised without reading it (ctime changes on every
   * write or replacement, and no tool can set it back).
   */
  stat?: string;
  /** The later of mtime and ctime (ms). */
  changed?: number;
}

export function languageOf(name: string): 'c' | 'asm' | undefined {
  if (/\.(c|h)$/.test(name)) return 'c';
  if (/\.(s|S)$/.test(name)) return 'asm';
  return undefined;
}

/**
 * Files larger than this are not parsed (reported as too-large, never silently):
 * a scan holds about 150 bytes per byte of the file being parsed (its syntax tree,
 * node table and summary), so a 16 MiB file costs about 2.4 GB. Real kernel sources
 * are far smaller; generated firmware tables are the usual giants.
 */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** How a root is named: relative to `relativeTo` ('' for itself), or absolute when outside it. */
export function displayPath(abs: string, relativeTo: string): string {
  const r = path.relative(relativeTo, abs);
  if (r === '') return '';
  if (r === '..' || r.startsWith(`..${path.sep}`) || path.isAbsolute(r)) return abs.split(path.sep).join('/');
  return r.split(path.sep).join('/');
}

export interface WalkOptions {
  /** Globs of paths to leave out (see walk). */
  exclude?: string[];
  maxBytes?: number;
  /** Paths are named relative to this directory (default: each root's parent). */
  relativeTo?: string;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Walk hidden directories too, .git excepted (default false). */
  hidden?: boolean;
  /** Follow symlinks that lead out of the scanned tree (default false). */
  followSymlinks?: boolean;
}

/** One .gitignore: its patterns and how to name a path relative to its directory. */
interface IgnoreFile {
  ig: Ignore;
  /** The .gitignore's path as reported. */
  name: string;
  /** A path named as the walk names it -> relative to the .gitignore's directory. */
  relative: (r: string) => string;
}

function readIgnore(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(path.join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why `r` is ignored by the .gitignore files in force, if it is: the last match wins, as in git. */
function ignoredBy(stack: IgnoreFile[], r: string, isDir: boolean): string | undefined {
  let why: string | undefined;
  for (const f of stack) {
    const rel = f.relative(r);
    if (rel === '' || rel.startsWith('../')) continue;
    const t = f.ig.test(isDir ? `${rel}/` : rel);
    if (t.ignored) why = `${f.name}: ${t.rule?.pattern ?? ''}`;
    else if (t.unignored) why = undefined;
  }
  return why;
}

/**
 * The .gitignore files above `absRoot` up to the top of its git work tree. None
 * when they ignore the root itself: the user named an ignored directory on purpose.
 */
function ancestorIgnores(absRoot: string, inside: number): IgnoreFile[] {
  const dirs: string[] = [];
  for (let d = path.dirname(absRoot); ; d = path.dirname(d)) {
    dirs.unshift(d);
    if (existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  if (!existsSync(path.join(dirs[0]!, '.git'))) return [];
  const stack: IgnoreFile[] = [];
  for (const d of dirs) {
    const ig = readIgnore(d);
    if (!ig) continue;
    const toRoot = path.relative(d, absRoot).split(path.sep).join('/');
    stack.push({ ig, name: path.join(d, '.gitignore'), relative: (r) => (r.length > inside ? `${toRoot}/${r.slice(inside)}` : toRoot) });
  }
  for (let k = 0; k < stack.length; k++) {
    const t = stack[k]!.ig.test(`${stack[k]!.relative('')}/`);
    if (t.ignored) return [];
  }
  return stack;
}

/**
 * Walks `roots` (files or directories). Paths are named relative to `relativeTo`
 * (default: each root's parent). An `exclude` glob matches a path as named, its
 * part inside the scanned root, or its base name.
 */
export function walk(roots: string[], opts: WalkOptions = {}): WalkEntry[] {
  const { exclude = [], maxBytes = DEFAULT_MAX_FILE_BYTES, relativeTo } = opts;
  const gitignore = opts.gitignore !== false;
  const out: WalkEntry[] = [];
  const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const rootRel = displayPath(absRoot, relativeTo ?? path.dirname(absRoot));
    // The part of a path inside the root starts here (after "rootRel/").
    const inside = rootRel === '' ? 0 : rootRel.length + 1;
    const seenDirs = new Set<string>();
    let realRoot: string;
    try {
      realRoot = realpathSync.native(absRoot);
    } catch {
      realRoot = absRoot;
    }
    const outside = (real: string): boolean => real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
    const ignores: IgnoreFile[] = gitignore ? ancestorIgnores(absRoot, inside) : [];
    const excluded = (r: string, abs: string): boolean =>
      isExcluded(r.startsWith('/') ? r.slice(1) : r) || isExcluded(path.basename(abs)) || (inside > 0 && r.length > inside && isExcluded(r.slice(inside)));
    // `r` is built by joining names on the way down: path.relative per file cost more than its lstat.
    const visit = (abs: string, r: string, viaLink: boolean): void => {
      const isRoot = r === rootRel;
      if (!isRoot && excluded(r, abs)) {
        out.push({ abs, rel: r, skip: 'excluded', size: 0 });
        return;
      }
      let st;
      try {
        st = lstatSync(abs);
        if (st.isSymbolicLink()) {
          try {
            st = statSync(abs);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            out.push({ abs, rel: r, skip: code === 'ELOOP' ? 'symlink-loop' : 'unreadable', detail: code, size: 0 });
            return;
          }
          if (!isRoot && !opts.followSymlinks) {
            let real: string;
            try {
              real = realpathSync.native(abs);
            } catch (err) {
              out.push({ abs, rel: r, skip: 'symlink-loop', detail: (err as NodeJS.ErrnoException).code, size: 0 });
              return;
            }
            if (outside(real)) {
              out.push({ abs, rel: r, skip: 'excluded', detail: `symlink out of the scanned tree, to ${real} (--follow-symlinks follows it)`, size: 0 });
              return;
            }
          }
          viaLink = true;
        }
      } catch (err) {
        out.push({ abs, rel: r, skip: 'unreadable', detail: (err as NodeJS.ErrnoException).code, size: 0 });
        return;
      }
      if (!isRoot && ignores.length > 0) {
        const why = ignoredBy(ignores, r, st.isDirectory());
        if (why !== undefined) {
          out.push({ abs, rel: r, skip: 'excluded', detail: `ignored by ${why}`, size: 0 });
          return;
        }
      }
      if (st.isDirectory()) {
        const name = path.basename(abs);
        if (!isRoot && name.startsWith('.') && (name === '.git' || !opts.hidden)) {
          out.push({ abs, rel: r, skip: 'excluded', detail: name === '.git' ? 'git\'s own directory' : 'hidden directory (--hidden walks it)', size: 0 });
          return;
        }
        let real: string;
        try {
          real = realpathSync.native(abs);
        } catch (err) {
          out.push({ abs, rel: r, skip: 'symlink-loop', detail: (err as NodeJS.ErrnoException).code, size: 0 });
          return;
        }
        if (seenDirs.has(real)) {
          out.push({ abs, rel: r, skip: 'symlink-loop', detail: viaLink ? 'directory already visited' : undefined, size: 0 });
          return;
        }
        seenDirs.add(real);
        let names: string[];
        try {
          names = readdirSync(abs).sort();
        } catch (err) {
          out.push({ abs, rel: r, skip: 'unreadable', detail: (err as NodeJS.ErrnoException).code, size: 0 });
          return;
        }
        const ig = gitignore && names.includes('.gitignore') ? readIgnore(abs) : undefined;
        if (ig) {
          const at = r === '' ? 0 : r.length + 1;
          ignores.push({ ig, name: r === '' ? '.gitignore' : `${r}/.gitignore`, relative: (x) => (x.length > at && (at === 0 || x.startsWith(r + '/')) ? x.slice(at) : '../') });
        }
        for (const n of names) visit(path.join(abs, n), r === '' ? n : `${r}/${n}`, viaLink);
        if (ig) ignores.pop();
        return;
      }
      if (!st.isFile()) {
        out.push({ abs, rel: r, skip: 'not-source', detail: 'special file', size: 0 });
        return;
      }
      const lang = languageOf(abs);
      if (!lang) out.push({ abs, rel: r, skip: 'not-source', size: st.size });
      else if (st.size > maxBytes) out.push({ abs, rel: r, lang, skip: 'too-large', detail: `${st.size} bytes`, size: st.size });
      else out.push({ abs, rel: r, lang, size: st.size, stat: `${st.size}:${st.ino}:${st.mtimeMs}:${st.ctimeMs}`, changed: Math.max(st.mtimeMs, st.ctimeMs) });
    };
    visit(absRoot, rootRel, false);
  }
  return out;
}
