/*
 * Temporary directories that do not outlive the process. Every directory made here
 * is removed when the process exits, however it exits: normally, by process.exit
 * (the CLI's error path), or by SIGINT, SIGTERM or SIGHUP, which the first call turns
 * into an exit with the shell's status for the signal (128 + its number) so that
 * the exit handlers run. A caller that is done with a directory earlier removes it
 * itself with `removeTempDir`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const live = new Set<string>();
let hooked = false;

const SIGNALS: Array<[NodeJS.Signals, number]> = [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
];

function removeAll(): void {
  for (const d of live) rmSync(d, { recursive: true, force: true });
  live.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  for (const [sig, n] of SIGNALS) {
    // A signal that someone else already handles is theirs to act on; ours only cleans up.
    if (process.listenerCount(sig) > 0) continue;
    process.once(sig, () => {
      removeAll();
      process.exit(128 + n);
    });
  }
}

/** A new directory under the system's temporary directory, named `prefix` + random; removed at exit. */
export function makeTempDir(prefix: string): string {
  hook();
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** Removes a directory made by makeTempDir now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
