/*
 * `xenoport port`: seed steps 9-11 on their own — boot the i386-xeno kernel in
 * breakpoint mode, switch the rule of each breakpoint stub the domain stops at to
 * hypercall mode, regenerate, rebuild and boot again, one line per iteration,
 * until "unable to mount root file system" or a site no rule can fix.
 */
import { integerOption, MAX_STEPS, requirePath } from '../options.js';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { formatCounts, formatSeconds, portLoop, realPortStages, reportData } from '../../port/index.js';
import { TOOL_VERSION } from '../../analyze/index.js';
import { writeHtmlReport, writeTrace } from '../../report/index.js';
import { chooseKernel } from '../project.js';

interface PortArgs {
  config?: string;
  kernel?: string;
  output?: string;
  memory: number;
  'max-iterations': number;
  'max-steps': number;
  force: boolean;
  'pte-updates'?: 'flush-each' | 'batched';
  html?: string;
  'trace-json'?: string;
}

export const portCommand: CommandModule<object, PortArgs> = {
  command: 'port',
  describe: 'Port loop: boot in breakpoint mode, switch each stub hit to hypercall mode, until the root mount',
  builder: (y) =>
    y
      .option('config', { type: 'string', requiresArg: true, describe: 'pipeline file (default: the nearest xenoport.pipeline.yaml from the current directory up; the bundled sample kernel\'s when there is none)' })
      .option('kernel', { type: 'string', requiresArg: true, describe: 'kernel directory with config.sh (default: the one above the pipeline file\'s source)' })
      .option('output', { type: 'string', requiresArg: true, describe: 'output root of the generated trees, kept apart from xenify\'s (default: build/port/sys beside the pipeline file)' })
      .option('memory', integerOption({ default: 32, min: 4, max: 3072, describe: 'guest memory in MiB' }))
      .option('max-iterations', integerOption({ default: 200, min: 1, max: 100_000, describe: 'give up after this many boots' }))
      .option('max-steps', integerOption({ default: 2e9, min: 1, max: MAX_STEPS, describe: 'step limit of each boot' }))
      .option('force', { type: 'boolean', default: false, describe: 'regenerate the trees even if they were edited by hand' })
      .option('pte-updates', { choices: ['flush-each', 'batched'] as const, describe: "page-table updates flushed one by one or queued until a flush point (default: the pipeline file's)" })
      .option('html', { type: 'string', requiresArg: true, describe: 'write the HTML report of the port into this directory' })
      .option('trace-json', { type: 'string', requiresArg: true, describe: 'write every boot\'s hypercalls, traps and events to FILE in the Chrome trace-event format (one process per boot)' })
      .example('$0 port --html build/port-report --trace-json build/port-trace.json', 'the same, with the HTML report and a trace for Perfetto')
      .example('$0 port', 'port the sample kernel from breakpoint mode to the root mount') as never,
  handler: async (args) => {
    if (args.kernel !== undefined) requirePath(path.join(args.kernel, 'config.sh'), 'file', 'the kernel directory needs config.sh:');
    const { pipeline, kernel } = chooseKernel(args.kernel, args.config);
    const output = args.output ?? path.join(path.dirname(pipeline.file), 'build', 'port', 'sys');
    const r = await portLoop(realPortStages(pipeline.file, kernel, output, undefined, args.force, true, args['pte-updates']), {
      memoryMB: args.memory,
      maxIterations: args['max-iterations'],
      maxSteps: args['max-steps'],
      onLine: (l) => process.stdout.write(`${l}\n`),
    });
    const sum = (k: 'xenify' | 'build' | 'boot'): string => formatSeconds(r.iterations.reduce((n, it) => n + it.ms[k], 0));
    process.stdout.write(`-- port loop: ${r.iterations.length} iterations; xenify ${sum('xenify')}, compile ${sum('build')}, boot ${sum('boot')}\n`);
    if (args['trace-json']) {
      writeTrace(args['trace-json'], r.iterations.flatMap((it) => (it.run ? [{ name: `boot ${it.n}${it.rule ? `: stub of ${it.rule}` : ''}`, ...it.run.events, total: it.run.steps }] : [])));
      process.stdout.write(`port: the boots' events in the Chrome trace-event format: ${args['trace-json']}\n`);
    }
    if (args.html) {
      const index = writeHtmlReport(args.html, reportData({ title: `xenoport port: ${kernel}`, tool: TOOL_VERSION, kernelDir: kernel, port: r }));
      process.stdout.write(`port: the HTML report: ${index}\n`);
    }
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
