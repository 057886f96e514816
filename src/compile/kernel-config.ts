/*
 * The kernel build configuration, read the way the native Makefile reads it: the
 * kernel's own config.sh prints the source list (SRCS) for a machine and config, and
 * the include path is the Makefile's: a directory holding `machine` → sys/<machine>/
 * include, then sys, then sys/<machine>/include, with -D_KERNEL and the configuration's
 * COPTS (config.sh's `COPTS=` line: -DDEV_X for "device X", -DX[=v] for "options X[=v]"),
 * which the Makefile adds to CFLAGS. The C files go to our front end; the .s files
 * belong to the GAS front end and are listed separately.
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTool } from './tool-runner.js';
import { CompileError } from '../errors.js';
import { makeTempDir } from '../temp-dir.js';

export interface KernelConfig {
  /** Every source in link order: SYSTEM_SFILES (locore.s) first, then SRCS. */
  sources: string[];
  /** SYSTEM_SFILES of sys/<machine>/conf/Makefile.<machine> (locore.s). */
  systemFiles: string[];
  /** config.sh's SRCS, by kind (SYSTEM_SFILES not included). */
  cFiles: string[];
  asmFiles: string[];
  includeDirs: string[];
  /** -D flags for the C files, without the leading -D: _KERNEL, then COPTS ("FFS", "CONSPEED=115200", ...). */
  defines: string[];
}

/**
 * The directory holding `machine` -> sys/<machine>/include, one per tree and machine
 * for the life of the process (a port loop builds many times), removed at exit.
 */
const machineDirs = new Map<string, string>();
function machineIncludeDir(sys: string, machine: string): string {
  const key = `${sys}\0${machine}`;
  let inc = machineDirs.get(key);
  if (inc === undefined || !existsSync(inc)) {
    inc = makeTempDir('xeno-machine-');
    symlinkSync(join(sys, machine, 'include'), join(inc, 'machine'));
    machineDirs.set(key, inc);
  }
  return inc;
}

export async function kernelConfig(kernelDir: string, machine = 'i386', conf = 'GENERIC'): Promise<KernelConfig> {
  const dir = resolve(kernelDir);
  const sys = join(dir, 'sys');
  const r = await runTool('sh', [join(dir, 'config.sh'), sys, machine, conf], dir);
  if (r.exitCode !== 0) {
    throw new CompileError(`kernel config failed: ${String(r.stderr).trim() || r.shortMessage}`, { span: { file: join(dir, 'config.sh'), line: 1, col: 1 } });
  }
  const copts = (/^COPTS\s*=\s*(.*)$/m.exec(String(r.stdout))?.[1] ?? '').split(/\s+/).filter((w) => w.startsWith('-D')).map((w) => w.slice(2));
  const srcs = [...String(r.stdout).matchAll(/^\s*([\w./-]+\.[cs])\s*\\?\s*$/gm)].map((m) => join(sys, m[1]));
  // The machine Makefile names the objects linked first (locore.s).
  const mk = join(sys, machine, 'conf', `Makefile.${machine}`);
  const first = existsSync(mk)
    ? (/^SYSTEM_SFILES=\s*(.*)$/m.exec(readFileSync(mk, 'utf8'))?.[1] ?? '').split(/\s+/).filter(Boolean).map((f) => f.replace(/^\$S\//, `${sys}/`))
    : [];
  const inc = machineIncludeDir(sys, machine);
  const sources = [...first, ...srcs.filter((f) => !first.includes(f))];
  return {
    sources,
    systemFiles: first,
    cFiles: srcs.filter((f) => f.endsWith('.c')),
    asmFiles: srcs.filter((f) => f.endsWith('.s')),
    includeDirs: [inc, sys, join(sys, machine, 'include')],
    defines: [...new Set(['_KERNEL', ...copts])],
  };
}
