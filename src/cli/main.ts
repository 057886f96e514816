#!/usr/bin/env node
/*
 * The xenoport command line: parses arguments and hands each command to the library.
 * Commands live in ./commands, one file each, listed in ./commands/index.ts; only the
 * command that runs is loaded (with the libraries it needs), so `--help` and
 * `--version` start in a fraction of the time a command takes to load.
 * Exit codes follow grep: 0 nothing found / success, 1 findings, 2 error.
 * Colour follows NO_COLOR and FORCE_COLOR (colors.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type yargsType from 'yargs';
import { commands, invoked } from './commands/index.js';
import { printError } from './print-error.js';
import { PROJECT_ROOT } from './paths.js';

// yargs' CommonJS build wraps help text with wrap-ansi, at word boundaries; its ES
// module build breaks lines in the middle of words.
const require = createRequire(import.meta.url);
const yargs = require('yargs') as typeof yargsType;
const { hideBin } = require('yargs/helpers') as { hideBin: (argv: string[]) => string[] };

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<void> {
  const args = hideBin(argv);
  let cli = yargs(args)
    .scriptName('xenoport')
    .usage('$0 <command> [options]\n\nPorts a FreeBSD-style i386 kernel to a Xen-style hypervisor and boots it.')
    .strict()
    .demandCommand(1, 'Name a command; `xenoport --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 80))
    .fail((msg, err) => {
      // yargs wraps what an option's coerce throws (our UsageError) in its own YError:
      // the user's mistake, shown without a stack trace. Errors from a command's
      // handler go on to printError (file:line:col and the caret).
      if (err && err.name !== 'YError') throw err;
      process.stderr.write(`xenoport: ${msg ?? err.message}\nTry \`xenoport <command> --help\`.\n`);
      process.exit(2);
    })
    .help()
    .alias('h', 'help')
    .version(version())
    .alias('V', 'version');
  const chosen = invoked(args);
  for (const c of commands) {
    if (c === chosen) cli = cli.command(await c.load());
    else cli = cli.command([c.command, ...(c.aliases ?? [])], c.describe);
  }
  cli = cli.epilogue('Every command takes --help and shows an example.');
  await cli.parseAsync();
}

// A reader that stops early (`xenoport scan | head`) is not an error: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv).catch((err: unknown) => {
  process.exitCode = printError(err);
});
