/*
 * Where analyze finds its bundled inputs (rules/, the cache directory), from this
 * file's location so that src/ (vitest) and dist/src/ (built CLI) agree.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();
export const RULES_DIR = path.join(PROJECT_ROOT, 'rules');
export const CACHE_DIR = path.join(PROJECT_ROOT, '.xenoport-cache');
export const DEFAULT_SCAN_PATH = path.join(PROJECT_ROOT, 'sample-kernel', 'sys');
