/*
 * Every CLI command, in pipeline order. Each lives in its own file and exports a
 * yargs CommandModule; add a new one here with a single line.
 */
import type { CommandModule } from 'yargs';
import { kernelCommand } from './kernel.js';
import { startCommand } from './start.js';
import { compileCommand } from './compile.js';
import { runCommand } from './run.js';
import { scanCommand } from './scan.js';
import { rulesCommand } from './rules.js';
import { rewriteCommand } from './rewrite.js';
import { xenifyCommand } from './xenify.js';
import { bootCommand } from './boot.js';
import { portCommand } from './port.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  scanCommand,
  rulesCommand,
  rewriteCommand,
  xenifyCommand,
  kernelCommand,
  compileCommand,
  runCommand,
  bootCommand,
  portCommand,
  startCommand,
];
