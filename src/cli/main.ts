#!/usr/bin/env node
/*
 * The xenoport command line: parses arguments and hands each command to the library.
 * Commands live in ./commands, one file each, listed in ./commands/index.ts.
 * Exit codes follow grep: 0 nothing found / success, 1 findings, 2 error.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { printError } from './print-error.js';
import { XenoportError } from '../errors.js';

async function main(argv: string[]): Promise<void> {
  let cli = yargs(hideBin(argv))
    .scriptName('xenoport')
    .usage('$0 <command> [options]\n\nPorts a FreeBSD-style i386 kernel to a Xen-style hypervisor and boots it.')
    .strict()
    .demandCommand(1, 'Name a command; `xenoport --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      // yargs wraps what an option's coerce throws (our UsageError) in its own YError:
      // both are the user's mistake, shown without a stack trace.
      if (err && err.name !== 'YError' && !(err instanceof XenoportError)) throw err;
      process.stderr.write(`xenoport: ${msg ?? err.message}\nTry \`xenoport <command> --help\`.\n`);
      process.exit(2);
    })
    .help()
    .alias('h', 'help')
    .version(false);
  for (const command of commands) cli = cli.command(command);
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
