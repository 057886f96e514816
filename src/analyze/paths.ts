/*
 * Where analyze finds its bundled inputs (rules/, the cache directory), from this
 * file's location so that src/ (vitest) and dist/src/ (built CLI) agree.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

export { PROJECT_ROOT };
export const RULES_DIR = path.join(PROJECT_ROOT, 'rules');
/** The scan cache; XENOPORT_CACHE_DIR moves it (a read-only checkout, an isolated test). */
export const CACHE_DIR = process.env.XENOPORT_CACHE_DIR || path.join(PROJECT_ROOT, '.xenoport-cache');
export const DEFAULT_SCAN_PATH = path.join(PROJECT_ROOT, 'sample-kernel', 'sys');
