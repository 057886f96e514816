/*
 * `xenoport scan [paths..]`: finds what a Xen port must change (privileged and
 * sensitive instructions, their wrappers, page-table writes, CPU features,
 * addresses in the hypervisor hole, the console path) and reports it as text,
 * JSON or SARIF, with each finding's status from the audit file when there is one.
 * Exit status like grep: 0 nothing found, 1 findings (open ones, with an audit
 * file), 2 error. runScan and auditOf serve `xenoport audit` too.
 */
import { integerOption, listOption } from '../options.js';
import { displayRoot, gitTopLevel } from '../paths.js';
import { colorWanted } from '../colors.js';
import { UsageError } from '../../errors.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { SingleBar } from 'cli-progress';
import type { AuditEntry, AuditView, Category, ScanOptions, ScanResult, Severity } from '../../analyze/index.js';

// The scanner and its reporters load when a scan runs, not for --help.
const analyze = () => import('../../analyze/index.js');

const SEVERITY_RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

/**
 * The fingerprints of what a scan of git revision `rev` finds: the same paths and
 * options on the tree exported from the work tree holding `root`.
 */
async function baselineOfCommit(rev: string, paths: string[], root: string, options: (paths: string[], relativeTo: string) => ScanOptions): Promise<Set<string>> {
  const top = gitTopLevel(root);
  if (!top) throw new UsageError(`--baseline-commit needs a git work tree: ${root} is not in one`);
  const inTop = (p: string): string => {
    const r = path.relative(top, path.resolve(p));
    if (r.startsWith('..') || path.isAbsolute(r)) throw new UsageError(`--baseline-commit: ${p} is outside the git work tree ${top}`);
    return r;
  };
  const { exportRevision, scan } = await analyze();
  const { dir, remove } = await exportRevision(top, rev);
  try {
    const old = await scan(options(paths.map((p) => path.join(dir, inTop(p))), path.join(dir, inTop(root))));
    return new Set([...old.findings, ...old.suppressed].map((f) => f.fingerprint!));
  } finally {
    remove();
  }
}

export interface ScanArgs {
  paths?: string[];
  root?: string;
  format: string;
  'sarif-category': string;
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
  ignore: boolean;
  baseline?: string;
  'baseline-commit'?: string;
  'min-severity'?: string;
  'error-on': string;
  hidden: boolean;
  'follow-symlinks': boolean;
  audit?: string | false;
}

/** A scan as the command line asked for it, and what the reporters need beside the result. */
export interface ScanRun {
  result: ScanResult;
  root: string;
  paths: string[];
  baseline?: Set<string>;
  /** Latin-1 text of a finding's file (paths relative to the root, or absolute). */
  source: (file: string) => string | undefined;
}

/** Runs the scan `args` describe (scan's options; `audit` uses them too). */
export async function runScan(args: ScanArgs, progress = true): Promise<ScanRun> {
  const { CATEGORIES, loadRules, readBaseline, scan } = await analyze();
  for (const c of args.category ?? [])
    if (!(CATEGORIES as readonly string[]).includes(c)) throw new UsageError(`--category ${c}: no such category; choose from ${CATEGORIES.join(', ')}`);
  const paths = args.paths && args.paths.length > 0 ? args.paths : ['.'];
  const root = displayRoot(args.root);
  if (args.baseline && args['baseline-commit']) throw new UsageError('--baseline and --baseline-commit both name a baseline: choose one');
  const ruleSet = loadRules(args.rules);
  const showProgress = progress && (args.progress ?? (process.stderr.isTTY === true && args.format === 'text'));
  const cliProgress = showProgress ? (await import('cli-progress')).default : undefined;
  let bar: SingleBar | undefined;
  const options = (scanPaths: string[], relativeTo: string): ScanOptions => ({
    paths: scanPaths,
    rules: ruleSet,
    ruleIds: args.rule,
    categories: args.category as Category[] | undefined,
    minSeverity: args['min-severity'] as Severity | undefined,
    exclude: args.exclude,
    relativeTo,
    gitignore: args.ignore,
    hidden: args.hidden,
    followSymlinks: args['follow-symlinks'],
    maxFileBytes: args['max-file-size'] * 1024 * 1024,
    cache: args.cache ? undefined : false,
    workers: args.jobs,
    defines: [...(args.define ?? []).map((d) => `D${d}`), ...(args.undef ?? []).map((u) => `U${u}`)],
    arch: args.arch,
    allBranches: args['all-branches'],
  });
  let baseline: Set<string> | undefined;
  if (args.baseline) baseline = readBaseline(args.baseline);
  if (args['baseline-commit']) baseline = await baselineOfCommit(args['baseline-commit'], paths, root, options);
  const result = await scan({
    ...options(paths, root),
    baseline,
    onProgress: cliProgress
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
  // Original text of a finding's file: findings are relative to the root (or absolute).
  const cache = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (!cache.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.resolve(root, file)).toString('latin1');
      } catch {
        /* shown without a code frame */
      }
      cache.set(file, text);
    }
    return cache.get(file);
  };
  return { result, root, paths, baseline, source };
}

