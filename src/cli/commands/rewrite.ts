/*
 * `xenoport rewrite`: findings -> edits from each rule's fix, on any tree, in
 * breakpoint (step 8) or hypercall (step 10) mode. Prints a summary, or with
 * --diff a unified diff for `git apply` at --root; --out writes the rewritten copy
 * elsewhere; --in-place replaces the files in the tree, each atomically. One of the
 * three must be chosen.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { listOption } from '../options.js';
import { UsageError } from '../../errors.js';
import { displayRoot } from '../paths.js';
import type { RewriteMode } from '../../rewrite/index.js';

interface RewriteArgs {
  path: string;
  root?: string;
  mode: string;
  rules?: string;
  diff: boolean;
  out?: string;
  'in-place': boolean;
  force: boolean;
  guard: string;
  unguarded: boolean;
  define?: string[];
  undef?: string[];
  arch?: string;
}

export const rewriteCommand: CommandModule<object, RewriteArgs> = {
  command: 'rewrite [path]',
  describe: 'Turn scan findings into breakpoint stubs or Xen calls; --diff prints a unified diff',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'the tree to rewrite (a sys directory; default: the current directory)' })
      .option('root', { type: 'string', requiresArg: true, describe: 'paths in the diff are relative to this directory, for `git apply` there (default: the top of the git work tree, else the current directory)' })
      .option('mode', { choices: ['breakpoint', 'hypercall'], default: 'breakpoint', describe: 'seed step 8 or step 10' })
      .option('rules', { type: 'string', describe: 'rule directory (default: the bundled rules/)' })
      .option('diff', { type: 'boolean', default: false, describe: 'print the unified diff on stdout' })
      .option('out', { type: 'string', describe: 'write the rewritten copy to this directory' })
      .option('in-place', { type: 'boolean', default: false, describe: 'replace the rewritten files in the tree itself, each atomically (nothing is written if a file changed since it was read)' })
      .option('force', { type: 'boolean', default: false, describe: 'with --out: overwrite a hand-edited copy' })
      .option('guard', { type: 'string', default: 'XEN', describe: 'each change goes in #ifdef GUARD / #else (the original) / #endif, so the tree still builds natively' })
      .option('unguarded', { type: 'boolean', default: false, describe: 'write the changes without #ifdef guards (a Xen-only copy)' })
      .option('define', { alias: 'D', ...listOption({ describe: 'cpp: NAME[=value] is defined for the scan' }) })
      .option('undef', { alias: 'U', ...listOption({ describe: 'cpp: NAME is undefined for the scan' }) })
      .option('arch', { type: 'string', describe: 'the architecture (default i386): its macros, its include directory for the guest API header' })
      .example('$0 rewrite sys --mode breakpoint --diff > step8.patch', 'the step-8 patch of the tree sys/ (apply with git apply at the top of the work tree)')
      .example('$0 rewrite sample-kernel/sys --mode hypercall --out /tmp/rw', 'a rewritten copy, each change under #ifdef XEN')
      .example('$0 rewrite sample-kernel/sys --mode hypercall --unguarded --diff', 'the Xen-only patch, no #ifdef')
      .example('$0 rewrite sys --mode breakpoint --in-place', 'rewrite the tree itself (in a git work tree, `git diff` shows what changed)'),
  handler: async (args) => {
    if (!args.diff && !args.out && !args['in-place']) throw new UsageError('choose an output: --diff (a patch on stdout), --out DIR (a rewritten copy) or --in-place (the tree itself)');
    if (args.out && args['in-place']) throw new UsageError('--out and --in-place both choose where the rewrite goes: choose one');
    // The rewrite and the scanner load when a rewrite runs, not for --help.
    const { RULES_DIR, displayPath } = await import('../../analyze/index.js');
    const { rewriteTree } = await import('../../rewrite/index.js');
    const defines = [...(args.define ?? []).map((d) => `D${d}`), ...(args.undef ?? []).map((u) => `U${u}`)];
    const root = displayRoot(args.root);
    const where = displayPath(path.resolve(args.path), root);
    if (args.diff && where.startsWith('/')) process.stderr.write(`rewrite: ${args.path} is outside ${root}: the diff is for patch -p1 in ${path.dirname(path.resolve(args.path))}\n`);
    const r = await rewriteTree({
      root: args.path,
      rules: args.rules ?? RULES_DIR,
      mode: args.mode as RewriteMode,
      out: args.out,
      inPlace: args['in-place'],
      force: args.force,
      guard: args.unguarded ? undefined : args.guard,
      arch: args.arch,
      // In place, the tree may hold an earlier rewrite: with a cpp configuration the
      // scan leaves code under #ifdef XEN (and its #else) alone, so a second run changes nothing.
      scope: args.arch || defines.length || args['in-place'] ? { arch: args.arch ?? 'i386', defines } : undefined,
      diffPrefix: where.startsWith('/') ? undefined : where,
    });
    if (args.diff) process.stdout.write(Buffer.from(r.diff, 'latin1'));
    const kinds = new Map<string, number>();
    for (const e of r.edits) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    process.stderr.write(
      `rewrite (${args.mode}): ${r.edits.length} edits in ${r.changedFiles.length} files (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${r.left} sites left native${r.suppressed ? `, ${r.suppressed} suppressed (xenoport-ignore)` : ''}\n`,
    );
    for (const n of r.notes.slice(0, 20)) process.stderr.write(`  note: ${n.where}: ${n.ruleId}: ${n.text}\n`);
    if (r.notes.length > 20) process.stderr.write(`  ... ${r.notes.length - 20} more notes\n`);
  },
};
