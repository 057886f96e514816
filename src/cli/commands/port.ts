/*
 * `xenoport port`: seed steps 9-11 on their own — boot the i386-xeno kernel in
 * breakpoint mode, switch the rule of each breakpoint stub the domain stops at to
 * hypercall mode, regenerate, rebuild and boot again, one line per iteration,
 * until "unable to mount root file system" or a site no rule can fix.
 */
import { integerOption, MAX_STEPS } from '../options.js';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { formatCounts, formatSeconds, portLoop, realPortStages } from '../../port/index.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../paths.js';

interface PortArgs {
  config: string;
  kernel: string;
  output: string;
  memory: number;
  'max-iterations': number;
  'max-steps': number;
  force: boolean;
}

export const portCommand: CommandModule<object, PortArgs> = {
  command: 'port',
  describe: 'Port loop: boot in breakpoint mode, switch each stub hit to hypercall mode, until the root mount',
  builder: (y) =>
    y
      .option('config', { type: 'string', default: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'), describe: 'pipeline file' })
      .option('kernel', { type: 'string', default: SAMPLE_KERNEL_DIR, describe: 'kernel directory with config.sh' })
      .option('output', { type: 'string', default: path.join(PROJECT_ROOT, 'build/port/sys'), describe: 'output root of the generated trees (kept apart from xenify\'s)' })
      .option('memory', integerOption({ default: 32, min: 4, max: 3072, describe: 'guest memory in MiB' }))
      .option('max-iterations', integerOption({ default: 200, min: 1, max: 100_000, describe: 'give up after this many boots' }))
      .option('max-steps', integerOption({ default: 2e9, min: 1, max: MAX_STEPS, describe: 'step limit of each boot' }))
      .option('force', { type: 'boolean', default: false, describe: 'regenerate the trees even if they were edited by hand' })
      .example('$0 port', 'port the sample kernel from breakpoint mode to the root mount') as never,
  handler: async (args) => {
    const r = await portLoop(realPortStages(args.config, args.kernel, args.output, undefined, args.force), {
      memoryMB: args.memory,
      maxIterations: args['max-iterations'],
      maxSteps: args['max-steps'],
      onLine: (l) => process.stdout.write(`${l}\n`),
    });
    const sum = (k: 'xenify' | 'build' | 'boot'): string => formatSeconds(r.iterations.reduce((n, it) => n + it.ms[k], 0));
    process.stdout.write(`-- port loop: ${r.iterations.length} iterations; xenify ${sum('xenify')}, compile ${sum('build')}, boot ${sum('boot')}\n`);
    if (r.outcome === 'root-mount') {
      process.stdout.write(`port: done; rules switched to hypercall mode: ${r.switched.join(', ') || '(none)'}\n`);
      if (r.last) process.stdout.write(`hypercalls by kind:\n${formatCounts(r.last.counts)}\n`);
      return;
    }
    if (r.last?.reportText) process.stdout.write(`${r.last.reportText}\n`);
    process.stdout.write(`port: stopped (${r.outcome}): ${r.message}\n`);
    process.exitCode = 1;
  },
};
