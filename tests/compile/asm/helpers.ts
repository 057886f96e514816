/*
 * Test helpers for the GAS front end: lower a snippet, link it (with IR helper
 * modules) into a program and run it on the engine; or assemble it natively with
 * `as --32` / `ld -m elf_i386` and run it on the host.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runI386 } from '../../../src/native/i386-exec.js';
import { lowerAsm } from '../../../src/compile/asm/index.js';
import { link } from '../../../src/ir/index.js';
import { runProgram, type RunResult } from '../../../src/emulate/index.js';
import { parseModule, type IRModule } from '../../../src/ir/index.js';

/** IR helpers an asm test program may call: putc(c) writes one byte to stdout. */
export const IR_HELPERS = `
func export $putc(w %c) {
@s
	%p =w alloc 4, 4 !0:0
	storeb %c, %p !0:0
	%n =w intr sys_write 1, %p, 1 !0:0
	ret !0:0
}
`;

/** Lowers `src` (an asm file defining `main`) plus extra IR modules, links and runs it. */
export function runAsm(src: string, extraIR: string[] = [IR_HELPERS], maxSteps = 5_000_000): RunResult & { module: IRModule } {
  const module = lowerAsm(src, 'test.s');
  const img = link([module, ...extraIR.map((t, k) => parseModule(t, `helper${k}.xir`))], { kind: 'program' });
  return { ...runProgram(img, { maxSteps }), module };
}


/**
 * Runs `body` (asm text of a function `body` ending in ret, result in %eax) natively as
 * a static 32-bit Linux program (directly or through qemu-i386, as runI386 decided);
 * returns the exit status (eax & 255).
 */
export async function runNative(bodies: string[]): Promise<number[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xenoport-asm-native-'));
  try {
    const out: number[] = [];
    for (const [k, body] of bodies.entries()) {
      const s = `\t.text\n\t.globl _start\n_start:\n\tcall body\n\tmovl %eax,%ebx\n\tmovl $1,%eax\n\tint $0x80\n${body}\n`;
      const base = path.join(dir, `t${k}`);
      await writeFile(`${base}.s`, s);
      await execa('as', ['--32', '-o', `${base}.o`, `${base}.s`]);
      await execa('ld', ['-m', 'elf_i386', '-o', base, `${base}.o`]);
      out.push((await runI386(base)).exitCode);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same body on the engine: `main` calls `body` and returns its eax. */
export function runEngine(body: string): RunResult {
  const s = `\t.text\n\t.globl main\nmain:\n\tcall body\n\tret\n${body}\n`;
  return runAsm(s);
}
