/*
 * `xenoport audit`: writes the audit file (xenoport-audit.yaml at the root, see
 * src/analyze/audit.ts) that `scan` reads. `init` scans and adds every finding the
 * file lacks as open (refreshing the rule, path and line of those it has; --prune
 * drops stale entries); `set` gives one finding, named by its fingerprint or a
 * unique prefix of it, a status and a reason. The file's comments and order stay.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { integerOption, listOption } from '../options.js';
import { auditFileOf, auditOf, runScan, type ScanArgs } from './scan.js';

const analyze = () => import('../../analyze/index.js');

interface AuditArgs {
  paths?: string[];
  root?: string;
  rules?: string;
  exclude?: string[];
  arch?: string;
  define?: string[];
  undef?: string[];
  ignore: boolean;
  hidden: boolean;
  'follow-symlinks': boolean;
  cache: boolean;
  jobs?: number;
  'max-file-size': number;
  audit?: string | false;
  prune: boolean;
  fingerprint?: string;
  status?: string;
  reason?: string;
}

/** The scan `init` and `set` run: scan's defaults, with the options audit takes. */
function scanArgs(a: AuditArgs): ScanArgs {
  return {
    paths: a.paths,
    root: a.root,
    format: 'json',
    'sarif-category': 'xenoport/',
    summary: false,
    exclude: a.exclude,
    rules: a.rules,
    cache: a.cache,
    jobs: a.jobs,
    progress: false,
    define: a.define,
    undef: a.undef,
    arch: a.arch,
    'all-branches': false,
    'max-file-size': a['max-file-size'],
    ignore: a.ignore,
    'error-on': 'note',
    hidden: a.hidden,
    'follow-symlinks': a['follow-symlinks'],
    audit: a.audit,
  };
}

function scanOptions<T>(y: Argv<T>) {
  return y
    .option('root', { type: 'string', requiresArg: true, describe: 'the directory paths are relative to and the audit file is in (default: the top of the git work tree, else the current directory)' })
    .option('audit', { type: 'string', requiresArg: true, describe: 'the audit file (default: xenoport-audit.yaml at the root)' })
    .option('rules', { type: 'string', describe: 'rules directory (default: the bundled rules/)' })
    .option('exclude', listOption({ describe: 'skip paths matching this glob' }))
    .option('arch', { type: 'string', describe: 'scan for this architecture (as scan --arch)' })
    .option('define', { alias: 'D', ...listOption({ describe: 'cpp: NAME[=value] is defined' }) })
    .option('undef', { alias: 'U', ...listOption({ describe: 'cpp: NAME is undefined' }) })
    .option('ignore', { type: 'boolean', default: true, describe: 'leave out what .gitignore files ignore' })
    .option('hidden', { type: 'boolean', default: false, describe: 'walk hidden directories too' })
    .option('follow-symlinks', { type: 'boolean', default: false, describe: 'follow symlinks that lead out of the scanned tree' })
    .option('cache', { type: 'boolean', default: true, describe: 'use the scan cache' })
    .option('jobs', { alias: 'j', ...integerOption({ min: 0, max: 256, describe: 'worker threads' }) })
    .option('max-file-size', integerOption({ default: 16, min: 1, max: 1024, describe: 'skip source files larger than this many MiB' }));
}

async function init(args: AuditArgs): Promise<void> {
  const { AUDIT_FILE, displayPath, emptyAudit, readAudit, updateAudit, writeAudit } = await analyze();
  const run = await runScan(scanArgs(args), false);
  const file = auditFileOf(args, run.root, AUDIT_FILE)!;
  const audit = readAudit(file) ?? emptyAudit(file);
  const view = await auditOf(scanArgs(args), run);
  const stale = view?.stale ?? [];
  const { added, pruned } = updateAudit(audit, run.result.findings, stale, args.prune);
  writeAudit(audit);
  const name = displayPath(file, run.root) || path.basename(file);
  const entries = audit.entries.size + added - pruned;
  process.stdout.write(`${name}: ${added} new open entr${added === 1 ? 'y' : 'ies'}, ${entries} in all${pruned ? `; ${pruned} stale removed` : ''}.\n`);
  if (!args.prune && stale.length > 0) process.stdout.write(`${stale.length} stale entr${stale.length === 1 ? 'y' : 'ies'} (no longer found): --prune removes ${stale.length === 1 ? 'it' : 'them'}.\n`);
}

