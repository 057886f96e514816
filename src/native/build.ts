/*
 * Builds a kernel tree with the system toolchain by running its own Makefile
 * (make -C <kernelDir> native MACHINE=<machine>). The Makefile owns the flags
 * (-m32 -ffreestanding -nostdlib -Wall -Werror, ld -m elf_i386); this file only
 * drives it and turns a failed build into a typed error with gcc's message.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CompileError } from '../errors.js';

export interface NativeBuildOptions {
  /** Directory holding the kernel's top-level Makefile (sample-kernel/). */
  kernelDir: string;
  /** The arch directory under sys/, e.g. 'i386' or 'i386-xeno'. */
  machine?: string;
  /** Extra make variables, e.g. { SYSDIR: '/tmp/x/sys' }. */
  variables?: Record<string, string>;
}

export interface NativeBuild {
  kernelPath: string;
  /** make's combined output, for --verbose. */
  log: string;
}

/** Runs make; throws CompileError carrying the compiler's diagnostics when it fails. */
export async function buildNativeKernel(options: NativeBuildOptions): Promise<NativeBuild> {
  const machine = options.machine ?? 'i386';
  const vars = Object.entries({ MACHINE: machine, ...options.variables }).map(([k, v]) => `${k}=${v}`);
  const result = await execa('make', ['-s', '-C', options.kernelDir, 'native', ...vars], {
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) {
    throw new CompileError(`native build of ${machine} failed (make exit ${result.exitCode}):\n${result.all ?? ''}`);
  }
  const kernelPath = path.join(options.kernelDir, 'build', machine, 'kernel');
  if (!existsSync(kernelPath)) {
    throw new CompileError(`make succeeded but produced no kernel at ${kernelPath}`);
  }
  return { kernelPath, log: result.all ?? '' };
}
