/*
 * The JIT setting a scan runs with. A cold scan runs each function of the
 * extractor over a few thousand files and is over: V8's optimizing compiler
 * (TurboFan) spends more time on it than it gives back. Most of that time goes
 * to inlining small node accessors into every hot function, again each time a
 * function is re-optimized, on the background threads that compete with the
 * scan's own two threads for the cores. Measured on the bench tree (8,046
 * files, 2 cores; BENCHMARKS.md): with inlining off, process CPU falls from
 * about 6.0 to 5.5 s and the cold scan from about 3.3 to 3.0 s, and the main
 * thread's own time does not grow. So a scan turns inlining off while it runs
 * and back on when the last concurrent scan ends: the emulator, which runs later
 * in the same process (`xenoport start`), keeps its inlined hot loops.
 *
 * V8 reads the flag when it starts compiling a function, so flipping it at run
 * time only changes which later compilations inline; it cannot change what code
 * does. Left alone when node was started with an inlining flag of its own, and
 * by XENOPORT_SCAN_INLINING=1.
 */
import v8 from 'node:v8';

let active = 0;

function userChoseInlining(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return process.env.XENOPORT_SCAN_INLINING === '1' || given.some((a) => /^--(no-)?turbo[-_]inlining$/.test(a));
}

/**
 * Turns TurboFan inlining off until the returned function is called; scans may
 * overlap (a library user, the tests), and inlining comes back with the last.
 * `setFlags` is V8's own setter except in tests.
 */
export function leanJit(setFlags: (flags: string) => void = (f) => v8.setFlagsFromString(f)): () => void {
  if (userChoseInlining()) return () => undefined;
  if (active++ === 0) setFlags('--no-turbo-inlining');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--active === 0) setFlags('--turbo-inlining');
  };
}
