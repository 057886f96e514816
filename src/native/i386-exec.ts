/*
 * Runs 32-bit i386 Linux executables on the host. Some x86-64 kernels run them
 * directly; others are built without IA-32 emulation and refuse them with ENOEXEC
 * ("Exec format error"), and there user-mode QEMU (`qemu-i386`, Debian's qemu-user)
 * runs them instead. Which way works is decided once per process, by running a tiny
 * static program that exits with a known status both ways, never by looking at the
 * architecture name.
 *
 * XENOPORT_I386_RUNNER=direct|qemu forces one way (the tests use it to run the QEMU
 * path on a machine that could run the programs directly).
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import path from 'node:path';

export type I386Runner =
  | { kind: 'direct' }
  | { kind: 'qemu-user'; qemu: string }
  | { kind: 'none'; why: string };

/** The status the probe program exits with; anything else is a failed probe. */
const PROBE_STATUS = 42;
const PROBE_ASM = `\t.text\n\t.globl _start\n_start:\n\tmovl $1,%eax\n\tmovl $${PROBE_STATUS},%ebx\n\tint $0x80\n`;

let decided: Promise<I386Runner> | undefined;

/** The qemu-i386 on PATH (or in /usr/bin), or undefined. */
export function findQemuUser(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin'])) {
    const candidate = `${dir}/qemu-i386`;
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function probeStatus(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await execa(cmd, args, { reject: false, timeout: 20_000, stdin: 'ignore' });
  if (r.exitCode === PROBE_STATUS) return undefined;
  const msg = String(r.stderr ?? '').trim().split('\n')[0] || r.shortMessage || `exit ${String(r.exitCode)}`;
  return msg;
}

/**
 * Probes how i386 programs run here; `forced` ('direct' or 'qemu') tries only that way.
 * Never throws: a way that does not work is a `none` runner saying why.
 */
export async function probeI386Runner(forced?: string): Promise<I386Runner> {
  if (forced !== undefined && forced !== 'direct' && forced !== 'qemu') {
    return { kind: 'none', why: `XENOPORT_I386_RUNNER must be direct or qemu, not "${forced}"` };
  }
  const dir = makeTempDir('xenoport-i386-probe-');
  try {
    const exe = path.join(dir, 'probe');
    try {
      await writeFile(`${exe}.s`, PROBE_ASM);
      await execa('as', ['--32', '-o', `${exe}.o`, `${exe}.s`]);
      await execa('ld', ['-m', 'elf_i386', '-o', exe, `${exe}.o`]);
    } catch (e) {
      return { kind: 'none', why: `cannot build an i386 program with as --32 / ld -m elf_i386 (${(e as Error).message.split('\n')[0]})` };
    }
    let directWhy = 'not tried (XENOPORT_I386_RUNNER=qemu)';
    if (forced !== 'qemu') {
      const why = await probeStatus(exe, []);
      if (why === undefined) return { kind: 'direct' };
      directWhy = why;
      if (forced === 'direct') return { kind: 'none', why: `the kernel does not run i386 programs: ${directWhy}` };
    }
    const qemu = findQemuUser();
    if (!qemu) {
      return {
        kind: 'none',
        why: `the kernel does not run i386 programs (${directWhy}) and qemu-i386 is not installed (Debian package qemu-user)`,
      };
    }
    const why = await probeStatus(qemu, [exe]);
    if (why === undefined) return { kind: 'qemu-user', qemu };
    return { kind: 'none', why: `neither the kernel (${directWhy}) nor ${qemu} (${why}) runs i386 programs` };
  } finally {
    removeTempDir(dir);
  }
}

/** How this host runs i386 executables; probed once per process. */
export function i386Runner(): Promise<I386Runner> {
  decided ??= probeI386Runner(process.env.XENOPORT_I386_RUNNER || undefined);
  return decided;
}

/** One line for test output and logs: which way i386 programs run here. */
export function describeI386Runner(r: I386Runner): string {
  switch (r.kind) {
    case 'direct': return 'i386 programs run directly on the host kernel';
    case 'qemu-user': return `i386 programs run through user-mode QEMU (${r.qemu})`;
    case 'none': return `i386 programs cannot run here: ${r.why}`;
  }
}

export interface I386Result {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs one i386 executable with `args`, the way i386Runner decided. Throws when no way
 * works (the message says why); a program that fails is a result, not an error.
 */
export async function runI386(
  exe: string,
  args: string[] = [],
  options: { timeoutMs?: number; input?: string; runner?: I386Runner } = {},
): Promise<I386Result> {
  const runner = options.runner ?? (await i386Runner());
  if (runner.kind === 'none') throw new Error(describeI386Runner(runner));
  const [cmd, argv] = runner.kind === 'direct' ? [exe, args] : [runner.qemu, [exe, ...args]];
  const r = await execa(cmd, argv, {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: r.timedOut };
}
