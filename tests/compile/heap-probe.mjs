/*
 * Compiles and runs one C program N times in this process and prints the heap in use
 * after a full collection following each run, as JSON (heap.test.ts runs it with
 * --expose-gc and the long-lived worker's flags). Plain JavaScript over the built
 * dist/, like csmith-worker.mjs. Arguments: FILE N [INCLUDE_DIR].
 */
const { compileProgram } = await import(new URL('../../dist/src/compile/index.js', import.meta.url).href);
const { runProgram } = await import(new URL('../../dist/src/emulate/index.js', import.meta.url).href);
const [file, n, inc] = process.argv.slice(2);
const heap = [];
let stdout = '';
for (let i = 0; i < Number(n); i++) {
  const build = await compileProgram([file], { includeDirs: inc ? [inc] : [] });
  stdout = runProgram(build.image, { maxSteps: 4e9, argv: [file] }).stdout;
  globalThis.gc();
  globalThis.gc();
  heap.push(process.memoryUsage().heapUsed);
}
console.log(JSON.stringify({ heap, stdout }));
