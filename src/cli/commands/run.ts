/*
 * `xenoport run prog.c [more.c ...]`: compiles an ordinary C program with xenoport's
 * own C compiler and libc, runs it on the IR engine in flat user mode, prints its
 * stdout/stderr and exits with its exit code. --emit ir prints the IR instead.
 *
 * The step limit only guards against a program that never ends: its default, 1e12 IR
 * instructions, is about 25 minutes of engine time (some 500 s of the same program
 * built by gcc -O0). Reaching it exits with STEP_LIMIT_EXIT, 152 = 128 + SIGXCPU,
 * what a shell reports for a process stopped by its CPU-time limit; a fault exits
 * with 139 = 128 + SIGSEGV. A program's own exit code can still be either.
 */
import { integerOption, listOption, MAX_STEPS } from '../options.js';
import { writeSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { compileProgram } from '../../compile/index.js';
import { runC } from '../../port/index.js';
import { printModule } from '../../ir/index.js';

export const DEFAULT_MAX_STEPS = 1e12;
export const STEP_LIMIT_EXIT = 152;

/**
 * -I and -D take exactly one value each time they are given, so `-D X=1 prog.c`
 * leaves prog.c a file to compile.
 */

/**
 * Writes all of `bytes` to fd now, in order with the program's other output. A pipe
 * may be non-blocking (EAGAIN when full): wait for it rather than lose output.
 */
function writeAll(fd: 1 | 2, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(fd, bytes, at);
    } catch (err) {
      // A closed pipe (| head) ends the command quietly, as main.ts does.
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

interface RunArgs {
  files: string[];
  I: string[];
  D: string[];
  'max-steps': number;
  emit?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <files..>',
  describe: 'Compile a C program with the xenoport compiler and libc and run it on the IR engine',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'C source files' })
      .option('I', { ...listOption({ describe: 'include directory' }), default: [] })
      .option('D', { ...listOption({ describe: 'preprocessor define NAME[=VALUE]' }), default: [] })
      .option('max-steps', integerOption({
        default: DEFAULT_MAX_STEPS, min: 0, max: MAX_STEPS,
        describe: `stop after this many IR instructions, exit ${STEP_LIMIT_EXIT} (0: no limit)`,
      }))
      .option('emit', { type: 'string', choices: ['ir'], describe: 'print the IR of the program instead of running it' })
      .example('$0 run tests/compile/programs/fib.c', 'compile and run a C program')
      .example('$0 run -D NDEBUG -I include prog.c', 'with a define and an include directory')
      .example('$0 run prog.c --emit ir', 'print the IR the compiler makes') as never,
  handler: async (args) => {
    const opts = { includeDirs: args.I, defines: args.D };
    if (args.emit === 'ir') {
      const build = await compileProgram(args.files, opts);
      for (const m of build.modules.slice(0, args.files.length)) process.stdout.write(printModule(m));
      return;
    }
    // The program's stdin is ours when it is redirected (a file or a pipe).
    let stdin: string | undefined;
    if (!process.stdin.isTTY) {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      stdin = Buffer.concat(chunks).toString('latin1');
    }
    const limit = args['max-steps'] === 0 ? Infinity : args['max-steps'];
    // Output goes out as the program writes it; the result keeps none of it.
    const r = await runC(args.files, { ...opts, maxSteps: limit, stdin, onOutput: writeAll, keepOutput: 0 });
    if (r.outcome === 'step-limit') {
      process.stderr.write(
        `xenoport: step limit reached: the program ran ${r.steps} IR instructions without exiting (--max-steps ${args['max-steps']}); ` +
          `it may be looping; raise --max-steps, or give 0 for no limit (exit ${STEP_LIMIT_EXIT})\n`,
      );
      process.exitCode = STEP_LIMIT_EXIT;
    } else if (r.outcome === 'fault') {
      const f = r.fault!;
      process.stderr.write(`xenoport: the program faulted: ${f.kind}: ${f.message}${f.where ? ` at ${f.where}` : ''}${f.function ? ` in ${f.function}` : ''}${f.instruction ? ` (${f.instruction})` : ''}\n`);
      process.exitCode = 139;
    } else process.exitCode = r.exitCode ?? 0;
  },
};
