/*
 * `xenoport boot`: boots a kernel on the emulator. One mode per platform, dispatched
 * here and kept apart: --native boots the native sample kernel (compiled by xenoport's
 * own pipeline, or given as IR text with --ir) on BarePC, the emulated PC; the console
 * (COM1) goes to stdout, the crash report (if any) and a summary to stderr. Without
 * --native the i386-xeno kernel boots as a guest of the bundled hypervisor.
 */
import { integerOption, listOption, MAX_STEPS, requirePath } from '../options.js';
import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { parseModule, verifyModule } from '../../ir/index.js';
import { BarePC, parseFeatures } from '../../emulate/pc/index.js';
import { buildKernelImage } from '../../compile/index.js';
import { link } from '../../ir/index.js';
import { bootXenNfsRoot, eventRecorder, formatSuiteReport, runSuiteXen, suiteModule, type BootXenResult, type SuiteReport } from '../../port/index.js';
import { writeTrace } from '../../report/index.js';
import path from 'node:path';
import { SAMPLE_KERNEL_DIR } from '../paths.js';
import { chooseKernel, type KernelChoice } from '../project.js';

interface BootArgs {
  native: boolean;
  memory: number;
  'cpu-features'?: string;
  trace: boolean;
  'max-steps': number;
  kernel?: string;
  ir?: string[];
  mode: 'breakpoint' | 'hypercall';
  debug: boolean;
  config?: string;
  force: boolean;
  'trace-json'?: string;
  disk?: string[];
  root: 'none' | 'nfs';
  cmdline?: string;
  rc?: string;
  'pte-updates'?: 'flush-each' | 'batched';
  'race-detect': boolean;
  'lazy-tlb': boolean;
  'upcall-seed'?: number;
  module?: string;
  'root-image': boolean;
}

/** The boot module's bytes: --module FILE, or the kernel's XIR root image built for --root-image. */
type BootModule = { bytes: Uint8Array; name: string };

async function bootModule(args: BootArgs, kernel: string): Promise<BootModule | undefined> {
  if (args.module !== undefined && args['root-image']) throw new UsageError('--module and --root-image both name the boot module: give one');
  if (args.module !== undefined) {
    requirePath(args.module, 'file', 'boot module');
    return { bytes: readFileSync(args.module), name: path.basename(args.module) };
  }
  if (!args['root-image']) return undefined;
  requirePath(path.join(kernel, 'userland'), 'directory', 'the kernel directory needs userland/ for --root-image:');
  const { root, bytes } = await suiteModule(kernel);
  process.stderr.write(`xenoport: root image ${path.relative(process.cwd(), root.image)} (${bytes.length} bytes, ${root.programs.length} programs)\n`);
  return { bytes, name: path.basename(root.image) };
}

/** The i386-xeno kernel as a Xen guest: xenify in `mode`, compile, build the domain, run. */
async function bootXenMode(args: BootArgs, choice: KernelChoice, module?: BootModule): Promise<void> {
  const { pipeline, kernel, source } = choice;
  const recorder = args['trace-json'] ? eventRecorder() : undefined;
  const cmdline = [args.cmdline, args.rc && `init_script=${args.rc}`].filter(Boolean).join(' ') || undefined;
  const common = {
    onEvent: recorder?.onEvent,
    mode: args.mode,
    pteUpdates: args['pte-updates'],
    raceDetect: args['race-detect'],
    lazyTlb: args['lazy-tlb'],
    upcallSeed: args['upcall-seed'],
    memoryMB: args.memory,
    debug: args.debug,
    maxSteps: args['max-steps'],
    pipelineFile: pipeline.file,
    configFrom: kernel,
    // A kernel named by --kernel is xenified from its own sys/, not the pipeline file's.
    source,
    force: args.force,
    disks: args.disk,
    print: (text: string) => void process.stdout.write(text),
  };
  let r: BootXenResult;
  let report: SuiteReport | undefined;
  if (args.root === 'nfs') {
    const nfs = await bootXenNfsRoot({ ...common, extraCmdLine: cmdline });
    process.stdout.write(`xen: the exported root tree stays in ${nfs.exportDir}\n`);
    r = nfs;
  } else ({ boot: r, report } = await runSuiteXen({ ...common, module: module?.bytes, cmdLine: cmdline }));
  if (report && report.parts.length > 2) process.stdout.write(`xen: the validation suite per program (split at init's PASS/FAIL lines):\n${formatSuiteReport(report, true)}\n`);
  if (recorder && r.run) {
    writeTrace(args['trace-json']!, [{ name: `xenoport boot --mode ${args.mode}`, ...recorder.log, total: r.run.steps }]);
    process.stdout.write(`xen: the boot's events in the Chrome trace-event format: ${args['trace-json']}\n`);
  }
  process.exitCode = r.ok ? 0 : 1;
}