/** The audit file a scan reads: --audit, else xenoport-audit.yaml at the root; undefined with --no-audit. */
export function auditFileOf(args: { audit?: string | false }, root: string, name: string): string | undefined {
  if (args.audit === false) return undefined;
  return args.audit ? path.resolve(args.audit) : path.join(root, name);
}

/**
 * The audit file's view of a scan: each finding's status and the stale entries. An
 * entry is stale only where the scan looked: its path was scanned (or is gone from a
 * scanned directory), its rule passed --rule, --category and --min-severity, and no
 * baseline left findings out.
 */
export async function auditOf(args: ScanArgs, run: ScanRun): Promise<AuditView | undefined> {
  const { AUDIT_FILE, auditView, displayPath, readAudit } = await analyze();
  const file = auditFileOf(args, run.root, AUDIT_FILE);
  const audit = file === undefined ? undefined : readAudit(file);
  if (!audit) return undefined;
  const { result, root } = run;
  const state = new Map(result.files.map((f) => [f.file, f.state]));
  const scanned = run.paths.map((p) => displayPath(path.resolve(p), root));
  const under = (p: string): boolean => scanned.some((s) => s === '' || p === s || p.startsWith(`${s}/`));
  const suppressed = new Set(result.suppressed.map((f) => f.fingerprint));
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const covered = (e: AuditEntry): boolean => {
    if (run.baseline || suppressed.has(e.fingerprint)) return false;
    const rule = rules.get(e.rule);
    if (args.rule && !args.rule.includes(e.rule)) return false;
    if (args.category && !(rule && args.category.includes(rule.category))) return false;
    if (args['min-severity'] && !(rule && SEVERITY_RANK[rule.severity] >= SEVERITY_RANK[args['min-severity'] as Severity])) return false;
    const st = state.get(e.path);
    if (st !== undefined) return st === 'scanned' || st === 'cached';
    return under(e.path) && !existsSync(path.resolve(root, e.path));
  };
  return auditView(audit, result.findings, covered, displayPath(audit.file, root));
}