async function set(args: AuditArgs): Promise<void> {
  const { AUDIT_FILE, AUDIT_STATUSES, displayPath, emptyAudit, matchFingerprint, readAudit, setAuditStatus, writeAudit } = await analyze();
  const status = args.status as (typeof AUDIT_STATUSES)[number];
  if (!(AUDIT_STATUSES as readonly string[]).includes(status)) throw new UsageError(`status ${args.status}: choose from ${AUDIT_STATUSES.join(', ')}`);
  if (status === 'accepted' && !args.reason?.trim()) throw new UsageError('an accepted finding needs a reason: --reason "why it stays"');
  const fp = String(args.fingerprint).trim();
  if (!/^[0-9a-f]{4,32}(:[0-9]+)?$/.test(fp)) throw new UsageError(`${fp} is not a fingerprint: at least 4 hex digits of one (scan --format json lists them; the text report shows them with an audit file)`);
  const root = (await import('../paths.js')).displayRoot(args.root);
  const file = auditFileOf(args, root, AUDIT_FILE)!;
  const audit = readAudit(file) ?? emptyAudit(file);
  let found = matchFingerprint(audit.entries.keys(), fp);
  let finding;
  if (found.length === 0) {
    // Not in the file yet: the scan says which finding it is.
    const run = await runScan(scanArgs(args), false);
    const byFp = new Map(run.result.findings.map((f) => [f.fingerprint!, f]));
    found = matchFingerprint(byFp.keys(), fp);
    if (found.length === 1) finding = byFp.get(found[0]!);
  }
  if (found.length === 0) throw new UsageError(`no finding has the fingerprint ${fp}: neither ${displayPath(file, root) || file} nor a scan of ${args.paths?.join(' ') || '.'} names it`);
  if (found.length > 1) throw new UsageError(`${fp} is the start of ${found.length} fingerprints (${found.slice(0, 4).join(', ')}${found.length > 4 ? ', ...' : ''}): give more of it`);
  setAuditStatus(audit, found[0]!, status, args.reason, finding);
  writeAudit(audit);
  const e = audit.entries.get(found[0]!);
  const what = finding ? `${finding.ruleId} at ${finding.file}:${finding.line}` : e ? `${e.rule} in ${e.path}` : '';
  process.stdout.write(`${displayPath(file, root) || file}: ${found[0]} (${what}) is ${status}${args.reason ? `: ${args.reason.trim()}` : ''}\n`);
}

export const auditCommand: CommandModule<object, AuditArgs> = {
  command: 'audit',
  describe: 'Keep each finding\'s status (open, ported, accepted) in xenoport-audit.yaml, which scan reads',
  builder: (y) =>
    y
      .command('init [paths..]', 'scan and add every finding the audit file lacks as open (--prune: drop stale entries)', (c) =>
        scanOptions(c)
          .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: the current directory)' })
          .option('prune', { type: 'boolean', default: false, describe: 'remove entries whose finding the scan no longer finds' }),
        (a) => init(a as unknown as AuditArgs),
      )
      .command('set <fingerprint> <status> [paths..]', 'give one finding a status: open, ported or accepted (with --reason)', (c) =>
        scanOptions(c)
          .positional('fingerprint', { type: 'string', describe: 'the finding\'s fingerprint, or a unique prefix of it' })
          .positional('status', { type: 'string', choices: ['open', 'ported', 'accepted'], describe: 'its new status' })
          .positional('paths', { type: 'string', array: true, describe: 'where to scan for a finding the file lacks (default: the current directory)' })
          .option('reason', { type: 'string', requiresArg: true, describe: 'why (required for accepted)' }),
        (a) => set(a as unknown as AuditArgs),
      )
      .demandCommand(1, 'Name an action: init or set.')
      .example('$0 audit init sys', 'write xenoport-audit.yaml with every finding under sys/ as open')
      .example('$0 audit set 3f2a9c accepted --reason "runs before Xen is up"', 'accept one finding, named by the start of its fingerprint')
      .example('$0 audit init sys --prune', 'add new findings, drop entries whose finding is gone') as never,
  // demandCommand: one of the actions above always runs instead.
  handler: () => {},
};
