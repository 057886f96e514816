/*
 * Where the bundled inputs live, found from this file's location so that the CLI
 * works from any working directory (dist/src/cli/paths.js or src/cli/paths.ts).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

export { PROJECT_ROOT };
export const SAMPLE_KERNEL_DIR = path.join(PROJECT_ROOT, 'sample-kernel');
/** The last console line of a boot that got as far as the root mount and halted. */
export const HALT_LINE = /The operating system has halted\./;
