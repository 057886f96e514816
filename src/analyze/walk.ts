/*
 * Finding the files of a scan. Every path met is accounted for: C and assembly
 * sources are returned for scanning; binaries, other files, unreadable entries
 * and symlink loops are returned as skipped with a reason, never thrown.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
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

/**
 * Walks `roots` (files or directories). Paths are named relative to `relativeTo`
 * (default: each root's parent). An `exclude` glob matches a path as named, its
 * part inside the scanned root, or its base name.
 */
export function walk(roots: string[], exclude: string[] = [], maxBytes = DEFAULT_MAX_FILE_BYTES, relativeTo?: string): WalkEntry[] {
  const out: WalkEntry[] = [];
  const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  for (const root of roots) {
    const absRoot = path.resolve(root);
    const rootRel = displayPath(absRoot, relativeTo ?? path.dirname(absRoot));
    // The part of a path inside the root starts here (after "rootRel/").
    const inside = rootRel === '' ? 0 : rootRel.length + 1;
    const seenDirs = new Set<string>();
    const excluded = (r: string, abs: string): boolean =>
      isExcluded(r.startsWith('/') ? r.slice(1) : r) || isExcluded(path.basename(abs)) || (inside > 0 && r.length > inside && isExcluded(r.slice(inside)));
    // `r` is built by joining names on the way down: path.relative per file cost more than its lstat.
    const visit = (abs: string, r: string, viaLink: boolean): void => {
      if (r !== rootRel && excluded(r, abs)) {
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
          viaLink = true;
        }
      } catch (err) {
        out.push({ abs, rel: r, skip: 'unreadable', detail: (err as NodeJS.ErrnoException).code, size: 0 });
        return;
      }
      if (st.isDirectory()) {
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
        for (const n of names) visit(path.join(abs, n), r === '' ? n : `${r}/${n}`, viaLink);
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
