/*
 * Seed step 1: the sample kernel builds with the system gcc/ld and boots in
 * QEMU, with the root file system image (make root) as its multiboot module. The serial console, up to the halt line, must match
 * sample-kernel/expected/native-console.txt line for line; it is the output
 * every other platform (the emulator's BarePC, the Xen guest) is compared with.
 * Also checks the multiboot header the boot depends on, by reading the ELF, and
 * that a copy of sys/i386 renamed to sys/i386-xeno (seed step 2) builds with
 * `make MACHINE=i386-xeno` and boots the same, as the port generator relies on.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootInQemu, findQemu, QEMU_PINNED_ARGS } from '../../src/native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const kernelPath = path.join(kernelDir, 'build/i386/kernel');
/** The root file system image, passed as the multiboot module (-initrd). */
const rootImage = path.join(kernelDir, 'build/i386/root.img');
const goldenPath = path.join(kernelDir, 'expected/native-console.txt');
const HALT_LINE = /^The operating system has halted\.$/;

const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
const MULTIBOOT_AOUT_KLUDGE = 0x00010000;

/** The first line where the two texts differ, or undefined when they agree. */
function firstDifference(actual: string[], expected: string[]): string | undefined {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      return `line ${i + 1}:\n  expected: ${JSON.stringify(expected[i] ?? '<end of output>')}\n` +
        `  actual:   ${JSON.stringify(actual[i] ?? '<end of output>')}`;
    }
  }
  return undefined;
}

/** The console's lines up to and including the halt line. */
function linesUpToHalt(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const halt = lines.findIndex((line) => HALT_LINE.test(line));
  return halt < 0 ? lines : lines.slice(0, halt + 1);
}

interface MultibootHeader {
  offset: number;
  flags: number;
  checksum: number;
  headerAddr: number;
  loadAddr: number;
  loadEndAddr: number;
  bssEndAddr: number;
  entryAddr: number;
}

/** The multiboot header in the first 8 KiB (32-bit aligned), as the loader finds it. */
function findMultibootHeader(image: Buffer): MultibootHeader | undefined {
  const limit = Math.min(image.length - 12, 8192 - 12);
  for (let off = 0; off <= limit; off += 4) {
    if (image.readUInt32LE(off) !== MULTIBOOT_HEADER_MAGIC) continue;
    const word = (i: number) => (off + 4 * i + 4 <= image.length ? image.readUInt32LE(off + 4 * i) : 0);
    return {
      offset: off, flags: word(1), checksum: word(2), headerAddr: word(3),
      loadAddr: word(4), loadEndAddr: word(5), bssEndAddr: word(6), entryAddr: word(7),
    };
  }
  return undefined;
}

