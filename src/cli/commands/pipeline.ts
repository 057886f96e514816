/*
 * `xenoport pipeline`: runs xenoport.pipeline.yaml like a build system; stages
 * whose inputs, rules and tool version did not change are taken from the cache.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { defaultScan, loadPipeline, runPipeline, type RewriteMode } from '../../rewrite/index.js';
import { PROJECT_ROOT } from '../paths.js';
import { printRun } from './pipeline-report.js';

interface PipelineArgs {
  config: string;
  'dry-run': boolean;
  explain: boolean;
  force: boolean;
  diff: boolean;
  mode?: string;
  verbose: boolean;
}

export const pipelineCommand: CommandModule<object, PipelineArgs> = {
  command: 'pipeline',
  describe: 'Run the declarative pipeline (xenoport.pipeline.yaml), skipping unchanged stages',
  builder: (y) =>
    y
      .option('config', { type: 'string', default: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'), describe: 'pipeline file' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'say what would run; write nothing' })
      .option('explain', { type: 'boolean', default: false, describe: 'say why each stage ran or was skipped' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite a generated tree that was edited by hand' })
      .option('diff', { type: 'boolean', default: false, describe: 'print the unified diff source -> output on stdout' })
      .option('mode', { choices: ['breakpoint', 'hypercall'], describe: 'override the rewrite stages\' mode' })
      .option('verbose', { type: 'boolean', default: false, describe: 'print every note' })
      .example('$0 pipeline --explain', 'run the pipeline, saying why each stage ran')
      .example('$0 pipeline --dry-run', 'show which stages would run'),
  handler: async (args) => {
    const config = loadPipeline(args.config);
    const report = await runPipeline(config, {
      dryRun: args['dry-run'],
      force: args.force,
      diff: args.diff,
      mode: args.mode as RewriteMode | undefined,
      scan: defaultScan,
    });
    printRun(report, { explain: args.explain, dryRun: args['dry-run'], verbose: args.verbose });
  },
};
