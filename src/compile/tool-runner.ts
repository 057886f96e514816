/*
 * Runs the preprocessor from a small helper process rather than from this one.
 * Starting a program forks the process that starts it, and the fork's cost grows
 * with that process's memory: from a Node process holding a kernel's IR, the JIT
 * and a guest's memory (700 MB) one cpp costs about 40 ms of wall time and 17 ms of
 * system time, from a 40 MB one about 4 ms. A build in the port loop runs cpp for
 * every file whose inputs changed, and the loop builds 29 times.
 *
 * The helper is a Node process started once per thread on first use (`node -e`,
 * so it needs no file of its own), told over its IPC channel which program to run
 * with which arguments and directory; it answers with the exit code and the output
 * as text. It holds no reference while idle (it never keeps this process alive) and
 * ends when this process or thread does (the channel closes). When it cannot be
 * started or is lost, or XENOPORT_TOOL_RUNNER=0, the program is run from here
 * through execa, with the same result.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execa } from 'execa';

/** What the callers read of execa's result (reject: false, stripFinalNewline: false). */
export interface ToolResult {
  exitCode?: number;
  failed: boolean;
  stdout: string;
  stderr: string;
  shortMessage?: string;
}

const CHILD = `
const { execFile } = require('node:child_process');
process.on('message', (m) => {
  execFile(m.cmd, m.args, { cwd: m.cwd, maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
    const code = err ? (typeof err.code === 'number' ? err.code : undefined) : 0;
    const spawnError = err && code === undefined ? String(err.message) : undefined;
    process.send({ id: m.id, code, stdout, stderr, spawnError });
  });
});
process.on('disconnect', () => process.exit(0));
`;

interface Answer {
  id: number;
  code?: number;
  stdout: string;
  stderr: string;
  spawnError?: string;
  lost?: boolean;
}

let child: ChildProcess | undefined;
let unusable = false;
let nextId = 1;
const pending = new Map<number, (a: Answer) => void>();

function hold(on: boolean): void {
  const c = child as (ChildProcess & { channel?: { ref(): void; unref(): void } }) | undefined;
  if (!c) return;
  if (on) {
    c.ref();
    c.channel?.ref();
  } else {
    c.unref();
    c.channel?.unref();
  }
}

function lose(): void {
  child = undefined;
  unusable = true;
  for (const f of pending.values()) f({ id: 0, stdout: '', stderr: '', lost: true });
  pending.clear();
}

function helper(): ChildProcess | undefined {
  if (unusable || process.env.XENOPORT_TOOL_RUNNER === '0') return undefined;
  if (!child) {
    try {
      child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] } as Parameters<typeof spawn>[2]);
    } catch {
      unusable = true;
      return undefined;
    }
    child.on('message', (m: Answer) => {
      const f = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) hold(false);
      f?.(m);
    });
    child.on('exit', lose);
    child.on('error', lose);
    hold(false);
  }
  return child;
}

/**
 * Runs `cmd args` (in `cwd`, default the current directory) and collects its output,
 * as `execa(cmd, args, { reject: false, stripFinalNewline: false })` does.
 */
export async function runTool(cmd: string, args: string[], cwd = process.cwd()): Promise<ToolResult> {
  const c = helper();
  if (c) {
    const id = nextId++;
    const answer = await new Promise<Answer>((resolve) => {
      pending.set(id, resolve);
      if (pending.size === 1) hold(true);
      try {
        c.send({ id, cmd, args, cwd });
      } catch {
        pending.delete(id);
        resolve({ id, stdout: '', stderr: '', lost: true });
      }
    });
    if (!answer.lost) {
      const failed = answer.code !== 0;
      const shortMessage = answer.spawnError
        ? `Command failed: ${cmd}: ${answer.spawnError}`
        : failed
          ? `Command failed with exit code ${answer.code}: ${cmd} ${args.join(' ')}`
          : undefined;
      return { exitCode: answer.code, failed, stdout: answer.stdout, stderr: answer.stderr, shortMessage };
    }
  }
  const r = await execa(cmd, args, { reject: false, stripFinalNewline: false, cwd });
  return { exitCode: r.exitCode, failed: r.failed, stdout: String(r.stdout), stderr: String(r.stderr), shortMessage: r.shortMessage };
}
