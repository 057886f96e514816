/*
 * `xenoport run` as a library call: compile a C program with our libc and run it on
 * the IR engine in flat user mode.
 */
import { printModule } from '../ir/index.js';
import { runProgram, type RunResult } from '../emulate/index.js';
import { compileProgram, type CompileOptions } from '../compile/index.js';

export interface RunCOptions extends CompileOptions {
  maxSteps?: number;
  argv?: string[];
  stdin?: string;
  /** Streams the program's output as it is written (RunOptions.onOutput). */
  onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
  keepOutput?: number;
}

export interface RunCResult extends RunResult {
  /** The IR text of the program's own modules (not the libc). */
  irText(): string;
  compileMs: number;
  runMs: number;
}

export async function runC(files: string[], opts: RunCOptions = {}): Promise<RunCResult> {
  const t0 = performance.now();
  const build = await compileProgram(files, opts);
  const t1 = performance.now();
  const r = runProgram(build.image, { maxSteps: opts.maxSteps, argv: opts.argv ?? [files[0] ?? 'a.out'], stdin: opts.stdin, onOutput: opts.onOutput, keepOutput: opts.keepOutput });
  const t2 = performance.now();
  const own = build.modules.slice(0, files.length);
  return { ...r, irText: () => own.map((m) => printModule(m)).join('\n'), compileMs: t1 - t0, runMs: t2 - t1 };
}
