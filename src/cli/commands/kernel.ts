/*
 * `xenoport kernel`: builds the native sample kernel with the system gcc and, with
 * --qemu, boots it in QEMU (seed step 1, the reference every other boot is held to).
 */
import type { CommandModule } from 'yargs';
import { bootInQemu, buildNativeKernel, findQemu } from '../../native/index.js';
import { UsageError } from '../../errors.js';
import { SAMPLE_KERNEL_DIR, HALT_LINE } from '../paths.js';

interface KernelArgs {
  dir: string;
  machine: string;
  qemu: boolean;
}

export const kernelCommand: CommandModule<object, KernelArgs> = {
  command: 'kernel',
  describe: 'Build the native kernel with gcc/ld; --qemu also boots it in QEMU',
  builder: (y) =>
    y
      .option('dir', { type: 'string', default: SAMPLE_KERNEL_DIR, describe: 'kernel directory holding the Makefile' })
      .option('machine', { type: 'string', default: 'i386', describe: 'arch directory under sys/' })
      .option('qemu', { type: 'boolean', default: false, describe: 'boot the result in qemu-system-i386' })
      .example('$0 kernel --qemu', 'build sample-kernel natively and boot it in QEMU'),
  handler: async (args) => {
    const build = await buildNativeKernel({ kernelDir: args.dir, machine: args.machine });
    process.stderr.write(`built ${build.kernelPath}\n`);
    if (!args.qemu) return;
    if (!findQemu()) throw new UsageError('--qemu needs qemu-system-i386 (Debian package qemu-system-x86)');
    const boot = await bootInQemu({ kernelPath: build.kernelPath, until: HALT_LINE });
    process.stdout.write(boot.console);
    if (!boot.finished) {
      process.stderr.write('xenoport: the QEMU boot did not reach the halt line before the timeout\n');
      process.exitCode = 1;
    }
  },
};