async function bootNativeMode(args: BootArgs, module?: BootModule): Promise<void> {
  let image;
  if (args.ir?.length) {
    for (const f of args.ir) requirePath(f, 'file', 'IR module');
    image = link(args.ir.map((f) => verifyModule(parseModule(readFileSync(f, 'utf8'), f))), { kind: 'kernel' });
  } else {
    const kernel = args.kernel ?? SAMPLE_KERNEL_DIR;
    requirePath(kernel, 'directory', 'kernel directory');
    const build = await buildKernelImage(kernel);
    if (!build.image) throw new UsageError(`the kernel in ${kernel} does not build with xenoport's compiler:\n  ${build.errors.join('\n  ')}`);
    image = build.image;
  }
  let features;
  try {
    features = parseFeatures(args['cpu-features'] ?? '');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const trace = args.trace ? (l: string) => process.stderr.write(`trace: ${l}\n`) : undefined;
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length) process.stdout.write(Buffer.from(pending));
    pending = [];
  };
  const pc = new BarePC(image, {
    modules: module ? [{ bytes: module.bytes, cmdline: module.name }] : undefined,
    memoryMB: args.memory,
    features,
    trace,
    onConsole: (b) => {
      pending.push(b);
      if (b === 10 || pending.length >= 4096) flush();
    },
  });
  const r = pc.boot(args['max-steps']);
  flush();
  if (r.report) process.stderr.write(r.report);
  const what = r.outcome === 'step-limit' ? `stopped at the step limit (--max-steps ${args['max-steps']})` : r.outcome === 'exit' ? `the kernel returned ${r.exitCode}` : (r.message ?? r.outcome);
  process.stderr.write(`xenoport: ${what}; ${r.steps} IR instructions in ${r.wallMs.toFixed(0)} ms\n`);
  process.exitCode = r.outcome === 'halt' && !r.fault ? 0 : r.outcome === 'step-limit' ? 124 : 1;
}

