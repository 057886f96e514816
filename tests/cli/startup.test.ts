/*
 * The CLI behaves like its peers: --version, a --help that loads no command (so it
 * starts at once; the modules it loads are checked, not its time, which a shared
 * machine makes noisy) and wraps at word boundaries, NO_COLOR and FORCE_COLOR, and a
 * command list that says what each command's own module says.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { colorWanted } from '../../src/cli/colors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-startup-'));

/*
 * Which modules a run of the CLI loads: a resolve hook, registered before main.js
 * runs, appends every URL it resolves to a log file. Node runs the hooks on their own
 * thread, so they write to a file rather than to the test's memory.
 */
writeFileSync(path.join(work, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.XENO_LOAD_LOG, r.url + '\\n'); return r; }\n");
writeFileSync(path.join(work, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");

async function loadedModules(args: string[]): Promise<string[]> {
  const log = path.join(work, `load-${args.join('-')}.log`);
  await execa('node', ['--import', pathToFileURL(path.join(work, 'register.mjs')).href, cli, ...args], { cwd: work, env: { XENO_LOAD_LOG: log } });
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return urls.map((u) => (u.startsWith('file:') ? path.relative(root, fileURLToPath(u)) : u));
}

describe('the command list', () => {
  it('says what each command module says', async () => {
    for (const c of commands) {
      const m = await c.load();
      expect({ command: m.command, describe: m.describe, aliases: m.aliases }).toEqual({ command: c.command, describe: c.describe, aliases: c.aliases });
    }
  });
});

describe('colour', () => {
  it('NO_COLOR turns it off, FORCE_COLOR on, a terminal by default', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorWanted({ isTTY: false }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe.skipIf(!existsSync(cli))('the built CLI', () => {
  it('--version prints the package version', async () => {
    const r = await execa('node', [cli, '--version'], { cwd: work });
    expect(r.stdout).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  it('--help and --version load no command module, no analysis and no native addon; scan --help loads scan alone', async () => {
    // The CLI shell is main, the command list and what printing an error needs.
    const shell = (m: string) => /^dist\/src\/(cli\/(main|commands\/index|colors|paths|print-error|options)|errors|project-root)\.js$/.test(m);
    for (const args of [['--help'], ['--version']]) {
      const loaded = await loadedModules(args);
      expect(loaded, args.join(' ')).toContain('dist/src/cli/main.js');
      expect(loaded.filter((m) => m.startsWith('dist/') && !shell(m)), args.join(' ')).toEqual([]);
      expect(loaded.filter((m) => m.endsWith('.node')), args.join(' ')).toEqual([]);
    }
    const scanHelp = await loadedModules(['scan', '--help']);
    expect(scanHelp.filter((m) => m.startsWith('dist/') && !shell(m))).toEqual(['dist/src/cli/commands/scan.js']);
    expect(scanHelp.filter((m) => m.endsWith('.node'))).toEqual([]);
  });

  it('--help wraps at word boundaries', async () => {
    const r = await execa('node', [cli, '--help'], { cwd: work });
    const words = new Set(r.stdout.split(/\s+/));
    for (const c of commands) for (const w of c.describe.split(' ')) expect(words.has(w), `"${w}" of ${c.command}`).toBe(true);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('-D NAME=VALUE takes one value: the file after it is a file', async () => {
    writeFileSync(path.join(work, 'prog.c'), '#include <stdio.h>\nint\nmain(void)\n{\n\tprintf("X=%d\\n", X);\n\treturn (0);\n}\n');
    const r = await execa('node', [cli, 'run', '-D', 'X=7', 'prog.c'], { cwd: work, reject: false, input: '' });
    expect(r.stdout).toBe('X=7');
  });

  it('colours piped output only when FORCE_COLOR asks, and never with NO_COLOR', async () => {
    writeFileSync(path.join(work, 'a.c'), 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n');
    const scan = (env: Record<string, string | undefined>) => execa('node', [cli, 'scan', '--no-cache', 'a.c'], { cwd: work, reject: false, env: { PATH: process.env.PATH, ...env }, extendEnv: false });
    expect((await scan({ FORCE_COLOR: '1' })).stdout).toContain('\x1b[');
    expect((await scan({})).stdout).not.toContain('\x1b[');
    expect((await scan({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\x1b[');
  });
});
