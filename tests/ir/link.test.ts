import { describe, expect, it } from 'vitest';
import { LinkError } from '../../src/errors.js';
import { link } from '../../src/compile/link.js';
import { findSymbol, lookupCode, symbolAt } from '../../src/compile/image.js';
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

  it('a missing entry point is an error', () => {
    expect(linkErr(() => link([B], { kind: 'program' }))).toBe('undefined entry symbol $main');
  });
});
