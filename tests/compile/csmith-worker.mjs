/*
 * The xenoport side of the Csmith differential runs, as a child process the
 * harness (csmith.ts) forks once and reuses: each message names a C file; the reply
 * says how compiling and running it with xenoport's compiler and libc ended. A
 * child process, so that a compiler that hangs or overflows can be killed and
 * counted without taking the harness down; plain JavaScript over the built dist/
 * (npm test builds first), so it starts without a TypeScript loader. The libc is
 * compiled once per child.
 */
// XENOPORT_CSMITH_DIST names another build (a copy kept fixed during a long campaign).
const dist = process.env.XENOPORT_CSMITH_DIST ? `file://${process.env.XENOPORT_CSMITH_DIST.replace(/\/$/, '')}/` : new URL('../../dist/', import.meta.url).href;
const { compileProgram } = await import(`${dist}src/compile/index.js`);
const { runProgram } = await import(`${dist}src/emulate/index.js`);
const { CompileError } = await import(`${dist}src/errors.js`);

process.on('message', async (m) => {
  const reply = { id: m.id };
  try {
    const build = await compileProgram([m.file], { includeDirs: m.includeDirs });
    const r = runProgram(build.image, { maxSteps: m.maxSteps, argv: [m.file] });
    Object.assign(reply, { kind: r.outcome, stdout: r.stdout, exitCode: r.exitCode, steps: r.steps });
    if (r.fault) reply.message = `${r.fault.kind}: ${r.fault.message}${r.fault.where ? ` at ${r.fault.where}` : ''}`;
  } catch (e) {
    if (e instanceof CompileError) Object.assign(reply, { kind: 'compile-error', message: e.message, where: e.where() });
    else Object.assign(reply, { kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  process.send(reply);
});
