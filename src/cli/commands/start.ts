/*
 * `xenoport start` (what `npm start` runs): the whole pipeline on the bundled sample
 * kernel, one stage after another, each under a heading:
 *   1. scan summary of sys/ (steps 3, 4, 8)
 *   2. the native kernel: gcc build and QEMU boot (step 1), when qemu is present
 *   3. xenoport's own compile of the native kernel (C and .s) to one IR image
 *   4. that image booted on the emulated PC, compared with the QEMU console
 *   5. the port loop from breakpoint mode (steps 9-11), then the Xen boot of the
 *      ported i386-xeno kernel, its console and the hypercall counts
 * A stage that cannot run says why; an error in a stage stops the run with it.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { DEFAULT_SCAN_PATH, formatSummary, scan, TOOL_VERSION } from '../../analyze/index.js';
import { compileKernelImage } from '../../compile/index.js';
import { bootNative } from '../../emulate/pc/index.js';
import { xenStartStage } from '../../hypervisor/index.js';
import { bootInQemu, buildNativeKernel, findQemu } from '../../native/index.js';
import { HALT_LINE, PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../paths.js';

interface StartArgs {
  output: string;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const heading = (title: string): void => say(`\n== ${title}`);

/** The console's lines up to and including the halt line. */
function upToHalt(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const k = lines.findIndex((l) => HALT_LINE.test(l));
  return (k < 0 ? lines : lines.slice(0, k + 1)).join('\n');
}

async function scanStage(): Promise<void> {
  heading('scan: privileged instructions, page-table writes, CPU features, VA hole, console');
  const result = await scan({ paths: [DEFAULT_SCAN_PATH] });
  const source = (file: string): string | undefined => {
    try {
      return readFileSync(path.resolve(path.dirname(DEFAULT_SCAN_PATH), file), 'latin1');
    } catch {
      return undefined;
    }
  };
  process.stdout.write(formatSummary({ ...result, source, color: false, toolVersion: TOOL_VERSION }));
}

/** Returns the QEMU console (up to the halt line), or undefined without qemu. */
async function qemuStage(): Promise<string | undefined> {
  heading('native kernel: gcc -m32 build and QEMU boot (seed step 1)');
  const build = await buildNativeKernel({ kernelDir: SAMPLE_KERNEL_DIR });
  say(`built ${path.relative(PROJECT_ROOT, build.kernelPath)}`);
  if (!findQemu()) {
    say('QEMU boot skipped: qemu-system-i386 is not installed (Debian package qemu-system-x86)');
    return undefined;
  }
  const boot = await bootInQemu({ kernelPath: build.kernelPath, until: HALT_LINE });
  const console = upToHalt(boot.console);
  say(`QEMU console (${console.split('\n').length} lines), last: ${console.split('\n').filter(Boolean).slice(-3, -1).join(' / ')}`);
  return console;
}

async function emulatedPcStage(qemuConsole: string | undefined): Promise<void> {
  heading('xenoport compile of the native kernel (C and assembly to one IR image)');
  const build = await compileKernelImage(SAMPLE_KERNEL_DIR);
  const instructions = build.image.functions.reduce((n, f) => n + f.size, 0);
  say(`${build.modules.length} files, ${build.image.functions.length} functions, ${instructions} IR instructions, entry ${build.image.entryName}`);

  heading('native boot on the emulated PC (BarePC: 32 MiB, qemu32 CPU)');
  const r = bootNative(build.image, { memoryMB: 32 });
  const console = upToHalt(r.console);
  process.stdout.write(`${console}\n`);
  say(`-- ${r.outcome}${r.message ? ` (${r.message})` : ''} after ${r.steps} IR instructions, ${r.wallMs.toFixed(0)} ms`);
  if (r.report) say(r.report);
  if (qemuConsole !== undefined) {
    say(console === qemuConsole ? 'console: identical to the QEMU boot, byte for byte' : 'console: DIFFERS from the QEMU boot');
    if (console !== qemuConsole) process.exitCode = 1;
  }
}

async function portAndXenStage(output: string): Promise<boolean> {
  heading('Xen: port loop from breakpoint mode, then the boot of the ported kernel (seed steps 5-11)');
  return xenStartStage({
    pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
    configFrom: SAMPLE_KERNEL_DIR,
    output,
    print: (text) => process.stdout.write(text),
  });
}

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Run the whole pipeline on the bundled sample kernel (what `npm start` does)',
  builder: (y) =>
    y
      .option('output', {
        type: 'string',
        default: path.join(PROJECT_ROOT, 'build', 'start', 'sys'),
        describe: 'where the generated i386-xeno tree goes',
      })
      .example('$0 start', 'scan, build, boot natively, port and boot under Xen, printing each stage'),
  handler: async (args) => {
    await scanStage();
    const qemuConsole = await qemuStage();
    await emulatedPcStage(qemuConsole);
    const ported = await portAndXenStage(args.output);
    say(ported
      ? '\nxenoport: the i386-xeno kernel boots under the hypervisor to the root mount failure'
      : '\nxenoport: the port stops short of the root mount (the report above names the site)');
  },
};
