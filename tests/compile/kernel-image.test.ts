/*
 * The whole native sample kernel (C and .s) through xenoport's own pipeline into ONE
 * linked IR image (compileKernelImage): it links with no undefined symbol; every
 * instruction maps to a line of an original file under sample-kernel/sys; the
 * multiboot header is in the image's first 8 KiB with a valid checksum and the a.out
 * kludge addresses ld would give; the `--emit ir` text parses back identically; and
 * the absolute symbols are the values gcc/ld give (nm of the native build).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinkError } from '../../src/errors.js';
import { compileKernelImage, readLdScript, type KernelImageBuild } from '../../src/compile/kernel-image.js';
import { findSymbol, functionAt } from '../../src/ir/index.js';
import { link } from '../../src/ir/index.js';
import { parseModules, printModules } from '../../src/ir/index.js';

const KDIR = 'sample-kernel';
const SYS = path.resolve(KDIR, 'sys');
const present = existsSync(path.join(KDIR, 'config.sh'));

/** Drops undefined-valued keys so toEqual compares what the text can express. */
function norm<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));
}

describe.runIf(present)('the sample kernel as one IR image', () => {
  let b: KernelImageBuild;
  beforeAll(async () => {
    b = await compileKernelImage(KDIR, { machine: 'i386', conf: 'GENERIC' });
  }, 300_000);

  it('compiles every source of the configuration, locore.s first, and links', () => {
    const rel = b.files.map((f) => path.relative(SYS, f));
    expect(rel[0]).toBe('i386/i386/locore.s');
    expect(rel).toEqual(expect.arrayContaining(['i386/i386/exception.s', 'i386/i386/support.s', 'i386/i386/swtch.s', 'kern/init_main.c', 'i386/i386/pmap.c', 'i386/isa/sio.c']));
    expect(b.modules.length).toBe(b.files.length);
    // The configuration's COPTS reach the C files (machdep.c's console table needs DEV_SIO).
    expect(b.defines).toEqual(expect.arrayContaining(['_KERNEL', 'DEV_SIO', 'CONSPEED=115200']));
    const img = b.image;
    expect(img.kind).toBe('kernel');
    expect(img.vbase >>> 0).toBe(0xc0100000);
    expect(img.pbase).toBe(0x100000);
    expect(img.entryName).toBe('btext');
    expect(functionAt(img, img.entry)?.name).toBe('btext');
    for (const s of img.sections) expect((s.vaddr - s.paddr) >>> 0).toBe(0xc0000000);
    // The layout comes from the ld script itself.
    expect(b.layout).toMatchObject({ entry: 'btext', vaddr: 0xc0100000, paddr: 0x100000, provide: { etext: 'text-end', edata: 'data-end', end: 'bss-end' } });
    // etext, edata and end are where ldscript.i386 puts them.
    const [text, data, bss] = img.sections;
    expect(findSymbol(img, 'etext')!.addr).toBe(text!.vaddr + text!.size);
    expect(findSymbol(img, 'edata')!.addr).toBe(data!.vaddr + data!.size);
    expect(findSymbol(img, 'end')!.addr).toBe(img.vend);
    expect(img.vend % 4).toBe(0);
    expect(bss!.vaddr + bss!.size).toBe(img.vend);
    // C functions call assembly and the other way round, resolved across modules.
    const btext = img.functions.find((f) => f.name === 'btext')!;
    expect(btext.refs.get('init386')).toBe(findSymbol(img, 'init386')!.addr);
  });

  it('every instruction has a source location: a real line of an original file under sample-kernel/sys', () => {
    const cache = new Map<string, string[]>();
    const lines = (f: string): string[] => {
      let l = cache.get(f);
      if (!l) cache.set(f, (l = readFileSync(f, 'latin1').split('\n')));
      return l;
    };
    let n = 0;
    const bad: string[] = [];
    for (const f of b.image.functions)
      for (const blk of f.fn.blocks)
        for (const i of blk.instrs) {
          n++;
          const file = i.loc.file > 0 ? f.files[i.loc.file - 1] : undefined;
          const abs = file && path.resolve(file);
          if (!abs || !abs.startsWith(SYS + path.sep) || !existsSync(abs) || i.loc.line < 1 || i.loc.line > lines(abs).length)
            bad.push(`${f.name} in ${f.module}: ${i.kind} at ${file ?? '?'}:${i.loc.line}`);
        }
    expect(n).toBeGreaterThan(5000);
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('the multiboot header is in the first 8 KiB, with a valid checksum and the a.out kludge addresses', () => {
    const img = b.image;
    const text = img.sections[0]!;
    expect(text.name).toBe('.text');
    // As a multiboot loader does: the first 4-aligned magic in the first 8 KiB of the image.
    const dv = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
    let off = -1;
    for (let o = 0; o + 12 <= Math.min(8192, text.bytes.length); o += 4)
      if (dv.getUint32(o, true) === 0x1badb002) {
        off = o;
        break;
      }
    expect(off).toBeGreaterThanOrEqual(0);
    const hdr = findSymbol(img, 'multiboot_header')!;
    expect(hdr).toMatchObject({ kind: 'data', section: '.text' });
    expect(hdr.addr - text.vaddr).toBe(off);
    const [magic, flags, sum, headerAddr, loadAddr, loadEnd, bssEnd, entry] = [0, 4, 8, 12, 16, 20, 24, 28].map((k) => dv.getUint32(off + k, true));
    expect((magic! + flags! + sum!) >>> 0).toBe(0);
    expect(flags! & 0x10000).toBe(0x10000);
    const phys = (name: string): number => (findSymbol(img, name)!.addr - 0xc0000000) >>> 0;
    expect([headerAddr, loadAddr, loadEnd, bssEnd, entry]).toEqual([phys('multiboot_header'), phys('multiboot_header'), phys('edata'), phys('end'), phys('btext')]);
    expect(entry).toBe(img.entry - 0xc0000000);
  });

  it('the --emit ir text (printModules) parses back identically', () => {
    const text = printModules(b.modules);
    const back = parseModules(text, 'kernel.xir');
    expect(back.map((m) => m.name)).toEqual(b.modules.map((m) => m.name));
    expect(printModules(back)).toBe(text);
    expect(norm(back)).toEqual(norm(b.modules));
    // The printed image relinks to the same layout.
    const again = link(back, { kind: 'kernel', entry: b.layout.entry, vaddr: b.layout.vaddr, paddr: b.layout.paddr, provide: b.layout.provide });
    expect(again.symbols.map((s) => [s.name, s.addr])).toEqual(b.image.symbols.map((s) => [s.name, s.addr]));
    expect(again.sections.map((s) => [...s.bytes])).toEqual(b.image.sections.map((s) => [...s.bytes]));
  });

  it('the absolute symbols have the values gcc and ld give (nm of the native kernel)', () => {
    const built = path.join(KDIR, 'build', 'i386', 'kernel');
    // Up to date, or built now (make -q exits 0 when nothing needs doing).
    if (spawnSync('make', ['-q', '-C', KDIR, 'native'], { stdio: 'ignore' }).status !== 0) execFileSync('make', ['-C', KDIR, 'native'], { stdio: 'ignore' });
    const nm = new Map<string, { type: string; value: number }>();
    for (const l of execFileSync('nm', [built], { encoding: 'utf8' }).split('\n')) {
      const m = /^([0-9a-f]{8}) (\w) (\S+)$/.exec(l);
      if (m) nm.set(m[3]!, { type: m[2]!, value: parseInt(m[1]!, 16) });
    }
    const names = ['PTmap', 'PTD', 'PTDpde', 'APTmap', 'APTD', 'APTDpde'];
    for (const n of names) {
      expect(nm.get(n)?.type, n).toBe('A');
      const sym = findSymbol(b.image, n)!;
      expect(sym, n).toMatchObject({ kind: 'abs', section: '*ABS*', exported: true });
      expect(sym.addr >>> 0, n).toBe(nm.get(n)!.value);
    }
    // And C code that uses them gets those values (pmap.c's PTD and PTmap, vtopte's PTmap).
    const refs = new Map<string, number>();
    for (const f of b.image.functions) for (const [k, v] of f.refs) if (names.includes(k)) refs.set(k, v >>> 0);
    expect(refs.size).toBeGreaterThanOrEqual(4);
    for (const [k, v] of refs) expect(v, k).toBe(nm.get(k)!.value);
    // ld puts the multiboot header first and btext right after it, as here.
    expect(nm.get('multiboot_header')!.value).toBe(findSymbol(b.image, 'multiboot_header')!.addr);
    expect(nm.get('btext')!.value).toBe(findSymbol(b.image, 'btext')!.addr);
  }, 300_000);

  it('a missing module is a LinkError naming the symbol and who refers to it', () => {
    const noSupport = b.modules.filter((m) => !m.name.endsWith('support.s'));
    let msg = '';
    try {
      link(noSupport, { kind: 'kernel', entry: b.layout.entry });
    } catch (e) {
      expect(e).toBeInstanceOf(LinkError);
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/undefined symbol \$bcopy, referenced by function \$\w+ in \S+\.c/);
  });
});

describe('readLdScript', () => {
  it('reads ENTRY, the load and physical addresses and the section-end symbols', () => {
    if (!present) return;
    expect(readLdScript(path.join(SYS, 'i386/conf/ldscript.i386'))).toMatchObject({
      entry: 'btext',
      vaddr: 0xc0100000,
      paddr: 0x100000,
      provide: { etext: 'text-end', edata: 'data-end', end: 'bss-end' },
    });
  });

  it('a symbol after an output section the image does not have is an error naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ldscript-'));
    const f = path.join(dir, 'k.ld');
    writeFileSync(f, 'ENTRY(start)\nSECTIONS\n{\n\t. = 0x1000;\n\t.text : { *(.text) }\n\t.rodata : { *(.rodata) }\n\terodata = .;\n}\n');
    expect(() => readLdScript(f)).toThrow(LinkError);
    expect(() => readLdScript(f)).toThrow('ld script symbol erodata follows output section .rodata, which the IR image has no end of');
    writeFileSync(f, 'ENTRY(start)\nSECTIONS\n{\n\t. = 0x1000;\n\t.text : { *(.text) }\n\tetext = .;\n}\n');
    expect(readLdScript(f)).toMatchObject({ entry: 'start', vaddr: 0x1000, paddr: 0x1000, provide: { etext: 'text-end' } });
  });
});
