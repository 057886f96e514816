/*
 * Every CLI command, in pipeline order, as what `xenoport --help` lists (its usage
 * line, description and aliases) and a loader of its module. A command's module, and
 * the libraries it needs, load only when that command runs, so `--help` and
 * `--version` start without them. Each module lives in its own file and exports a
 * yargs CommandModule whose command, describe and aliases are the ones here
 * (tests/cli/startup.test.ts checks they agree). Add a command with one entry.
 */
import type { CommandModule } from 'yargs';

export interface LazyCommand {
  command: string;
  describe: string;
  aliases?: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load: () => Promise<CommandModule<any, any>>;
}

export const commands: LazyCommand[] = [
  { command: 'scan [paths..]', describe: 'Find privileged instructions, page-table writes and other Xen porting sites', load: async () => (await import('./scan.js')).scanCommand },
  { command: 'rules <action> [id]', describe: 'List, test or explain the scan rules', load: async () => (await import('./rules.js')).rulesCommand },
  { command: 'audit', describe: 'Keep each finding\'s status (open, ported, accepted) in xenoport-audit.yaml, which scan reads', load: async () => (await import('./audit.js')).auditCommand },
  { command: 'rewrite [path]', describe: 'Turn scan findings into breakpoint stubs or Xen calls; --diff prints a unified diff', load: async () => (await import('./rewrite.js')).rewriteCommand },
  {
    command: 'xenify',
    aliases: ['pipeline'],
    describe: 'Generate sys/i386-xeno from sys/i386 by running the pipeline file (xenoport.pipeline.yaml), skipping unchanged stages',
    load: async () => (await import('./xenify.js')).xenifyCommand,
  },
  { command: 'kernel', describe: 'Build the native kernel with gcc/ld; --qemu also boots it in QEMU', load: async () => (await import('./kernel.js')).kernelCommand },
  { command: 'compile [files..]', describe: 'Compile kernel C files to IR (system cpp + xenoport C front end) and link them', load: async () => (await import('./compile.js')).compileCommand },
  { command: 'run <files..>', describe: 'Compile a C program with the xenoport compiler and libc and run it on the IR engine', load: async () => (await import('./run.js')).runCommand },
  {
    command: 'boot',
    describe: 'Boot the i386-xeno kernel under the bundled hypervisor (--native: the native kernel on the emulated PC)',
    load: async () => (await import('./boot.js')).bootCommand,
  },
  { command: 'port', describe: 'Port loop: boot in breakpoint mode, switch each stub hit to hypercall mode, until the root mount', load: async () => (await import('./port.js')).portCommand },
  { command: 'start', describe: 'Run the whole pipeline on the bundled sample kernel (what `npm start` does)', load: async () => (await import('./start.js')).startCommand },
];

/** The command `argv` (without node and the script) names, if any: its first word that is not an option. */
export function invoked(argv: string[]): LazyCommand | undefined {
  const word = argv.find((a) => !a.startsWith('-'));
  if (word === undefined) return undefined;
  return commands.find((c) => c.command.split(' ')[0] === word || (c.aliases ?? []).includes(word));
}
