/*
 * `xenoport rules list|test|explain`: the rules in rules/*.yaml, their inline
 * tests, and one rule in full (what it matches, what to use under Xen, the fix
 * templates). `rules test` exits 1 if any inline test fails.
 */
import type { CommandModule } from 'yargs';
import { stdoutColors } from '../colors.js';
import { UsageError } from '../../errors.js';

interface RulesArgs {
  action: string;
  id?: string;
  rules?: string;
  category?: string;
}

export const rulesCommand: CommandModule<object, RulesArgs> = {
  command: 'rules <action> [id]',
  describe: 'List, test or explain the scan rules',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['list', 'test', 'explain'], demandOption: true, describe: 'what to do' })
      .positional('id', { type: 'string', describe: 'rule id (explain; test: only this rule)' })
      .option('rules', { type: 'string', describe: 'rules directory (default: the bundled rules/)' })
      .option('category', { type: 'string', describe: 'list: only this category' })
      .example('$0 rules list', 'every rule with its category, severity and Xen action')
      .example('$0 rules test', 'run every rule\'s inline match / no-match / fix tests')
      .example('$0 rules explain pte-write', 'show one rule in full') as never,
  handler: async (args) => {
    // The rules and their tests load when the command runs, not for --help.
    const { loadRules, runRuleTests } = await import('../../analyze/index.js');
    const c = stdoutColors;
    const { rules } = loadRules(args.rules);
    if (args.action === 'list') {
      const list = rules.filter((r) => !args.category || r.category === args.category);
      const w = Math.max(...list.map((r) => r.id.length));
      const cw = Math.max(...list.map((r) => r.category.length));
      for (const r of list)
        process.stdout.write(`${c.bold(r.id.padEnd(w))}  ${r.category.padEnd(cw)}  ${r.severity.padEnd(7)}  ${r.fix.xen.padEnd(10)}  ${r.message}\n`);
      process.stdout.write(c.dim(`${list.length} rules\n`));
      return;
    }
    if (args.action === 'explain') {
      if (!args.id) throw new UsageError('rules explain needs a rule id; `xenoport rules list` shows them');
      const r = rules.find((x) => x.id === args.id);
      if (!r) throw new UsageError(`no rule named '${args.id}'; \`xenoport rules list\` shows them`);
      const lines = [
        `${c.bold(r.id)}  (${r.category}, ${r.severity})  defined at ${r.source.file}:${r.source.line}`,
        '',
        `Under Xen: ${r.message}`,
        '',
        r.docs,
        '',
        `Match: ${JSON.stringify(r.match, null, 2).replace(/\n/g, '\n  ')}`,
        '',
        `Action under Xen: ${r.fix.xen}`,
        `  breakpoint template: ${r.fix.breakpoint}`,
        `  breakpoint (asm):    ${r.fix.breakpointAsm}`,
        ...(r.fix.hypercall ? [`  hypercall template:  ${r.fix.hypercall}`] : []),
        ...(r.fix.hypercallAsm ? [`  hypercall (asm):     ${r.fix.hypercallAsm}`] : []),
        '',
        `Inline tests: ${r.tests.match.length} match, ${r.tests.noMatch.length} no-match, ${r.tests.fix.length} fix`,
        ...r.tests.match.map((s) => `  match (${s.lang}):    ${s.code.replace(/\n/g, '\\n')}`),
        ...r.tests.noMatch.map((s) => `  no-match (${s.lang}): ${s.code.replace(/\n/g, '\\n')}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
      return;
    }
    const only = args.id ? rules.filter((r) => r.id === args.id) : undefined;
    if (args.id && only!.length === 0) throw new UsageError(`no rule named '${args.id}'`);
    const results = runRuleTests(rules, only);
    const bad = results.filter((r) => r.outcome !== 'ok');
    for (const b of bad) process.stdout.write(`${c.red('FAIL')} ${b.ruleId} ${b.kind}[${b.index}] ${b.outcome}: ${b.detail ?? ''}\n`);
    const ruleCount = new Set(results.map((r) => r.ruleId)).size;
    process.stdout.write(`${bad.length === 0 ? c.green('ok') : c.red('failed')}: ${results.length - bad.length}/${results.length} inline tests passed in ${ruleCount} rules\n`);
    process.exitCode = bad.length === 0 ? 0 : 1;
  },
};
