/*
 * Fidelity: the native sample kernel, compiled by xenoport's own pipeline (C and GAS
 * front ends, linker) and booted on BarePC with QEMU's pinned machine (32 MiB, qemu32
 * CPU features), prints the same console as the QEMU boot test's golden file, up to
 * the halt line (CR LF normalised as the QEMU test does).
 *
 * Every line is compared byte for byte: the kernel starts its page allocator at a fixed
 * KERNRESERVE (vmparam.h), so gcc's image and ours, which differ in size, print the
 * same memory figures.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootNative, parseFeatures } from '../../../src/emulate/pc/index.js';
import { buildKernelImage, type KernelBuild } from '../../../src/compile/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const kernelDir = path.join(root, 'sample-kernel');
const golden = readFileSync(path.join(kernelDir, 'expected/native-console.txt'), 'latin1');
const HALT_LINE = /^The operating system has halted\.$/;

function upToHalt(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const k = lines.findIndex((l) => HALT_LINE.test(l));
  return k < 0 ? lines : lines.slice(0, k + 1);
}

let build: KernelBuild;
/** The root image as QEMU's -initrd passes it: the module's command line is the file name. */
let modules: { bytes: Uint8Array; cmdline: string }[] = [];
beforeAll(async () => {
  await execa('make', ['-s', '-C', kernelDir, 'root']);
  modules = [{ bytes: readFileSync(path.join(kernelDir, 'build/i386/root.img')), cmdline: path.join(kernelDir, 'build/i386/root.img') }];
  build = await buildKernelImage(kernelDir);
}, 120_000);

describe('native sample kernel on BarePC', () => {
  it('compiles and links through xenoport\'s own pipeline', () => {
    expect(build.errors).toEqual([]);
    expect(build.image?.entryName).toBe('btext');
  });

  it('boots, mounts the root from its module and halts with the same console as QEMU', () => {
    const r = bootNative(build.image!, { memoryMB: 32, maxSteps: 50_000_000, modules });
    expect(r.outcome, r.report ?? r.message).toBe('halt');
    expect(r.message).toMatch(/interrupts disabled/);
    const actual = upToHalt(r.console);
    const expected = upToHalt(golden);
    // Byte for byte, every line: the kernel prints nothing that depends on its build.
    expect(actual.join('\n')).toBe(expected.join('\n'));
    // The boot is deterministic: a second run gives the same bytes and step count.
    const again = bootNative(build.image!, { memoryMB: 32, maxSteps: 50_000_000, modules });
    expect(again.console).toBe(r.console);
    expect(again.steps).toBe(r.steps);
  });

  it('boots with PSE and PGE hidden (seed step 4) and reports them off', () => {
    const r = bootNative(build.image!, { memoryMB: 32, features: parseFeatures('-pse,-pge,-pae'), maxSteps: 50_000_000 });
    expect(r.outcome, r.report ?? r.message).toBe('halt');
    expect(r.console).toMatch(/Features=0x8335<FPU,DE,TSC,MSR,CX8,APIC,CMOV>/);
    expect(r.console).toMatch(/pmap: PSE superpages off, PGE global pages off, PAE not present/);
    expect(r.console).toMatch(/The operating system has halted\./);
  });
});
