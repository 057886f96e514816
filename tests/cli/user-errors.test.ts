/*
 * A user's mistake ends with a clear message and exit code 2 from the built CLI:
 * never "internal error", never a stack trace. One row per mistake; each was an
 * internal error or a silently wrong run once.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-user-errors-'));
writeFileSync(path.join(work, 'afile.c'), 'int x;\n');
writeFileSync(path.join(work, 'prog.c'), 'int main(void) { return 0; }\n');
const BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, k) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[k]}`).join(',')}]`)].join('\n');
writeFileSync(path.join(work, 'bomb.yaml'), `version: 1\nsource: s\noutput: o\nstages: []\n${BOMB}\n`);
mkdirSync(path.join(work, 'bomb-rules'));
writeFileSync(path.join(work, 'bomb-rules', 'bomb.yaml'), `rules: []\n${BOMB}\n`);
mkdirSync(path.join(work, 'not-a-kernel'));

const cases: Array<[string, string[], RegExp]> = [
  ['rewrite of a path that does not exist', ['rewrite', '/nonexistent/sys', '--mode', 'hypercall', '--diff'], /\/nonexistent\/sys does not exist/],
  ['xenify with a file as the source', ['xenify', '--source', path.join(work, 'afile.c'), '--output', path.join(work, 'out', 'sys')], /is not a directory/],
  ['boot --native of an IR file that does not exist', ['boot', '--native', '--ir', '/missing.xir'], /IR module \/missing\.xir does not exist/],
  ['a negative memory size', ['boot', '--native', '--memory', '-5'], /-5 is out of range: expected 4 to 3072/],
  ['a memory size that would wrap', ['boot', '--native', '--memory', '5000'], /5000 is out of range/],
  ['a step limit that is not a number', ['boot', '--native', '--max-steps', 'abc'], /expected a whole number, got "abc"/],
  ['a negative step limit', ['run', path.join(work, 'prog.c'), '--max-steps', '-1'], /-1 is out of range/],
  ['a boot module that does not exist', ['boot', '--native', '--module', '/missing-root.img'], /boot module \/missing-root\.img does not exist/],
  ['both --module and --root-image', ['boot', '--module', path.join(work, 'afile.c'), '--root-image'], /--module and --root-image both name the boot module/],
  ['--root-image for a kernel without userland/', ['boot', '--native', '--root-image', '--kernel', path.join(work, 'not-a-kernel')], /needs userland\//],
  ['--ir without --native', ['boot', '--ir', '/x.xir'], /--ir .* needs --native/],
  ['a malformed --disk', ['boot', '--disk', 'disk.img'], /--disk disk\.img: expected file:PATH,xbdN,w or file:PATH,xbdN,r/],
  ['a --disk image that does not exist', ['boot', '--disk', 'file:/missing.img,xbd0,w'], /--disk file:\/missing\.img,xbd0,w: \/missing\.img is not a file/],
  ['the same xbd twice', ['boot', '--disk', `file:${path.join(work, 'afile.c')},xbd0,r`, '--disk', `file:${path.join(work, 'prog.c')},xbd0,w`], /xbd0 is given twice/],
  ['--disk with --native', ['boot', '--native', '--disk', 'file:/x.img,xbd0,w'], /--root, --disk and --cmdline are for the Xen guest/],
  ['a kernel directory without config.sh in Xen mode', ['boot', '--kernel', path.join(work, 'not-a-kernel')], /needs config\.sh/],
  ['a YAML alias bomb as the pipeline file', ['xenify', '--config', path.join(work, 'bomb.yaml')], /bomb\.yaml:1:1: invalid YAML: .*alias/i],
  ['a YAML alias bomb among the rules', ['scan', path.join(work, 'afile.c'), '--rules', path.join(work, 'bomb-rules')], /bomb\.yaml:1:1: invalid YAML: .*alias/i],
];

describe('user mistakes: a message and exit 2, never a stack trace', () => {
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await execa('node', [cli, ...args], { reject: false, all: true, cwd: work, timeout: 60_000 });
      const out = String(r.all);
      expect(out).toMatch(message);
      expect(out).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);
      expect(r.exitCode, out).toBe(2);
    });
  }
});
