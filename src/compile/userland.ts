/*
 * A kernel tree's userland built by xenoport for its IR engine: the programs of the
 * root file system (/sbin/init and the validation suite of issue 14) as XIR ELF
 * executables (docs/xir-elf.md), from the same sources gcc builds for the reference
 * machine. What to build comes from the userland's own Makefile (`make print-xir`:
 * the programs, the library's sources for XIR, its include directory and the kernel
 * headers' sys/), so the two builds cannot drift apart; each program is
 * <dir>/<name>/<name>.c linked with the whole library by linkUserProgram.
 *
 * The library is compiled once and shared by every program. Every file that fails is
 * reported, not just the first: a single failure is thrown as it is (its span names
 * file:line:col), several as one CompileError listing each as file:line:col.
 */
import { execa } from 'execa';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompileError, XenoportError } from '../errors.js';
import { makeTempDir } from '../temp-dir.js';
import { linkUserProgram, parseModule, verifyModule, type IRModule } from '../ir/index.js';
import { compileFile } from './driver.js';

export interface UserlandPlan {
  /** Programs as paths under the root: sbin/init, bin/cow, ... */
  programs: string[];
  /** The library's sources, absolute: C files and IR text (.xir). */
  libc: string[];
  /** The include path: the library's headers, the kernel's sys/, `machine/`. */
  includeDirs: string[];
}

export interface UserlandBuild {
  /** Each program written: its path under the root and its size in bytes. */
  programs: { path: string; bytes: number }[];
}

/** Reads the userland Makefile's lists (`make -s print-xir`). */
export async function userlandPlan(userlandDir: string, machine = 'i386'): Promise<UserlandPlan> {
  const dir = path.resolve(userlandDir);
  const r = await execa('make', ['-s', '-C', dir, 'print-xir', `MACHINE=${machine}`], { reject: false });
  if (r.exitCode !== 0) {
    throw new CompileError(`cannot read the userland's build lists: ${String(r.stderr).trim() || r.shortMessage}`, { span: { file: path.join(dir, 'Makefile'), line: 1, col: 1 } });
  }
  const field = (name: string): string[] => (new RegExp(`^${name}=(.*)$`, 'm').exec(String(r.stdout))?.[1] ?? '').split(/\s+/).filter(Boolean);
  const [sys] = field('SYS');
  if (!sys) throw new CompileError('the userland Makefile names no SYS directory', { span: { file: path.join(dir, 'Makefile'), line: 1, col: 1 } });
  const sysDir = path.resolve(dir, sys);
  // <machine/...> resolves through a directory holding machine -> sys/<machine>/include,
  // as the native Makefile's build/<machine>/include does.
  const inc = makeTempDir('xeno-user-machine-');
  symlinkSync(path.join(sysDir, machine, 'include'), path.join(inc, 'machine'));
  return {
    programs: field('PROGS'),
    libc: field('LIBC').map((f) => path.resolve(dir, f)),
    includeDirs: [...field('INCLUDES').map((f) => path.resolve(dir, f)), sysDir, inc],
  };
}

/**
 * Compiles the userland of `userlandDir` and writes each program, mode 555, under
 * `destDir` (destDir/sbin/init, destDir/bin/...), ready to go into a root image.
 */
export async function buildUserland(userlandDir: string, destDir: string, machine = 'i386'): Promise<UserlandBuild> {
  const dir = path.resolve(userlandDir);
  const plan = await userlandPlan(dir, machine);
  const failures: XenoportError[] = [];
  const compile = async (file: string): Promise<IRModule | undefined> => {
    try {
      if (file.endsWith('.xir')) return verifyModule(parseModule(readFileSync(file, 'utf8'), file));
      return await compileFile(file, { includeDirs: plan.includeDirs });
    } catch (e) {
      if (!(e instanceof XenoportError)) throw e;
      failures.push(e.span ? e : new CompileError(e.message, { span: { file, line: 1, col: 1 } }));
      return undefined;
    }
  };
  try {
    const libc: IRModule[] = [];
    for (const f of plan.libc) {
      const m = await compile(f);
      if (m) libc.push(m);
    }
    const mains = new Map<string, IRModule>();
    for (const p of plan.programs) {
      const m = await compile(path.join(dir, p, `${path.basename(p)}.c`));
      if (m) mains.set(p, m);
    }
    if (failures.length === 1) throw failures[0]!;
    if (failures.length) throw new CompileError(`${failures.length} userland files failed: ${failures.map((e) => e.where()).join('; ')}`);

    const programs: UserlandBuild['programs'] = [];
    for (const p of plan.programs) {
      const elf = linkUserProgram([mains.get(p)!, ...libc], { entry: '_start' });
      const out = path.join(destDir, p);
      mkdirSync(path.dirname(out), { recursive: true });
      rmSync(out, { force: true });
      writeFileSync(out, elf);
      chmodSync(out, 0o555);
      programs.push({ path: p, bytes: elf.length });
    }
    return { programs };
  } finally {
    rmSync(plan.includeDirs[plan.includeDirs.length - 1]!, { recursive: true, force: true });
  }
}
