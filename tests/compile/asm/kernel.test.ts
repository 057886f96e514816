/*
 * The sample kernel's own assembly: every sys/i386/i386/*.s lowers and verifies, with
 * locations in the ORIGINAL files; the multiboot header; the IDT stubs' closures; and
 * support.s's string routines run on the engine, called from IR.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { lowerAsmFile, lowerAsmFileDetailed } from '../../../src/compile/asm/index.js';
import { link } from '../../../src/ir/index.js';
import { runProgram } from '../../../src/emulate/index.js';
import { parseModule, printModule, verifyModule, type IRModule } from '../../../src/ir/index.js';

const dir = 'sample-kernel/sys/i386/i386';
const files = readdirSync(dir).filter((f) => f.endsWith('.s'));

describe('sample kernel .s files', () => {
  test.each(files)('%s lowers and verifies; every location is a real source line', async (f) => {
    const m = await lowerAsmFile(path.join(dir, f));
    expect(() => verifyModule(m)).not.toThrow();
    const text = printModule(m);
    expect(printModule(parseModule(text))).toBe(text);
    expect(m.funcs.length).toBeGreaterThan(0);
    const sources = m.files.map((p) => readFileSync(p, 'latin1').split('\n'));
    for (const fn of m.funcs)
      for (const b of fn.blocks)
        for (const i of b.instrs) {
          expect(i.loc.file).toBeGreaterThan(0);
          const line = sources[i.loc.file - 1][i.loc.line - 1];
          expect(line, `${fn.name} ${i.kind} at ${m.files[i.loc.file - 1]}:${i.loc.line}`).toMatch(/\S/);
          // An intrinsic comes from a line that names its instruction (or a macro using it).
          if (i.kind === 'intr' && ['cli', 'sti', 'hlt', 'lgdt', 'lidt', 'ltr'].includes(i.name)) expect(line).toContain(i.name);
          if (i.kind === 'intr' && (i.name === 'lcr3' || i.name === 'rcr3')) expect(line).toContain('%cr3');
        }
  });

  test('locore: the multiboot header is the first data, with a valid checksum', async () => {
    const r = await lowerAsmFileDetailed(path.join(dir, 'locore.s'));
    const hdr = r.module.data[0];
    expect(hdr.name).toBe('multiboot_header');
    expect(hdr.export).toBe(true);
    const ints = hdr.items.slice(0, 3).map((it) => (it.kind === 'int' ? BigInt.asUintN(32, it.value) : -1n));
    expect(ints[0]).toBe(0x1badb002n);
    expect(ints[1] & 0x10000n).toBe(0x10000n); // a.out kludge: the address fields follow
    expect(BigInt.asUintN(32, ints[0] + ints[1] + ints[2])).toBe(0n);
    expect(hdr.items.slice(3).map((it) => (it.kind === 'symbol' ? `${it.name}${it.offset}` : '?'))).toEqual([
      'multiboot_header-3221225472',
      'multiboot_header-3221225472',
      'edata-3221225472',
      'end-3221225472',
      'btext-3221225472',
    ]);
    // The recursive page-table symbols are absolute.
    expect(r.module.absolutes!.map((a) => a.name).sort()).toEqual(['APTD', 'APTDpde', 'APTmap', 'PTD', 'PTDpde', 'PTmap']);
    expect(r.module.absolutes!.every((a) => a.export)).toBe(true);
    expect(hdr.section).toBe('.text');
    const btext = r.module.funcs.find((f) => f.name === 'btext')!;
    expect(btext.export).toBe(true);
    // create_pagetables is called, so it is a function of its own too.
    expect(r.module.funcs.map((f) => f.name)).toContain('create_pagetables');
  });

  test('exception.s: each IDT stub holds its own copy of alltraps/doreti and ends in iret', async () => {
    const m = await lowerAsmFile(path.join(dir, 'exception.s'));
    const names = m.funcs.map((f) => f.name);
    for (const n of ['Xdiv', 'Xpage', 'Xintr0', 'Xintr15', 'alltraps', 'doreti']) expect(names).toContain(n);
    const xpage = m.funcs.find((f) => f.name === 'Xpage')!;
    expect(xpage.blocks.map((b) => b.label)).toEqual(['Xpage', 'alltraps', 'doreti']);
    expect(xpage.blocks[2].instrs[xpage.blocks[2].instrs.length - 1].kind).toBe('iret');
    const xintr = m.funcs.find((f) => f.name === 'Xintr3')!;
    expect(xintr.blocks.map((b) => b.label)).toEqual(['Xintr3', 'intr_common', 'doreti']);
  });

  test('support.s: memset, bcopy (both directions), memcpy, bzero run correctly when called from IR', async () => {
    const support = await lowerAsmFile(path.join(dir, 'support.s'));
    const caller: IRModule = parseModule(`
data $buf align 4 { b "0123456789abcdef" }
data $tmp align 4 { z 16 }

func export $main(w %argc, w %argv) : w {
@e
	%r =w call $memset(w $buf, w 120, w 3) !0:0
	call $bcopy(w $buf+4, w $buf+6, w 4) !0:0
	call $bcopy(w $buf+10, w $buf+8, w 4) !0:0
	%q =w call $memcpy(w $tmp, w $buf, w 16) !0:0
	call $bzero(w $tmp+14, w 2) !0:0
	%n =w intr sys_write 1, $tmp, 16 !0:0
	ret 7 !0:0
}
`);
    const img = link([support, caller], { kind: 'program' });
    const r = runProgram(img, { maxSteps: 1_000_000 });
    expect(r.outcome, JSON.stringify(r.fault)).toBe('exit');
    expect(r.exitCode).toBe(7);
    // The same operations on a JS array (bcopy is memmove).
    const b = [...'0123456789abcdef'];
    b.splice(0, 3, 'x', 'x', 'x');
    b.splice(6, 4, ...b.slice(4, 8));
    b.splice(8, 4, ...b.slice(10, 14));
    b[14] = '\0';
    b[15] = '\0';
    expect(r.stdout).toBe(b.join(''));
  });
});
