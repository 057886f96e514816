/*
 * The sample kernel's userland built by xenoport for its IR engine: every program the
 * userland Makefile lists becomes an XIR ELF executable (EM_XIR, text at 0x08048000,
 * entry _start), and a program that does not compile is reported with its file and
 * line, the others' failures with it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUserland, userlandPlan } from '../../src/compile/index.js';
import { CompileError } from '../../src/errors.js';
import { EM_XIR, readXirElf } from '../../src/ir/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-userland-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the userland built for the IR engine', () => {
  it('turns every program of the Makefile into an XIR executable', async () => {
    const plan = await userlandPlan(path.join(kernelDir, 'userland'));
    expect(plan.programs).toContain('sbin/init');
    expect(plan.programs.length).toBeGreaterThanOrEqual(9);
    const dest = path.join(work, 'dest');
    const built = await buildUserland(path.join(kernelDir, 'userland'), dest);
    expect(built.programs.map((p) => p.path)).toEqual(plan.programs);
    for (const p of built.programs) {
      const bytes = readFileSync(path.join(dest, p.path));
      expect(bytes.readUInt16LE(18), p.path).toBe(EM_XIR);
      const elf = readXirElf(bytes);
      const text = elf.segments[0]!;
      expect(text.vaddr).toBe(0x08048000);
      expect(elf.entry >>> 0).toBeGreaterThanOrEqual(text.vaddr);
      expect(elf.entry >>> 0).toBeLessThan(text.vaddr + text.memsz);
    }
  }, 120_000);

  it('reports a program that does not compile by file and line', async () => {
    const k = path.join(work, 'k');
    cpSync(path.join(kernelDir, 'userland'), path.join(k, 'userland'), { recursive: true });
    symlinkSync(path.join(kernelDir, 'sys'), path.join(k, 'sys'));
    const bad = path.join(k, 'userland/bin/cpu/cpu.c');
    writeFileSync(bad, `${readFileSync(bad, 'utf8')}\nint broken(void) { return undeclared_name; }\n`);
    const err = await buildUserland(path.join(k, 'userland'), path.join(work, 'dest2')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    const e = err as CompileError;
    expect(e.message).toMatch(/undeclared_name/);
    expect(e.span?.file).toMatch(/bin\/cpu\/cpu\.c$/);
    expect(e.span?.line).toBe(readFileSync(bad, 'utf8').split('\n').length - 1);
  }, 120_000);
});
