import { describe, expect, it } from 'vitest';
import { LinkError } from '../../src/errors.js';
import { link } from '../../src/ir/index.js';
import { findSymbol, lookupCode, symbolAt } from '../../src/ir/index.js';
import { parseModule } from '../../src/ir/index.js';

const A = parseModule(
  `file 1 "a.c"
data $tab export align 4 { w $helper, w 5 }
data $zeros { z 100 }
func export $main(w %argc, w %argv) : w {
@entry
	%x =w call $helper(w 1) !1:10
	%y =w loadw $counter !1:11
	ret %x !1:12
}
func $helper(w %v) : w {
@entry
	ret %v !1:20
}`,
  'a.c',
);
const B = parseModule(
  `file 1 "b.c"
data $counter export align 4 { w 0 }
func $helper() {
@entry
	ret !1:3
}`,
  'b.c',
);

function linkErr(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return (e as Error).message;
  }
  throw new Error('no LinkError');
}

describe('linker', () => {
  it('lays out text, data and bss and maps code addresses back to source', () => {
    const img = link([A, B], { kind: 'program' });
    expect(img.vbase).toBe(0x08048000);
    expect(img.sections.map((s) => [s.name, s.vaddr.toString(16)])).toEqual([
      ['.text', '8048000'],
      ['.data', '8049000'],
      ['.bss', '804a000'],
    ]);
    const main = findSymbol(img, 'main')!;
    expect(img.entry).toBe(main.addr);
    const at = lookupCode(img, main.addr + 1)!;
    expect(at.func.name).toBe('main');
    expect(at.where).toBe('a.c:11');
    expect(at.instr.kind).toBe('load');
    // Static helpers in two modules do not collide; $tab's relocation points at a.c's one.
    const helpers = img.symbols.filter((s) => s.name === 'helper');
    expect(helpers.map((h) => h.module).sort()).toEqual(['a.c', 'b.c']);
    const tab = findSymbol(img, 'tab')!;
    const data = img.sections[1]!;
    const word = new DataView(data.bytes.buffer).getUint32(tab.addr - data.vaddr, true);
    expect(word).toBe(helpers.find((h) => h.module === 'a.c')!.addr);
    expect(symbolAt(img, tab.addr + 4)).toMatchObject({ sym: { name: 'tab' }, offset: 4 });
    expect(lookupCode(img, img.sections[1]!.vaddr)).toBeUndefined();
  });

  it('links a kernel at 0xC0100000 virtual / 0x100000 physical', () => {
    const K = parseModule('func export $btext() {\n@e\n\tret !0:0\n}', 'locore.s');
    const img = link([K], { kind: 'kernel' });
    expect(img.entry >>> 0).toBe(0xc0100000);
    expect(img.pbase).toBe(0x100000);
    expect(img.sections[1]!.paddr).toBe(img.sections[1]!.vaddr - 0xc0000000);
    expect(lookupCode(img, 0xc0100000)?.func.name).toBe('btext');
  });

  it('an undefined symbol names it and who refers to it', () => {
    expect(linkErr(() => link([A], { kind: 'program' }))).toBe('undefined symbol $counter, referenced by function $main in a.c');
    const D = parseModule('data $p export { w $nowhere }\nfunc export $main() {\n@e\n\tret !0:0\n}', 'd.c');
    expect(linkErr(() => link([D], { kind: 'program' }))).toBe('undefined symbol $nowhere, referenced by data $p in d.c');
  });

  it('a duplicate exported symbol names both definitions', () => {
    const C = parseModule('data $counter export { w 1 }', 'c.c');
    expect(linkErr(() => link([A, B, C], { kind: 'program' }))).toBe('duplicate symbol $counter: defined in b.c and in c.c');
  });

  it('absolute symbols resolve to their value in code and data; duplicates and locals behave as other symbols', () => {
    const L = parseModule(
      `abs export $PTmap = 0xbfc00000
abs $R = -4
data $tab export { w $PTmap+4, w $R }
func export $btext() {
@e
	%a =w loadw $PTmap+8 !0:0
	%b =w add $R, 0 !0:0
	ret !0:0
}`,
      'locore.s',
    );
    const C = parseModule('func export $pmap() {\n@e\n\tstorew 0, $PTmap !0:0\n\tret !0:0\n}', 'pmap.c');
    const img = link([L, C], { kind: 'kernel' });
    expect(findSymbol(img, 'PTmap')).toMatchObject({ kind: 'abs', addr: 0xbfc00000, size: 0, section: '*ABS*', exported: true });
    expect(img.functions.find((f) => f.name === 'pmap')!.refs.get('PTmap')).toBe(0xbfc00000);
    expect(img.functions.find((f) => f.name === 'btext')!.refs.get('R')).toBe(0xfffffffc);
    const tab = findSymbol(img, 'tab')!;
    const data = img.sections[1]!;
    const dv = new DataView(data.bytes.buffer, data.bytes.byteOffset);
    expect([dv.getUint32(tab.addr - data.vaddr, true), dv.getUint32(tab.addr - data.vaddr + 4, true)]).toEqual([0xbfc00004, 0xfffffffc]);
    // Not a place: symbolAt never names an absolute.
    expect(symbolAt(img, 0xbfc00000)).toBeUndefined();
    // $R is local to locore.s.
    const D = parseModule('func export $d() {\n@e\n\tstorew 0, $R !0:0\n\tret !0:0\n}', 'd.c');
    expect(linkErr(() => link([L, D], { kind: 'kernel' }))).toBe('undefined symbol $R, referenced by function $d in d.c');
    const P = parseModule('abs export $PTmap = 1', 'other.s');
    expect(linkErr(() => link([L, P], { kind: 'kernel' }))).toBe('duplicate symbol $PTmap: defined in locore.s and in other.s');
    expect(linkErr(() => link([L], { kind: 'kernel', entry: 'PTmap' }))).toBe('entry symbol $PTmap is absolute, not a function');
  });

  it('data with section ".text" comes first in .text, before the functions; section ".data" keeps zero data out of .bss', () => {
    const K = parseModule(
      `data $mb export align 4 section ".text" { w 464367618, w $edata, w $end, w $btext-3221225472 }
data $zeros section ".data" { z 8 }
data $after { b 1 }
data $stack { z 4096 }
func export $btext() {
@e
	%a =w copy $etext !0:0
	ret !0:0
}`,
      'locore.s',
    );
    const U = parseModule('data $tail align 8 section ".text" { b 2 }\nfunc export $f() {\n@e\n\tret !0:0\n}', 'u.c');
    const img = link([K, U], { kind: 'kernel' });
    const [text, data, bss] = img.sections;
    expect(findSymbol(img, 'mb')).toMatchObject({ addr: 0xc0100000, section: '.text', kind: 'data', size: 16 });
    expect(findSymbol(img, 'tail')).toMatchObject({ addr: 0xc0100010, section: '.text' });
    expect(findSymbol(img, 'btext')!.addr).toBe(0xc0100020);
    expect(findSymbol(img, 'zeros')).toMatchObject({ addr: data!.vaddr, section: '.data' });
    expect(findSymbol(img, 'after')).toMatchObject({ addr: data!.vaddr + 8, section: '.data' });
    expect(findSymbol(img, 'stack')).toMatchObject({ addr: bss!.vaddr, section: '.bss' });
    // etext, edata and end as ldscript.i386 defines them (ends of .data and .bss 4-aligned).
    expect(findSymbol(img, 'etext')).toMatchObject({ addr: text!.vaddr + text!.size, module: '<linker>' });
    expect(data!.size).toBe(12);
    expect(findSymbol(img, 'edata')!.addr).toBe(data!.vaddr + 12);
    expect(findSymbol(img, 'end')!.addr).toBe(bss!.vaddr + 4096);
    const dv = new DataView(text!.bytes.buffer, text!.bytes.byteOffset);
    expect([0, 4, 8, 12].map((o) => dv.getUint32(o, true))).toEqual([0x1badb002, data!.vaddr + 12, bss!.vaddr + 4096, 0x100020]);
    expect(text!.bytes[0x10]).toBe(2);
    expect(img.functions.find((f) => f.name === 'btext')!.refs.get('etext')).toBe(text!.vaddr + text!.size);
    // A module's own definition wins over the provided one (ld's PROVIDE); programs get none.
    const E = parseModule('data $end export { w 7 }', 'e.c');
    expect(findSymbol(link([K, U, E], { kind: 'kernel' }), 'end')!.module).toBe('e.c');
    expect(linkErr(() => link([K, U], { kind: 'program', entry: 'btext' }))).toBe('3 link errors: undefined symbol $etext, referenced by function $btext in locore.s; undefined symbol $edata, referenced by data $mb in locore.s; undefined symbol $end, referenced by data $mb in locore.s');
  });

  it('a missing entry point is an error', () => {
    expect(linkErr(() => link([B], { kind: 'program' }))).toBe('undefined entry symbol $main');
  });
});
