/*
 * A multiboot (0.6.96) loader for a linked kernel image, shaped after what QEMU 7.2's
 * `-kernel` path gives a kernel (hw/i386/multiboot.c and its option ROM, over
 * SeaBIOS): sections copied to their physical load addresses, the bss cleared, the
 * memory map at 0x9000 and the multiboot information at 0x9500, then the entry in
 * 32-bit protected mode with paging off, IF clear, eax = 0x2BADB002 and ebx = the
 * information's physical address.
 *
 * The kernel's own multiboot header (symbol `multiboot_header`) is honoured when the
 * image has one: magic and checksum are checked and, with the a.out kludge, the
 * physical entry_addr picks the entry function (entry_addr + vbase - pbase).
 *
 * Memory information for RAM size R, as SeaBIOS reports it: mem_lower = 639 KiB,
 * mem_upper = (R - 1 MiB - 128 KiB) / 1 KiB (the top 128 KiB holds the firmware's
 * tables), and the e820 map: [0, 0x9fc00) RAM, [0x9fc00, 0xa0000) reserved,
 * [0xf0000, 0x100000) reserved, [1 MiB, R - 128 KiB) RAM, [R - 128 KiB, R) reserved,
 * [0xfffc0000, 4 GiB) reserved. For -m 32 that is what the golden console's
 * "real memory = 33423360" line implies.
 */
import { EmulatorError } from '../../errors.js';
import { findSymbol, functionAt, type LinkedImage } from '../../ir/index.js';
import type { PhysicalMemory } from './phys.js';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
export const MULTIBOOT_AOUT_KLUDGE = 0x00010000;
export const MBI_ADDR = 0x9500;
export const MMAP_ADDR = 0x9000;
const CMDLINE_ADDR = 0x9600;
const LOADER_NAME_ADDR = 0x9700;
/** Where the loader leaves esp (the multiboot spec leaves it undefined). */
export const BOOT_STACK = 0x7000;
const FIRMWARE_TOP = 0x20000;

export interface MultibootInfo {
  memLower: number;
  memUpper: number;
  mmap: { base: number; length: number; type: number }[];
}

export interface LoadedKernel {
  /** Entry function's (virtual, link-time) code address. */
  entry: number;
  mbiAddr: number;
  info: MultibootInfo;
  /** How the entry was found. */
  via: 'multiboot-header' | 'image-entry';
}

/** The memory information QEMU + SeaBIOS give a guest with `ramSize` bytes. */
export function multibootMemory(ramSize: number): MultibootInfo {
  const top = ramSize - FIRMWARE_TOP;
  return {
    memLower: 639,
    memUpper: Math.max(0, Math.floor((top - 0x100000) / 1024)),
    mmap: [
      { base: 0, length: 0x9fc00, type: 1 },
      { base: 0x9fc00, length: 0x400, type: 2 },
      { base: 0xf0000, length: 0x10000, type: 2 },
      { base: 0x100000, length: top - 0x100000, type: 1 },
      { base: top, length: FIRMWARE_TOP, type: 2 },
      { base: 0xfffc0000, length: 0x40000, type: 2 },
    ],
  };
}

/** Bytes of a data symbol, from the image's initialised sections. */
function symbolBytes(img: LinkedImage, addr: number, n: number): Uint8Array | undefined {
  for (const s of img.sections) {
    const off = (addr >>> 0) - (s.vaddr >>> 0);
    if (off >= 0 && off + n <= s.bytes.length) return s.bytes.subarray(off, off + n);
  }
  return undefined;
}

/**
 * Loads `img` into `phys` and writes the multiboot information. Throws EmulatorError
 * when the image does not fit in RAM or its multiboot header is broken.
 */
export function loadMultiboot(img: LinkedImage, phys: PhysicalMemory, cmdline = 'kernel'): LoadedKernel {
  for (const s of img.sections) {
    const end = (s.paddr >>> 0) + s.size;
    if (end > phys.size) {
      throw new EmulatorError(`kernel section ${s.name} [0x${(s.paddr >>> 0).toString(16)}, 0x${end.toString(16)}) does not fit in ${phys.size >> 20} MiB of RAM`);
    }
    if (s.bytes.length) phys.load(s.paddr, s.bytes);
    if (s.bytes.length < s.size) phys.u8.fill(0, (s.paddr >>> 0) + s.bytes.length, end);
  }

  let entry = img.entry;
  let via: LoadedKernel['via'] = 'image-entry';
  const hdr = findSymbol(img, 'multiboot_header');
  if (hdr && hdr.kind === 'data') {
    const b = symbolBytes(img, hdr.addr, 32);
    if (b) {
      const dv = new DataView(b.buffer, b.byteOffset, 32);
      const magic = dv.getUint32(0, true);
      const flags = dv.getUint32(4, true);
      const sum = dv.getUint32(8, true);
      if (magic !== MULTIBOOT_HEADER_MAGIC) throw new EmulatorError(`multiboot_header has magic 0x${magic.toString(16)}, not 0x1badb002`);
      if (((magic + flags + sum) >>> 0) !== 0) throw new EmulatorError('multiboot_header checksum is wrong');
      if (flags & MULTIBOOT_AOUT_KLUDGE) {
        const entryPhys = dv.getUint32(28, true);
        const v = (entryPhys + ((img.vbase - img.pbase) >>> 0)) >>> 0;
        const f = functionAt(img, v);
        if (!f || f.addr >>> 0 !== v) throw new EmulatorError(`multiboot entry_addr 0x${entryPhys.toString(16)} is not the start of a function`);
        entry = f.addr;
        via = 'multiboot-header';
      }
    }
  }

  const info = multibootMemory(phys.size);
  // Memory map: entries of { size = 20, base (64), length (64), type }.
  let p = MMAP_ADDR;
  for (const e of info.mmap) {
    phys.write32(p, 20);
    phys.write32(p + 4, e.base);
    phys.write32(p + 8, 0);
    phys.write32(p + 12, e.length);
    phys.write32(p + 16, 0);
    phys.write32(p + 20, e.type);
    p += 24;
  }
  const enc = new TextEncoder();
  phys.load(CMDLINE_ADDR, enc.encode(cmdline.slice(0, 200) + '\0'));
  phys.load(LOADER_NAME_ADDR, enc.encode('qemu\0'));
  const mbi = MBI_ADDR;
  for (let k = 0; k < 88; k += 4) phys.write32(mbi + k, 0);
  // flags: mem, boot_device, cmdline, mods, mmap, boot_loader_name.
  phys.write32(mbi + 0, 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x200);
  phys.write32(mbi + 4, info.memLower);
  phys.write32(mbi + 8, info.memUpper);
  phys.write32(mbi + 12, 0x8000ffff | 0);
  phys.write32(mbi + 16, CMDLINE_ADDR);
  phys.write32(mbi + 20, 0);
  phys.write32(mbi + 24, 0x9800);
  phys.write32(mbi + 44, info.mmap.length * 24);
  phys.write32(mbi + 48, MMAP_ADDR);
  phys.write32(mbi + 64, LOADER_NAME_ADDR);
  return { entry, mbiAddr: mbi, info, via };
}
