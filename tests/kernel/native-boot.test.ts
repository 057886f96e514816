/*
 * Seed step 1: the sample kernel builds with the system gcc/ld and boots in
 * QEMU. The serial console, up to the halt line, must match
 * sample-kernel/expected/native-console.txt line for line; it is the output
 * every other platform (the emulator's BarePC, the Xen guest) is compared with.
 * Also checks the multiboot header the boot depends on, by reading the ELF.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootInQemu, findQemu, QEMU_PINNED_ARGS } from '../../src/native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const kernelPath = path.join(kernelDir, 'build/i386/kernel');
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
    await execa('make', ['-s', '-C', kernelDir, 'native'], { all: true });
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

  it.skipIf(!qemu)('boots in QEMU to "unable to mount root" and halts, printing the golden console', async () => {
    const boot = await bootInQemu({ kernelPath, until: HALT_LINE, timeoutMs: 60_000 });
    const actual = linesUpToHalt(boot.console);
    const expected = linesUpToHalt(readFileSync(goldenPath, 'latin1'));
    const diff = firstDifference(actual, expected);
    expect(diff, `console differs from ${path.relative(root, goldenPath)} at ${diff}\n--- console ---\n${boot.console}`)
      .toBeUndefined();
    expect(boot.finished, 'the halt line never came (60 s timeout)').toBe(true);
  });
});
