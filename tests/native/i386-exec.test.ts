/*
 * The i386 runner: a static 32-bit program runs through whichever way the probe chose,
 * and through user-mode QEMU when that way is forced (the path CI takes on a kernel
 * without IA-32 emulation), with its exit status, output and arguments intact.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeI386Runner, findQemuUser, i386Runner, probeI386Runner, runI386 } from '../../src/native/i386-exec.js';

/** write(1, argv[1], 3) then exit(argc + 10): checks output, arguments and status. */
const PROGRAM = `\t.text
\t.globl _start
_start:
\tmovl (%esp),%esi
\tmovl 8(%esp),%ecx
\tmovl $4,%eax
\tmovl $1,%ebx
\tmovl $3,%edx
\tint $0x80
\tmovl $1,%eax
\tleal 10(%esi),%ebx
\tint $0x80
`;

async function build(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xenoport-i386-test-'));
  const exe = path.join(dir, 'prog');
  writeFileSync(`${exe}.s`, PROGRAM);
  await execa('as', ['--32', '-o', `${exe}.o`, `${exe}.s`]);
  await execa('ld', ['-m', 'elf_i386', '-o', exe, `${exe}.o`]);
  return exe;
}

describe('i386 executables on the host', async () => {
  const runner = await i386Runner();
  const skip = runner.kind === 'none' && !process.env.CI;

  it.skipIf(skip)(`the chosen way runs a program (${describeI386Runner(runner)})`, async () => {
    expect(runner.kind, describeI386Runner(runner)).not.toBe('none');
    const r = await runI386(await build(), ['abcdef', 'x']);
    expect(r).toMatchObject({ exitCode: 13, stdout: 'abc', timedOut: false });
  });

  it.skipIf(!findQemuUser() && !process.env.CI)('forced through qemu-i386 it gives the same result', async () => {
    const qemu = await probeI386Runner('qemu');
    expect(qemu.kind, describeI386Runner(qemu)).toBe('qemu-user');
    const r = await runI386(await build(), ['xyz', 'a', 'b'], { runner: qemu });
    expect(r).toMatchObject({ exitCode: 14, stdout: 'xyz', timedOut: false });
  });

  it('a bad forcing is a runner that says why, not a crash', async () => {
    const r = await probeI386Runner('sometimes');
    expect(r.kind).toBe('none');
    expect(describeI386Runner(r)).toMatch(/must be direct or qemu/);
    await expect(runI386('/bin/true', [], { runner: r })).rejects.toThrow(/cannot run here/);
  });
});
