/*
 * `xenoport start` (what `npm start` runs): the whole pipeline on the bundled sample
 * kernel (src/port/start.ts), printed as it happens.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { runStart } from '../../port/index.js';
import { PROJECT_ROOT } from '../paths.js';

interface StartArgs {
  output: string;
  cache?: string;
  html: string | false;
  'pte-updates'?: 'flush-each' | 'batched';
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
      .option('html', {
        type: 'string',
        default: path.join(PROJECT_ROOT, 'build', 'report'),
        describe: 'write the HTML report of the run into this directory (--no-html: none)',
      })
      .option('pte-updates', {
        choices: ['flush-each', 'batched'] as const,
        describe: "the port's page-table updates: flushed one by one (seed step 10) or queued until a flush point (step 15); both are still booted side by side at the end (default: the pipeline file's, batched)",
      })
      .option('cache', {
        type: 'string',
        describe: 'the cache directory (scan, compile units, pipeline stages, port boots); default $XENOPORT_CACHE_DIR, else .xenoport/cache of the project, else ~/.cache/xenoport',
      })
      .example('$0 start --html /tmp/port-report', 'the same, with the HTML report in /tmp/port-report (open its index.html)')
      .example('$0 start', 'scan, build, boot natively, port and boot under Xen, printing each stage'),
  handler: async (args) => {
    const r = await runStart({ output: args.output, cacheDir: args.cache, html: args.html || undefined, pteUpdates: args['pte-updates'], print: (text) => process.stdout.write(text) });
    if (r.consolesAgree === false) process.exitCode = 1;
  },
};
