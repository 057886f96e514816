/*
 * Where a command finds its project and puts its cache, the way sgconfig.yml and
 * .clang-tidy are found: the project is the nearest directory, from the current one
 * up, that holds a pipeline file (xenoport.pipeline.yaml). The cache goes under that
 * project (`.xenoport/cache`), else into the user's cache directory
 * ($XDG_CACHE_HOME/xenoport, else ~/.cache/xenoport); XENOPORT_CACHE_DIR, when set,
 * wins. Invariant: no default ever puts a cache in the install directory (the
 * bundled pipeline file lives there; after a global install it is unwritable and
 * shared between users), so a project found inside it counts as no project for the
 * cache.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

export const PIPELINE_FILE = 'xenoport.pipeline.yaml';

/** The bundled pipeline file: it ports the bundled sample kernel. */
export const BUNDLED_PIPELINE = path.join(PROJECT_ROOT, PIPELINE_FILE);

/** Whether `p` is the install directory or inside it. */
export function inInstallDir(p: string): boolean {
  const r = path.relative(PROJECT_ROOT, path.resolve(p));
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** The nearest pipeline file from `from` up to the file system's root, if any. */
export function findPipelineFile(from = process.cwd()): string | undefined {
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    const f = path.join(d, PIPELINE_FILE);
    if (existsSync(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The project directory found from `from` (the one holding the nearest pipeline file). */
export function findProjectRoot(from = process.cwd()): string | undefined {
  const f = findPipelineFile(from);
  return f === undefined ? undefined : path.dirname(f);
}

/** The user's cache directory for xenoport: $XDG_CACHE_HOME/xenoport, else ~/.cache/xenoport. */
export function userCacheDir(): string {
  // The XDG base directory specification: a relative value is invalid and ignored.
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'xenoport');
}

/**
 * The cache directory for the project at `projectRoot` (undefined: none found):
 * XENOPORT_CACHE_DIR, else `<project>/.xenoport/cache`, else the user's cache directory.
 */
export function cacheDirFor(projectRoot: string | undefined): string {
  const env = process.env.XENOPORT_CACHE_DIR;
  if (env) return path.resolve(env);
  if (projectRoot !== undefined && !inInstallDir(projectRoot)) return path.join(path.resolve(projectRoot), '.xenoport', 'cache');
  return userCacheDir();
}

/** The cache directory of the project the current directory is in. */
export function defaultCacheDir(): string {
  return cacheDirFor(findProjectRoot());
}
