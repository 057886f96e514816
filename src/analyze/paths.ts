/*
 * Where analyze finds its bundled inputs (rules/, the cache directory), from this
 * file's location so that src/ (vitest) and dist/src/ (built CLI) agree.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { defaultCacheDir } from '../project-dirs.js';

export { PROJECT_ROOT };
export const RULES_DIR = path.join(PROJECT_ROOT, 'rules');
/**
 * The scan cache: XENOPORT_CACHE_DIR, else `.xenoport/cache` in the project the
 * current directory is in, else the user's cache directory (src/project-dirs.ts);
 * never the install directory.
 */
export const CACHE_DIR = defaultCacheDir();
export const DEFAULT_SCAN_PATH = path.join(PROJECT_ROOT, 'sample-kernel', 'sys');
