/*
 * `xenoport xenify` (also spelled `xenoport pipeline`): sys/i386 -> sys/i386-xeno
 * (seed steps 2-7, then the rewrite in the chosen mode), by running the pipeline
 * file like a build system with the given overrides: stages whose inputs, rules and
 * tool version did not change are taken from the cache. The source tree is never
 * written; the result goes to the output root. The pipeline file is found from the
 * current directory up (../project.ts).
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { RewriteMode } from '../../rewrite/index.js';
import { requirePath } from '../options.js';
import { printRun } from './print-run.js';

interface XenifyArgs {
  mode?: string;
  source?: string;
  output?: string;
  config?: string;
  diff: boolean;
  force: boolean;
  explain: boolean;
  'dry-run': boolean;
  verbose: boolean;
  'pte-updates'?: 'flush-each' | 'batched';
}

export const xenifyCommand: CommandModule<object, XenifyArgs> = {
  command: 'xenify',
  aliases: ['pipeline'],
  describe: 'Generate sys/i386-xeno from sys/i386 by running the pipeline file (xenoport.pipeline.yaml), skipping unchanged stages',
  builder: (y) =>
    y
      .option('mode', { choices: ['breakpoint', 'hypercall'], describe: 'step 8 breakpoint stubs or step 10 Xen calls (default: the pipeline file\'s)' })
      .option('pte-updates', { choices: ['flush-each', 'batched'] as const, describe: "seed step 10's flush after every page-table update, or step 15's queue flushed only where needed (default: the pipeline file's)" })
      .option('source', { type: 'string', describe: 'source sys directory (default: the pipeline file\'s)' })
      .option('output', { type: 'string', describe: 'output root (default: the pipeline file\'s, build/xeno/sys)' })
      .option('config', { type: 'string', requiresArg: true, describe: 'pipeline file (default: the nearest xenoport.pipeline.yaml from the current directory up; the bundled sample kernel\'s when there is none)' })
      .option('diff', { type: 'boolean', default: false, describe: 'print the unified diff that creates i386-xeno (for patch -p1 in the kernel directory)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite a generated tree that was edited by hand' })
      .option('explain', { type: 'boolean', default: false, describe: 'say why each stage ran' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'say what would run; write nothing' })
      .option('verbose', { type: 'boolean', default: false, describe: 'print every note' })
      .example('$0 xenify --mode breakpoint', 'seed step 8: every privileged site traps, naming its rule and file:line')
      .example('$0 xenify --mode hypercall --output /tmp/xeno/sys', 'seed step 10 into another directory')
      .example('$0 pipeline --explain', 'the same command by its other name: run the pipeline, saying why each stage ran'),
  handler: async (args) => {
    // The pipeline loads when it runs, not for --help.
    const [{ defaultScan, loadPipeline, runPipeline }, { choosePipeline }] = await Promise.all([import('../../rewrite/index.js'), import('../project.js')]);
    if (args.source) requirePath(args.source, 'directory', 'the source directory');
    const config = loadPipeline(choosePipeline(args.config, !args.source).file);
    if (args.source) config.source = path.resolve(args.source);
    if (args.output) config.output = path.resolve(args.output);
    const report = await runPipeline(config, {
      mode: args.mode as RewriteMode | undefined,
      pteUpdates: args['pte-updates'],
      diff: args.diff,
      force: args.force,
      dryRun: args['dry-run'],
      scan: defaultScan,
    });
    printRun(report, { explain: args.explain, dryRun: args['dry-run'], verbose: args.verbose });
  },
};
