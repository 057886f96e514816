/*
 * `xenoport run` and `xenoport compile` options as a user types them (the built CLI,
 * through execa): -D and -I take one value per flag and leave the file names alone;
 * the step limit says what it is and has its own exit code; bad numbers are refused
 * with a message, not a stack trace.
 */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { writeTree } from './helpers.js';

const cli = path.resolve('dist/src/cli/main.js');
const xenoport = (args: string[], cwd: string) => execa('node', [cli, ...args], { cwd, reject: false, input: '' });

const dir = writeTree({
  'prog.c': '#include <stdio.h>\n#include "conf.h"\nint main(void) { printf("%d %s\\n", X + CONF, NAME); return 0; }\n',
  'inc/conf.h': '#define CONF 100\n',
  'loop.c': 'int main(void) { volatile int i = 0; for (;;) i++; return 0; }\n',
});

describe('xenoport run options', () => {
  it('-D X=1 and -I DIR before the file: one value per flag, the file is still compiled', async () => {
    const r = await xenoport(['run', '-D', 'X=1', '-I', 'inc', '-D', 'NAME="n"', 'prog.c'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('101 n');
    expect(r.exitCode).toBe(0);
  });
  it('the same for xenoport compile', async () => {
    const r = await xenoport(['compile', '-D', 'X=1', '-D', 'NAME="n"', '-I', 'inc', '-I', path.resolve('src/compile/libc/include'), 'prog.c', '--no-link'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^compiled 1 files: 1 functions/);
  });
  it('the step limit names itself and exits 152', async () => {
    const r = await xenoport(['run', 'loop.c', '--max-steps', '100000'], dir);
    expect(r.exitCode).toBe(152);
    expect(r.stderr).toMatch(/step limit reached: the program ran \d+ IR instructions without exiting \(--max-steps 100000\)/);
    expect(r.stderr).toContain('0 for no limit');
  });
  it('-D without its value is a usage error', async () => {
    const r = await xenoport(['run', 'prog.c', '-D'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Not enough arguments following: D/);
    expect(r.stderr).not.toMatch(/internal error|    at /);
  });
  for (const bad of ['abc', '-1', '2.5']) {
    it(`--max-steps ${bad} is refused with a message`, async () => {
      const r = await xenoport(['run', 'prog.c', '-D', 'X=1', '-D', 'NAME=""', '-I', 'inc', '--max-steps', bad], dir);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/expected a whole number, got "abc"|-1 is out of range|got "2.5"/);
      expect(r.stderr).not.toMatch(/internal error|    at /);
    });
  }
});
