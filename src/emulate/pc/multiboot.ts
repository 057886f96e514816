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
 * Modules (QEMU -initrd) are laid out as QEMU 7.2 does, all in one buffer starting at
 * the kernel's load address: the kernel up to bss_end, page aligned; then the module
 * list (16 bytes each: mod_start, mod_end, cmdline, 0), the module command lines, the
 * kernel command line and the boot loader name, the whole page aligned; then each
 * module at a page boundary. mods_addr points at the list even when it is empty. So a
 * module's physical address follows from the kernel's size, as under QEMU.
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
const PAGE = 4096;
const MOD_SIZE = 16;
const LOADER_NAME = 'qemu';
/** Where the loader leaves esp (the multiboot spec leaves it undefined). */
export const BOOT_STACK = 0x7000;
const FIRMWARE_TOP = 0x20000;

export interface MultibootInfo {
  memLower: number;
  memUpper: number;
  mmap: { base: number; length: number; type: number }[];
}

/** A boot module (QEMU's -initrd file): its bytes and the command line the loader passes. */
export interface MultibootModule {
  bytes: Uint8Array;
  /** QEMU passes the file name. */
  cmdline: string;
}

/** Where a module landed: physical [start, end). */
export interface LoadedModule {
  start: number;
  end: number;
  cmdline: string;
}

export interface LoadedKernel {
  /** Entry function's (virtual, link-time) code address. */
  entry: number;
  mbiAddr: number;
  info: MultibootInfo;
  /** How the entry was found. */
  via: 'multiboot-header' | 'image-entry';
  modules: LoadedModule[];
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
export function loadMultiboot(img: LinkedImage, phys: PhysicalMemory, cmdline = 'kernel', modules: readonly MultibootModule[] = []): LoadedKernel {
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
  // The loader's buffer starts at the kernel's load address and spans it up to bss_end.
  let bufPhys = Math.min(...img.sections.map((s) => s.paddr >>> 0));
  let kernelEnd = Math.max(...img.sections.map((s) => (s.paddr >>> 0) + s.size));
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
        bufPhys = dv.getUint32(16, true);
        const bssEnd = dv.getUint32(24, true);
        if (bssEnd) kernelEnd = Math.max(bssEnd, dv.getUint32(20, true));
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
  // QEMU's layout after the kernel: module list, strings, then the modules.
  const enc = new TextEncoder();
  const align = (x: number): number => Math.ceil(x / PAGE) * PAGE;
  const kernelCmd = cmdline.slice(0, 200);
  const offMbinfo = align(kernelEnd - bufPhys);
  let cmdlineLen = kernelCmd.length + 1;
  for (const m of modules) cmdlineLen += m.cmdline.length + 1;
  let bufSize = align(offMbinfo + cmdlineLen + MOD_SIZE * modules.length + LOADER_NAME.length + 1);
  let offCmdlines = offMbinfo + MOD_SIZE * modules.length;
  const offBootloader = offCmdlines + cmdlineLen;
  const addString = (str: string): number => {
    const at = bufPhys + offCmdlines;
    phys.load(at, enc.encode(str + '\0'));
    offCmdlines += str.length + 1;
    return at;
  };
  const loaded: LoadedModule[] = [];
  for (const m of modules) {
    const start = bufPhys + bufSize;
    const end = start + m.bytes.length;
    if (align(end) > phys.size) {
      throw new EmulatorError(`module ${m.cmdline} [0x${start.toString(16)}, 0x${end.toString(16)}) does not fit in ${phys.size >> 20} MiB of RAM`);
    }
    const c = addString(m.cmdline);
    phys.load(start, m.bytes);
    phys.u8.fill(0, end, align(end));
    const rec = bufPhys + offMbinfo + MOD_SIZE * loaded.length;
    phys.write32(rec, start);
    phys.write32(rec + 4, end);
    phys.write32(rec + 8, c);
    phys.write32(rec + 12, 0);
    loaded.push({ start, end, cmdline: m.cmdline });
    bufSize = align(end - bufPhys);
  }
  const cmdAddr = addString(kernelCmd);
  phys.load(bufPhys + offBootloader, enc.encode(LOADER_NAME + '\0'));

  const mbi = MBI_ADDR;
  for (let k = 0; k < 88; k += 4) phys.write32(mbi + k, 0);
  // flags: mem, boot_device, cmdline, mods, mmap, boot_loader_name.
  phys.write32(mbi + 0, 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x200);
  phys.write32(mbi + 4, info.memLower);
  phys.write32(mbi + 8, info.memUpper);
  phys.write32(mbi + 12, 0x8000ffff | 0);
  phys.write32(mbi + 16, cmdAddr);
  phys.write32(mbi + 20, loaded.length);
  phys.write32(mbi + 24, bufPhys + offMbinfo);
  phys.write32(mbi + 44, info.mmap.length * 24);
  phys.write32(mbi + 48, MMAP_ADDR);
  phys.write32(mbi + 64, bufPhys + offBootloader);
  return { entry, mbiAddr: mbi, info, via, modules: loaded };
}
