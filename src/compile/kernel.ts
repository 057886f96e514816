/*
 * The kernel build configuration, read the way the native Makefile reads it: the
 * kernel's own config.sh prints the source list (SRCS) for a machine and config, and
 * the include path is the Makefile's: a directory holding `machine` → sys/<machine>/
 * include, then sys, then sys/<machine>/include, with -D_KERNEL. The C files go to our
 * front end; the .s files belong to the GAS front end and are listed separately.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { CompileError } from '../errors.js';

export interface KernelConfig {
  cFiles: string[];
  asmFiles: string[];
  includeDirs: string[];
  defines: string[];
}

export async function kernelConfig(kernelDir: string, machine = 'i386', conf = 'GENERIC'): Promise<KernelConfig> {
  const dir = resolve(kernelDir);
  const sys = join(dir, 'sys');
  const r = await execa('sh', [join(dir, 'config.sh'), sys, machine, conf], { reject: false, cwd: dir });
  if (r.exitCode !== 0) {
    throw new CompileError(`kernel config failed: ${String(r.stderr).trim() || r.shortMessage}`, { span: { file: join(dir, 'config.sh'), line: 1, col: 1 } });
  }
  const srcs = [...String(r.stdout).matchAll(/^\s*([\w./-]+\.[cs])\s*\\?\s*$/gm)].map((m) => join(sys, m[1]));
  const inc = mkdtempSync(join(tmpdir(), 'xeno-machine-'));
  symlinkSync(join(sys, machine, 'include'), join(inc, 'machine'));
  return {
    cFiles: srcs.filter((f) => f.endsWith('.c')),
    asmFiles: srcs.filter((f) => f.endsWith('.s')),
    includeDirs: [inc, sys, join(sys, machine, 'include')],
    defines: ['_KERNEL'],
  };
}