export const bootCommand: CommandModule<object, BootArgs> = {
  command: 'boot',
  describe: 'Boot the i386-xeno kernel under the bundled hypervisor (--native: the native kernel on the emulated PC)',
  builder: (y) =>
    y
      .option('native', { type: 'boolean', default: false, describe: 'boot the native kernel on BarePC' })
      .option('memory', integerOption({ default: 32, min: 4, max: 3072, describe: 'RAM in MiB' }))
      .option('cpu-features', { type: 'string', describe: "CPUID paging features, e.g. '-pse,-pge' or 'none' (default: qemu32's, all on)" })
      .option('trace', { type: 'boolean', default: false, describe: 'trace exceptions and interrupts to stderr' })
      .option('max-steps', integerOption({ default: 2e9, min: 1, max: MAX_STEPS, describe: 'stop after this many IR instructions' }))
      .option('kernel', { type: 'string', requiresArg: true, describe: 'kernel directory (config.sh + sys/) to compile (default: the one above the pipeline file\'s source; --native: the bundled sample)' })
      .option('ir', { type: 'string', array: true, requiresArg: true, describe: 'with --native: boot these IR text modules (linked as a kernel) instead of compiling' })
      .option('mode', { choices: ['breakpoint', 'hypercall'] as const, default: 'hypercall' as const, describe: 'Xen: how xenify rewrites the privileged sites' })
      .option('debug', { type: 'boolean', default: false, describe: 'Xen: full hypercall and trap trace' })
      .option('pte-updates', { choices: ['flush-each', 'batched'] as const, describe: "Xen: flush every page-table update at once, or queue them until a flush point (default: the pipeline file's, batched)" })
      .option('race-detect', { type: 'boolean', default: false, describe: 'Xen: report page-table reads and walks that miss a queued update, hypercalls and blocks with a non-empty queue, and queue writes an upcall could interrupt' })
      .option('lazy-tlb', { type: 'boolean', default: false, describe: 'Xen: keep TLB entries until the guest invalidates them' })
      .option('upcall-seed', integerOption({ min: 0, max: 0xffffffff, describe: 'Xen: deliver event upcalls at pseudo-random instruction counts from this seed' }))
      .option('config', { type: 'string', requiresArg: true, describe: 'Xen: the pipeline file (default: the nearest xenoport.pipeline.yaml from the current directory up; the bundled sample kernel\'s when there is none)' })
      .option('force', { type: 'boolean', default: false, describe: 'Xen: regenerate the i386-xeno tree even if it was edited by hand' })
      .option('module', { type: 'string', requiresArg: true, describe: 'boot module FILE (the root file system image): start_info mod_start/mod_len under Xen, a multiboot module with --native' })
      .option('root-image', { type: 'boolean', default: false, describe: "build the kernel's root image with XIR programs (userland/, makefs) and boot with it as the module: init runs the validation suite" })
      .option('trace-json', { type: 'string', requiresArg: true, describe: 'Xen: write the hypercalls, traps and events to FILE in the Chrome trace-event format (Perfetto, chrome://tracing)' })
      .option('root', { choices: ['none', 'nfs'] as const, default: 'none' as const, describe: 'Xen: nfs mounts the root over xn0 from nfs-ganesha in domain 0 (needs root, nfs-ganesha, rpcbind)' })
      .option('cmdline', { type: 'string', requiresArg: true, describe: 'Xen: words for the domain\'s command line (kernel environment), e.g. init_path=/bin/files or vfs.root.mountfrom=ufs:/dev/xbd0' })
      .option('rc', { type: 'string', requiresArg: true, describe: "Xen: the script init runs instead of /etc/rc, a path in the guest's root (the kernel environment's init_script), e.g. /etc/rc.step14" })
      .option('disk', listOption({ describe: "Xen: give the guest a virtual block device backed by an image file, 'file:PATH,xbdN,w' (or ',r' read-only)" }))
      .example('$0 boot --native', 'compile the sample kernel and boot it on the emulated PC')
      .example('$0 boot --mode breakpoint', 'boot the i386-xeno kernel under the hypervisor; stop at the first unported site')
      .example('$0 boot --race-detect --lazy-tlb', 'boot with batched page-table updates and report every race the queue allows')
      .example('$0 boot --root-image', 'the i386-xeno kernel under the hypervisor mounts the XIR root image and runs the validation suite')
      .example('$0 boot --disk file:root.img,xbd0,r --cmdline vfs.root.mountfrom=ufs:/dev/xbd0', 'boot under the hypervisor with root on the guest\'s xbd0, served from root.img')
      .example('$0 boot --root nfs --disk file:xbd0.img,xbd0,w --rc /etc/rc.step14', 'seed step 14, first boot: the root on NFS, and the guest makes a file system on xbd0 (xbd0.img, e.g. truncate -s 8m) and copies its root onto it')
      .example('$0 boot --disk file:xbd0.img,xbd0,w --cmdline vfs.root.mountfrom=ufs:/dev/xbd0', 'seed step 14, second boot: root on the disk the first one wrote; init runs the validation suite from it')
      .example('$0 boot --trace-json boot.json', 'boot under the hypervisor and write its events for Perfetto')
      .example('$0 boot --root nfs', 'boot under the hypervisor with the root on NFS from domain 0')
      .example('$0 boot --native --memory 64 --cpu-features -pse,-pge --trace', 'a bigger machine without large or global pages') as never,
  handler: async (args) => {
    if (args.native && (args['race-detect'] || args['lazy-tlb'] || args['pte-updates'] || args['upcall-seed'] !== undefined)) throw new UsageError('--pte-updates, --race-detect, --lazy-tlb and --upcall-seed are for the Xen boot: they work without --native');
    if (args.native && args['trace-json']) throw new UsageError('--trace-json records the hypervisor\'s events: it works without --native');
    if (args.native && (args.root !== 'none' || args.cmdline || args.disk?.length)) throw new UsageError('--root, --disk and --cmdline are for the Xen guest: they work without --native');
    if (args.native && args.rc !== undefined) throw new UsageError('--rc names the script of the Xen guest\'s init: it works without --native');
    if (args.rc !== undefined && !/^\/[^\s]*$/.test(args.rc)) throw new UsageError(`--rc ${args.rc}: a path in the guest's root, from / and without spaces (e.g. /etc/rc.step14)`);
    if (args.root === 'nfs' && (args.module !== undefined || args['root-image'])) throw new UsageError('--root nfs mounts the root over the network: it takes no --module or --root-image');
    if (args.native) return bootNativeMode(args, await bootModule(args, args.kernel ?? SAMPLE_KERNEL_DIR));
    // The Xen mode boots what xenify generates from the pipeline file's source.
    if (args.ir?.length) throw new UsageError('--ir boots IR modules on the emulated PC: it needs --native');
    if (args.kernel !== undefined && path.resolve(args.kernel) !== SAMPLE_KERNEL_DIR) requirePath(path.join(args.kernel, 'config.sh'), 'file', 'the kernel directory needs config.sh:');
    // The pipeline file and the kernel: --config and --kernel, else found from the current directory (../project.ts).
    const choice = chooseKernel(args.kernel, args.config);
    return bootXenMode(args, choice, await bootModule(args, choice.kernel));
  },
};
