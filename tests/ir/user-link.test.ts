// The user-program linker: IR modules -> an XIR ELF executable that the system's
// readelf and nm read as a FreeBSD ELF32 executable with a private e_machine; its
// text holds each function's XIR encoding at the function's address; calling-
// convention violations are link errors naming file:line.
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUserProgram, decodeInstr, EM_XIR, encodeFunction, findSymbol, linkUserProgram, parseModule, readXirElf } from '../../src/ir/index.js';
import { LinkError } from '../../src/errors.js';

const PROG = `file 1 "hello.c"
data $msg align 1 { b "hello\\012" }
data $counter export align 4 { w 7 }
data $buf align 4 { z 8192 }
func $write(w %fd, w %p, w %n) : w {
@entry
	%r =w copy 0 !1:3
	ret %r !1:3
}
func export $_start() {
@entry
	%n =w call $write(w 1, w $msg, w 6) !1:5
	%c =w loadw $counter !1:6
	storew %c, $buf+4096 !1:6
	ret !1:7
}
`;

const dir = mkdtempSync(join(tmpdir(), 'xeno-xir-'));

describe('linkUserProgram', () => {
  it('writes an ELF32 executable readelf reads: FreeBSD OS/ABI, machine 0x5849, text R-X and data+bss RW- segments', async () => {
    const elf = linkUserProgram([parseModule(PROG, 'hello.xir')]);
    const file = join(dir, 'hello');
    writeFileSync(file, elf);
    const h = (await execa('readelf', ['-h', '-l', '-S', '-s', '-W', file])).stdout;
    expect(h).toMatch(/Class:\s+ELF32/);
    expect(h).toMatch(/Data:\s+2's complement, little endian/);
    expect(h).toMatch(/OS\/ABI:\s+UNIX - FreeBSD/);
    expect(h).toMatch(/Type:\s+EXEC/);
    expect(h).toMatch(/Machine:\s+<unknown>: 0x5849/);
    expect(h).toMatch(/Entry point address:\s+0x8048/);
    expect(h).toMatch(/LOAD\s+0x001000 0x08048000 0x08048000 0x[0-9a-f]+ 0x[0-9a-f]+ R E 0x1000/);
    // .data: msg (6 bytes) and counter at 8; the bss (buf, 8 KiB) on the next pages.
    expect(h).toMatch(/LOAD\s+0x002000 0x08049000 0x08049000 0x0000c 0x03000 RW  0x1000/);
    expect(h).toMatch(/\.bss\s+NOBITS\s+0804a000/);
    expect(h).not.toMatch(/Warning|Error/i);
    const syms = (await execa('nm', [file])).stdout;
    expect(syms).toMatch(/^08048020 T _start$/m);
    expect(syms).toMatch(/^08048000 t write$/m);
    expect(syms).toMatch(/D counter/);
    expect(syms).toMatch(/b buf/);
    expect(syms).toMatch(/t write/);
  });

  it('puts each function\'s XIR encoding at its address, relocations resolved', () => {
    const mod = parseModule(PROG, 'hello.xir');
    const { image, elf } = buildUserProgram([mod]);
    const r = readXirElf(elf);
    expect(r.entry).toBe(findSymbol(image, '_start')!.addr);
    const text = r.segments[0]!;
    const start = findSymbol(image, '_start')!.addr;
    const f = image.functions.find((g) => g.name === '_start')!;
    const want = encodeFunction(f.fn, { kind: 'linked', addressOf: (n) => findSymbol(image, n)!.addr }).bytes;
    const off = text.offset + (start - text.vaddr);
    expect(elf.subarray(off, off + want.length)).toEqual(want);
    // The call's callee operand is write's address; the store's address is buf+4096.
    const read = (k: number): number => elf[off + k]!;
    let at = decodeInstr(read, 0).length;
    const call = decodeInstr(read, at).x;
    expect(call).toMatchObject({ op: 'call', callee: { kind: 'const', value: BigInt(findSymbol(image, 'write')!.addr) } });
    at += decodeInstr(read, at).length;
    at += decodeInstr(read, at).length; // cret
    at += decodeInstr(read, at).length; // load
    expect(decodeInstr(read, at).x).toMatchObject({ op: 'store', addr: { kind: 'const', value: BigInt(findSymbol(image, 'buf')!.addr + 4096) } });
  });

  it('rejects a function that writes ebp and a run-mode syscall, with file:line', () => {
    const bad = parseModule(`file 1 "bad.c"
func export $_start() {
@entry
	wrreg ebp, 0 !1:12
	%n =w intr sys_write 1, 0, 0 !1:13
	ret !1:14
}
`, 'bad.xir');
    expect(() => linkUserProgram([bad])).toThrow(LinkError);
    expect(() => linkUserProgram([bad])).toThrow(/bad\.c:12: \$_start writes ebp.*bad\.c:13: .*sys_write.*int \$0x80/);
  });

  it('the reader refuses other machines and malformed headers', () => {
    const elf = linkUserProgram([parseModule(PROG, 'hello.xir')]);
    const other = elf.slice();
    other[18] = 3; // EM_386
    other[19] = 0;
    expect(() => readXirElf(other)).toThrow(/e_machine 0x3 is not EM_XIR \(0x5849\)/);
    expect(() => readXirElf(elf.subarray(0, 20))).toThrow(/shorter than an ELF header/);
    expect(readXirElf(elf).osabi).toBe(9);
    expect(EM_XIR).toBe(0x5849);
  });
});
