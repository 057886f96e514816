/*
 * `xenoport scan [paths..]`: finds what a Xen port must change (privileged and
 * sensitive instructions, their wrappers, page-table writes, CPU features,
 * addresses in the hypervisor hole, the console path) and reports it as text,
 * JSON or SARIF. Exit status like grep: 0 nothing found, 1 findings, 2 error.
 */
import { integerOption } from '../options.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import { reportData } from '../../port/index.js';
import { writeHtmlReport } from '../../report/index.js';
import {
  CATEGORIES,
  DEFAULT_SCAN_PATH,
  TOOL_VERSION,
  formatJson,
  formatSarif,
  formatSummary,
  formatText,
  loadRules,
  scan,
  type Category,
} from '../../analyze/index.js';

interface ScanArgs {
  paths?: string[];
  format: string;
  summary: boolean;
  rule?: string[];
  category?: string[];
  exclude?: string[];
  rules?: string;
  cache: boolean;
  jobs?: number;
  color?: boolean;
  progress?: boolean;
  define?: string[];
  undef?: string[];
  arch?: string;
  'all-branches': boolean;
  html?: string;
  'max-file-size': number;
}

export const scanCommand: CommandModule<object, ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'Find privileged instructions, page-table writes and other Xen porting sites',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: sample-kernel/sys)' })
      .option('format', { alias: 'f', type: 'string', choices: ['text', 'json', 'sarif'], default: 'text', describe: 'output format' })
      .option('summary', { type: 'boolean', default: false, describe: 'print counts per category, rule and file instead of findings' })
      .option('rule', { type: 'string', array: true, describe: 'only findings of these rule ids' })
      .option('category', { type: 'string', array: true, choices: [...CATEGORIES], describe: 'only findings of these categories' })
      .option('max-file-size', integerOption({ default: 16, min: 1, max: 1024, describe: 'skip (and report) source files larger than this many MiB; parsing costs about 150 bytes of memory per byte' }))
      .option('exclude', { type: 'string', array: true, describe: 'skip paths matching this glob (relative to the scanned directory\'s parent)' })
      .option('rules', { type: 'string', describe: 'rules directory (default: the bundled rules/)' })
      .option('cache', { type: 'boolean', default: true, describe: 'use the content-hash cache in .xenoport-cache/ (--no-cache: parse everything)' })
      .option('jobs', { alias: 'j', ...integerOption({ min: 0, max: 256, describe: 'worker threads (0: scan in the main thread; default: one per core)' }) })
      .option('color', { type: 'boolean', describe: 'colour the text output (default: when stdout is a terminal)' })
      .option('progress', { type: 'boolean', describe: 'show a progress bar on stderr (default: when stderr is a terminal)' })
      .option('define', { alias: 'D', type: 'string', array: true, describe: 'cpp: NAME[=value] is defined (branches it rules out are not scanned)' })
      .option('undef', { alias: 'U', type: 'string', array: true, describe: 'cpp: NAME is undefined' })
      .option('arch', { type: 'string', describe: 'scan for this architecture: its macros defined, other architectures\' directories and existing xen/ ports skipped' })
      .option('html', { type: 'string', requiresArg: true, describe: 'also write the HTML report of the findings (tiles per file, code frames) into this directory' })
      .option('all-branches', { type: 'boolean', default: false, describe: 'also report findings in dead branches and in code under #ifdef XEN, marked as such' })
      .example('$0 scan', 'scan the sample kernel, findings grouped by file')
      .example('$0 scan /src/sys --arch i386 -D SMP -U PAE --summary', 'a real sys/ tree for i386, as an SMP kernel without PAE')
      .example('$0 scan sys/ --category pte-write --exclude "**/dev/**"', 'only page-table writes, skipping drivers')
      .example('$0 scan --format sarif > xenoport.sarif', 'SARIF 2.1.0 for a code-scanning viewer') as never,
  handler: async (args) => {
    const paths = args.paths && args.paths.length > 0 ? args.paths : [DEFAULT_SCAN_PATH];
    const ruleSet = loadRules(args.rules);
    const showProgress = args.progress ?? (process.stderr.isTTY === true && args.format === 'text');
    let bar: cliProgress.SingleBar | undefined;
    const result = await scan({
      paths,
      rules: ruleSet,
      ruleIds: args.rule,
      categories: args.category as Category[] | undefined,
      exclude: args.exclude,
      maxFileBytes: args['max-file-size'] * 1024 * 1024,
      cache: args.cache ? undefined : false,
      workers: args.jobs,
      defines: [...(args.define ?? []).map((d) => `D${d}`), ...(args.undef ?? []).map((u) => `U${u}`)],
      arch: args.arch,
      allBranches: args['all-branches'],
      onProgress: showProgress
        ? (done, total) => {
            if (!bar) {
              bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'scanning [{bar}] {value}/{total} files', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
              bar.start(total, 0);
            }
            bar.update(done);
            if (done === total) bar.stop();
          }
        : undefined,
    });
    bar?.stop();
    // Original text of a finding's file: findings are relative to each root's parent.
    const bases = paths.map((p) => path.dirname(path.resolve(p)));
    const cache = new Map<string, string | undefined>();
    const source = (file: string): string | undefined => {
      if (!cache.has(file)) {
        let text: string | undefined;
        for (const b of bases) {
          try {
            text = readFileSync(path.join(b, file)).toString('latin1');
            break;
          } catch {
            /* try the next root */
          }
        }
        cache.set(file, text);
      }
      return cache.get(file);
    };
    const input = {
      findings: result.findings,
      rules: result.rules,
      summary: result.summary,
      files: result.files,
      source,
      color: args.color ?? process.stdout.isTTY === true,
      toolVersion: TOOL_VERSION,
    };
    let out: string;
    if (args.format === 'json') out = formatJson(input);
    else if (args.format === 'sarif') out = formatSarif(input);
    else out = args.summary ? formatSummary(input) : formatText(input);
    if (args.summary && args.format === 'text') out = formatSummary(input);
    process.stdout.write(out);
    if (args.html) {
      const index = writeHtmlReport(args.html, reportData({ title: `xenoport scan: ${paths.join(' ')}`, tool: TOOL_VERSION, kernelDir: bases[0]!, scan: result, source }));
      process.stderr.write(`scan: the HTML report: ${index}\n`);
    }
    process.exitCode = result.findings.length > 0 ? 1 : 0;
  },
};
