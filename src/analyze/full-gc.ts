/*
 * A full garbage collection, run by the scan where it ends one phase and starts
 * another. When extraction ends, the heap holds the kept summaries (about 330
 * MB on a whole FreeBSD 9.3 sys/) and as much garbage again (texts, parse
 * tables, JSON); V8 sizes its next limit from the heap as it stands, so
 * resolution's own allocations then grew it by 200-300 MB and set the scan's
 * peak (1.10-1.13 GB against 0.92 GB with one collection between the phases,
 * for about half a second). A second one when the scan is done with the
 * summaries: xenify then composes its whole output tree (200 MB of files) and
 * its peak came after the scan, from summaries not yet collected. Node exposes
 * no collector to programs unless
 * started with --expose-gc; the flag set at run time makes `gc` appear in a
 * new context.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function fullGc(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