describe('sample kernel, native build', () => {
  beforeAll(async () => {
    await execa('make', ['-s', '-C', kernelDir, 'native', 'root'], { all: true });
  });

  it('is a 32-bit i386 ELF with a valid multiboot header in its first 8 KiB', () => {
    const image = readFileSync(kernelPath);
    expect(image.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(image[4]).toBe(1); // ELFCLASS32
    expect(image.readUInt16LE(18)).toBe(3); // EM_386

    const mb = findMultibootHeader(image);
    expect(mb, 'no multiboot magic 0x1BADB002 in the first 8192 bytes').toBeDefined();
    if (!mb) return;
    expect((MULTIBOOT_HEADER_MAGIC + mb.flags + mb.checksum) >>> 0).toBe(0);
    if (mb.flags & MULTIBOOT_AOUT_KLUDGE) {
      // The loader copies the file from (offset - (header_addr - load_addr)) to load_addr.
      expect(mb.loadAddr).toBeLessThanOrEqual(mb.headerAddr);
      expect(mb.offset - (mb.headerAddr - mb.loadAddr)).toBeGreaterThanOrEqual(0);
      expect(mb.loadAddr).toBe(0x100000);
      expect(mb.loadEndAddr).toBeGreaterThan(mb.loadAddr);
      expect(mb.bssEndAddr).toBeGreaterThanOrEqual(mb.loadEndAddr);
      expect(mb.entryAddr).toBeGreaterThanOrEqual(mb.loadAddr);
      expect(mb.entryAddr).toBeLessThan(mb.loadEndAddr);
    }
  });

  it('boots the same QEMU command line as `make qemu`', () => {
    const makefile = readFileSync(path.join(kernelDir, 'Makefile'), 'utf8');
    const match = /^QEMU_FLAGS=\s*((?:.*\\\n)*.*)$/m.exec(makefile);
    expect(match).not.toBeNull();
    const flags = match![1].replace(/\\\n/g, ' ').trim().split(/\s+/);
    expect(flags).toEqual([...QEMU_PINNED_ARGS]);
  });

  const qemu = findQemu();
  if (!qemu) console.warn('qemu-system-i386 is not installed (apt-get install qemu-system-x86): skipping the native boot');

  it.skipIf(!qemu)('boots in QEMU, mounts the root from md0 and halts, printing the golden console', async () => {
    const boot = await bootInQemu({ kernelPath, initrd: rootImage, until: HALT_LINE, timeoutMs: 60_000 });
    const actual = linesUpToHalt(boot.console);
    const expected = linesUpToHalt(readFileSync(goldenPath, 'latin1'));
    const diff = firstDifference(actual, expected);
    expect(diff, `console differs from ${path.relative(root, goldenPath)} at ${diff}\n--- console ---\n${boot.console}`)
      .toBeUndefined();
    expect(boot.finished, 'the halt line never came (60 s timeout)').toBe(true);
  });
});

describe('sample kernel, renamed machine directory (seed step 2)', () => {
  let workDir = '';

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-kernel-'));
    for (const entry of ['Makefile', 'config.sh', 'sys']) {
      cpSync(path.join(kernelDir, entry), path.join(workDir, entry), { recursive: true });
    }
    const sys = path.join(workDir, 'sys');
    cpSync(path.join(sys, 'i386'), path.join(sys, 'i386-xeno'), { recursive: true });
    const conf = path.join(sys, 'i386-xeno/conf');
    renameSync(path.join(conf, 'files.i386'), path.join(conf, 'files.i386-xeno'));
    renameSync(path.join(conf, 'Makefile.i386'), path.join(conf, 'Makefile.i386-xeno'));
    const files = path.join(conf, 'files.i386-xeno');
    writeFileSync(files, readFileSync(files, 'utf8').replace(/^i386\//gm, 'i386-xeno/'));
    const mk = path.join(conf, 'Makefile.i386-xeno');
    writeFileSync(mk, readFileSync(mk, 'utf8').replace(/\$S\/i386\//g, '$S/i386-xeno/'));
    return () => rmSync(workDir, { recursive: true, force: true });
  });

  it('builds build/i386-xeno/kernel from sys/i386-xeno alone', async () => {
    await execa('make', ['-s', '-C', workDir, 'native', 'MACHINE=i386-xeno'], { all: true });
    const filesMk = readFileSync(path.join(workDir, 'build/i386-xeno/files.mk'), 'utf8');
    expect(filesMk).toMatch(/i386-xeno\/i386\/pmap\.c/);
    expect(filesMk).not.toMatch(/^\s*i386\//m);
    // <machine/...> must resolve into the renamed tree.
    const dep = readFileSync(path.join(workDir, 'build/i386-xeno/obj/i386-xeno/i386/pmap.d'), 'utf8');
    expect(dep).toMatch(/include\/machine\/pmap\.h/);
    expect(readFileSync(path.join(workDir, 'build/i386-xeno/include/machine/pmap.h'), 'utf8'))
      .toBe(readFileSync(path.join(workDir, 'sys/i386-xeno/include/pmap.h'), 'utf8'));
  });

  it.skipIf(!findQemu())('boots to the same console as the original', async () => {
    const boot = await bootInQemu({
      kernelPath: path.join(workDir, 'build/i386-xeno/kernel'), initrd: rootImage, until: HALT_LINE, timeoutMs: 60_000,
    });
    const diff = firstDifference(linesUpToHalt(boot.console), linesUpToHalt(readFileSync(goldenPath, 'latin1')));
    expect(diff, `console differs at ${diff}`).toBeUndefined();
  });
});
