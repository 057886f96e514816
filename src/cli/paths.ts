/*
 * Where things are, for the commands: the bundled inputs (see src/project-root.ts)
 * and the directory output paths are relative to. That directory is what a porter's
 * other tools use: an editor's click-through from the terminal, GitHub code scanning
 * mapping SARIF to the repository, `git apply` of a diff. So it is `--root` when
 * given, else the top of the git work tree the command runs in, else the current
 * directory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export { PROJECT_ROOT, SAMPLE_KERNEL_DIR, HALT_LINE } from '../project-root.js';

/** The top of the git work tree holding `dir` (where `.git` is), if any. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The directory output paths are relative to (see above). */
export function displayRoot(root?: string): string {
  if (root !== undefined) return path.resolve(root);
  return gitTopLevel(process.cwd()) ?? process.cwd();
}
