/*
 * The project's root directory (the one holding package.json), found from this file's
 * location so that src/ (vitest) and dist/src/ (the built CLI) agree, whatever the
 * working directory; and the bundled inputs found from it.
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

/** The bundled sample kernel (config.sh + sys/). */
export const SAMPLE_KERNEL_DIR = path.join(PROJECT_ROOT, 'sample-kernel');
/** The last console line of a boot that got as far as the root mount and halted. */
export const HALT_LINE = /The operating system has halted\./;