export const scanCommand: CommandModule<object, ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'Find privileged instructions, page-table writes and other Xen porting sites',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: the current directory)' })
      .option('root', { type: 'string', requiresArg: true, describe: 'report paths relative to this directory (default: the top of the git work tree, else the current directory)' })
      .option('format', { alias: 'f', type: 'string', choices: ['text', 'json', 'sarif', 'github', 'gcc'], default: 'text', describe: 'output format: text for people, json, sarif (GitHub code scanning), github (Actions annotations), gcc (file:line:col: lines for editors)' })
      .option('sarif-category', { type: 'string', requiresArg: true, default: 'xenoport/', describe: 'SARIF automationDetails.id: GitHub\'s category for this analysis (distinct scans of one repository need distinct ones)' })
      .option('summary', { type: 'boolean', default: false, describe: 'print counts per category, rule and file instead of findings' })
      .option('rule', listOption({ describe: 'only findings of this rule id' }))
      .option('category', listOption({ describe: 'only findings of this category (the categories are in `xenoport rules list`)' }))
      .option('max-file-size', integerOption({ default: 16, min: 1, max: 1024, describe: 'skip (and report) source files larger than this many MiB; parsing costs about 150 bytes of memory per byte' }))
      .option('exclude', listOption({ describe: 'skip paths matching this glob (matched against the reported path, the path inside the scanned directory and the base name)' }))
      .option('baseline', { type: 'string', requiresArg: true, describe: 'report only findings that are not in this earlier `scan --format json` output' })
      .option('baseline-commit', { type: 'string', requiresArg: true, describe: 'report only findings that a scan of this git revision did not find' })
      .option('min-severity', { type: 'string', choices: ['note', 'warning', 'error'], describe: 'leave out findings below this severity' })
      .option('error-on', { type: 'string', choices: ['note', 'warning', 'error', 'none'], default: 'note', describe: 'exit 1 when a reported finding has at least this severity (none: only errors of the tool exit non-zero)' })
      .option('ignore', { type: 'boolean', default: true, describe: 'leave out what .gitignore files ignore (--no-ignore: scan it too)' })
      .option('hidden', { type: 'boolean', default: false, describe: 'walk hidden directories too (never .git)' })
      .option('follow-symlinks', { type: 'boolean', default: false, describe: 'follow symlinks that lead out of the scanned tree' })
      .option('rules', { type: 'string', describe: 'rules directory (default: the bundled rules/)' })
      .option('cache', { type: 'boolean', default: true, describe: 'use the content-hash cache ($XENOPORT_CACHE_DIR, else .xenoport/cache of the project, else ~/.cache/xenoport; --no-cache: parse everything)' })
      .option('jobs', { alias: 'j', ...integerOption({ min: 0, max: 256, describe: 'worker threads (0: scan in the main thread; default: one per core)' }) })
      .option('color', { type: 'boolean', describe: 'colour the text output (default: when stdout is a terminal)' })
      .option('progress', { type: 'boolean', describe: 'show a progress bar on stderr (default: when stderr is a terminal)' })
      .option('define', { alias: 'D', ...listOption({ describe: 'cpp: NAME[=value] is defined (branches it rules out are not scanned)' }) })
      .option('undef', { alias: 'U', ...listOption({ describe: 'cpp: NAME is undefined' }) })
      .option('arch', { type: 'string', describe: 'scan for this architecture: its macros defined, other architectures\' directories and existing xen/ ports skipped' })
      .option('audit', { type: 'string', requiresArg: true, describe: 'the audit file: each finding\'s status, open, ported or accepted (default: xenoport-audit.yaml at the root; --no-audit: none)' })
      .option('html', { type: 'string', requiresArg: true, describe: 'also write the HTML report of the findings (tiles per file, code frames) into this directory' })
      .option('all-branches', { type: 'boolean', default: false, describe: 'also report findings in dead branches and in code under #ifdef XEN, marked as such' })
      .example('$0 scan', 'scan the current directory, findings grouped by file')
      .example('$0 scan /src/sys --arch i386 -D SMP -U PAE --summary', 'a real sys/ tree for i386, as an SMP kernel without PAE')
      .example('$0 scan sys/ --category pte-write --exclude "**/dev/**"', 'only page-table writes, skipping drivers')
      .example('$0 scan sys --baseline-commit origin/main', 'only the findings a change brings in')
      .example('$0 scan --format sarif > xenoport.sarif', 'SARIF 2.1.0 for a code-scanning viewer') as never,
  handler: async (args) => {
    const run = await runScan(args);
    const { result, root, paths, source } = run;
    const { displayPath, TOOL_VERSION, formatJson, formatSarif, formatGcc, formatGithub, formatSummary, formatText, isOpen, staleWarnings } = await analyze();
    const audit = await auditOf(args, run);
    const input = {
      findings: result.findings,
      suppressed: result.suppressed,
      warnings: [...result.warnings, ...(audit ? staleWarnings(audit) : [])],
      rules: result.rules,
      summary: result.summary,
      files: result.files,
      source,
      root,
      automationId: args['sarif-category'],
      scanned: paths.map((p) => displayPath(path.resolve(p), root)),
      color: args.color ?? colorWanted(process.stdout),
      toolVersion: TOOL_VERSION,
      audit,
    };
    let out: string;
    if (args.format === 'json') out = formatJson(input);
    else if (args.format === 'sarif') out = formatSarif(input);
    else if (args.format === 'github') out = formatGithub(input);
    else if (args.format === 'gcc') out = formatGcc(input);
    else out = args.summary ? formatSummary(input) : formatText(input);
    if (args.summary && args.format === 'text') out = formatSummary(input);
    process.stdout.write(out);
    if (args.html) {
      const [{ reportData }, { writeHtmlReport }] = await Promise.all([import('../../port/index.js'), import('../../report/index.js')]);
      const data = reportData({ title: `xenoport scan: ${paths.join(' ')}`, tool: TOOL_VERSION, kernelDir: root, scan: result, source });
      if (audit && data.scan) {
        // The report's rows are the scan's findings, in order: each gets its audit status.
        data.scan.findings.forEach((row, i) => {
          const s = audit.status.get(result.findings[i]!.fingerprint!);
          if (s) row.audit = s.reason ? { status: s.status, reason: s.reason } : { status: s.status };
        });
        data.scan.audit = { file: audit.file, ...audit.counts, stale: audit.stale.length };
      }
      const index = writeHtmlReport(args.html, data);
      process.stderr.write(`scan: the HTML report: ${index}\n`);
    }
    const errorOn = args['error-on'];
    // Findings the audit file marks ported or accepted are not work left: they never fail the run.
    const failing = errorOn === 'none' ? 0 : result.findings.filter((f) => isOpen(audit, f) && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[errorOn as Severity]).length;
    process.exitCode = failing > 0 ? 1 : 0;
  },
};
