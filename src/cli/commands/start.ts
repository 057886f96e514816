/*
 * `xenoport start` (what `npm start` runs): the furthest part of the pipeline that
 * exists, on the bundled sample kernel, one stage after another, each printing a
 * short summary. A stage that fails stops the run with its error.
 */
import type { CommandModule } from 'yargs';
import { bootInQemu, buildNativeKernel, findQemu } from '../../native/index.js';
import { SAMPLE_KERNEL_DIR, HALT_LINE } from '../paths.js';

export const startCommand: CommandModule<object, object> = {
  command: 'start',
  describe: 'Run the whole pipeline on the bundled sample kernel (what `npm start` does)',
  builder: (y) => y.example('$0 start', 'scan, port and boot sample-kernel, printing each stage'),
  handler: async () => {
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say('== native build (gcc -m32, ld -m elf_i386)');
    const build = await buildNativeKernel({ kernelDir: SAMPLE_KERNEL_DIR });
    say(`kernel: ${build.kernelPath}`);
    if (findQemu()) {
      say('== native boot in QEMU (reference console)');
      const boot = await bootInQemu({ kernelPath: build.kernelPath, until: HALT_LINE });
      process.stdout.write(boot.console);
      if (!boot.finished) throw new Error('QEMU boot did not reach the root mount');
    } else {
      say('== native boot in QEMU skipped: qemu-system-i386 is not installed');
    }
  },
};
