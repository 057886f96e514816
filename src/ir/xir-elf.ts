/*
 * The ELF container of XIR user programs (docs/xir-elf.md): an ELF32 little-endian
 * executable (ET_EXEC, EI_OSABI = FreeBSD) whose e_machine is EM_XIR, a private value,
 * with PT_LOAD segments holding the text (encoded XIR instructions at their code
 * addresses, R-X) and the data (RW-, with the bss as p_memsz beyond p_filesz), and
 * section headers (.text, .data, .bss, .symtab, .strtab, .shstrtab) so that the
 * usual tools (readelf, nm) can show it. The ELF structures are those of the System V
 * gABI, as FreeBSD's sys/sys/elf32.h and elf_common.h spell them.
 *
 * writeXirElf() lays out: ELF header and program headers in the first page, each
 * segment at a file offset congruent to its address modulo the page size (what an
 * exec loader maps, p_align = 4096), then the symbol and string tables and the
 * section headers. readXirElf() is the checking reader a loader or test needs.
 */
import { IRError } from '../errors.js';

/**
 * e_machine of XIR programs: 0x5849 ("XI" read as a big-endian pair). Not assigned by
 * the gABI's machine table (which ends in the low 200s) nor used by binutils'
 * unofficial values: private to xenoport, as no real CPU executes these bytes.
 */
export const EM_XIR = 0x5849;
/** ELFOSABI_FREEBSD (sys/sys/elf_common.h): the brand FreeBSD's image activator checks. */
export const ELFOSABI_FREEBSD = 9;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
const ET_EXEC = 2;
const PAGE = 4096;
const EHDR = 52;
const PHDR = 32;
const SHDR = 40;

export interface XirSegment {
  /** Virtual address (page aligned). */
  vaddr: number;
  /** Bytes in memory (>= bytes.length; the rest is zero-filled: bss). */
  memsz: number;
  /** PF_R | PF_X for text, PF_R | PF_W for data. */
  flags: number;
  bytes: Uint8Array;
  /** Section names for the section headers: the file part, and the zero-filled tail if any. */
  section: '.text' | '.data';
  bssSize?: number;
}

export interface XirSymbol {
  name: string;
  value: number;
  size: number;
  kind: 'func' | 'object';
  global: boolean;
  /** Index into the segments (which section the symbol is in); -1 = absolute. */
  segment: number;
  /** True when the symbol lies in the zero-filled tail (.bss) of its segment. */
  bss?: boolean;
}

export interface XirElf {
  entry: number;
  segments: XirSegment[];
  symbols: XirSymbol[];
}

/** The ELF file of a linked XIR program. */
export function writeXirElf(e: XirElf): Uint8Array {
  const phnum = e.segments.length;
  // Segment file offsets: after the headers' page, each congruent to its vaddr mod PAGE.
  let off = PAGE;
  const offsets = e.segments.map((s) => {
    const want = (s.vaddr >>> 0) % PAGE;
    off = Math.ceil((off - want) / PAGE) * PAGE + want;
    const at = off;
    off += s.bytes.length;
    return at;
  });
  // Sections: null, per segment its section (+ .bss), .symtab, .strtab, .shstrtab.
  const shstr = new StrTab();
  const strtab = new StrTab();
  type Sh = { name: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; info: number; align: number; entsize: number };
  const sh: Sh[] = [{ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const secOf: number[] = [];
  const bssOf: number[] = [];
  e.segments.forEach((s, k) => {
    secOf[k] = sh.length;
    sh.push({ name: shstr.add(s.section), type: 1, flags: 2 | (s.flags & PF_W ? 1 : 0) | (s.flags & PF_X ? 4 : 0), addr: s.vaddr, offset: offsets[k]!, size: s.bytes.length, link: 0, info: 0, align: s.section === '.text' ? 16 : 4, entsize: 0 });
    if (s.bssSize) {
      bssOf[k] = sh.length;
      sh.push({ name: shstr.add('.bss'), type: 8, flags: 3, addr: s.vaddr + s.memsz - s.bssSize, offset: offsets[k]! + s.bytes.length, size: s.bssSize, link: 0, info: 0, align: 4, entsize: 0 });
    }
  });
  const syms = [...e.symbols.filter((s) => !s.global), ...e.symbols.filter((s) => s.global)];
  const symtab = new Uint8Array(16 * (syms.length + 1));
  const sdv = new DataView(symtab.buffer);
  syms.forEach((s, k) => {
    const o = 16 * (k + 1);
    sdv.setUint32(o, strtab.add(s.name), true);
    sdv.setUint32(o + 4, s.value >>> 0, true);
    sdv.setUint32(o + 8, s.size >>> 0, true);
    sdv.setUint8(o + 12, ((s.global ? 1 : 0) << 4) | (s.kind === 'func' ? 2 : 1));
    sdv.setUint16(o + 14, s.segment < 0 ? 0xfff1 : s.bss ? bssOf[s.segment]! : secOf[s.segment]!, true);
  });
  const symIdx = sh.length;
  const firstGlobal = 1 + syms.filter((s) => !s.global).length;
  const place = (size: number, align: number): number => {
    off = Math.ceil(off / align) * align;
    const at = off;
    off += size;
    return at;
  };
  sh.push({ name: shstr.add('.symtab'), type: 2, flags: 0, addr: 0, offset: place(symtab.length, 4), size: symtab.length, link: symIdx + 1, info: firstGlobal, align: 4, entsize: 16 });
  const strBytes = strtab.bytes();
  sh.push({ name: shstr.add('.strtab'), type: 3, flags: 0, addr: 0, offset: place(strBytes.length, 1), size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  const shstrIdx = sh.length;
  const shName = shstr.add('.shstrtab');
  const shBytes = shstr.bytes();
  sh.push({ name: shName, type: 3, flags: 0, addr: 0, offset: place(shBytes.length, 1), size: shBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  const shoff = place(SHDR * sh.length, 4);

  const out = new Uint8Array(off);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, ELFOSABI_FREEBSD], 0);
  dv.setUint16(16, ET_EXEC, true);
  dv.setUint16(18, EM_XIR, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, e.entry >>> 0, true);
  dv.setUint32(28, EHDR, true);
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0, true);
  dv.setUint16(40, EHDR, true);
  dv.setUint16(42, PHDR, true);
  dv.setUint16(44, phnum, true);
  dv.setUint16(46, SHDR, true);
  dv.setUint16(48, sh.length, true);
  dv.setUint16(50, shstrIdx, true);
  e.segments.forEach((s, k) => {
    const o = EHDR + PHDR * k;
    dv.setUint32(o, PT_LOAD, true);
    dv.setUint32(o + 4, offsets[k]!, true);
    dv.setUint32(o + 8, s.vaddr >>> 0, true);
    dv.setUint32(o + 12, s.vaddr >>> 0, true);
    dv.setUint32(o + 16, s.bytes.length, true);
    dv.setUint32(o + 20, s.memsz, true);
    dv.setUint32(o + 24, s.flags, true);
    dv.setUint32(o + 28, PAGE, true);
    out.set(s.bytes, offsets[k]!);
  });
  out.set(symtab, sh[symIdx]!.offset);
  out.set(strBytes, sh[symIdx + 1]!.offset);
  out.set(shBytes, sh[shstrIdx]!.offset);
  sh.forEach((h, k) => {
    const o = shoff + SHDR * k;
    [h.name, h.type, h.flags, h.addr, h.offset, h.size, h.link, h.info, h.align, h.entsize].forEach((v, j) => dv.setUint32(o + 4 * j, v >>> 0, true));
  });
  return out;
}

class StrTab {
  private parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private seen = new Map<string, number>();
  add(s: string): number {
    const k = this.seen.get(s);
    if (k !== undefined) return k;
    const b = new TextEncoder().encode(s + '\0');
    const at = this.size;
    this.parts.push(b);
    this.size += b.length;
    this.seen.set(s, at);
    return at;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) (out.set(p, at), (at += p.length));
    return out;
  }
}

/** A loadable segment as an exec loader sees it. */
export interface LoadSegment {
  vaddr: number;
  offset: number;
  filesz: number;
  memsz: number;
  flags: number;
}

/**
 * The header facts a loader needs (entry and PT_LOAD segments), checked as FreeBSD's
 * image activator would: magic, 32-bit little-endian, ET_EXEC, e_machine = EM_XIR,
 * segments inside the file and p_offset congruent to p_vaddr modulo the page size.
 * Anything else is an IRError naming the field.
 */
export function readXirElf(b: Uint8Array): { entry: number; osabi: number; segments: LoadSegment[] } {
  const bad = (what: string): never => {
    throw new IRError(`not an XIR program: ${what}`);
  };
  if (b.length < EHDR) bad(`file of ${b.length} bytes is shorter than an ELF header`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) bad('no ELF magic');
  if (b[4] !== 1 || b[5] !== 1) bad('not ELF32 little-endian');
  if (dv.getUint16(16, true) !== ET_EXEC) bad(`e_type ${dv.getUint16(16, true)} is not ET_EXEC`);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_XIR) bad(`e_machine 0x${machine.toString(16)} is not EM_XIR (0x${EM_XIR.toString(16)})`);
  const phoff = dv.getUint32(28, true);
  const phnum = dv.getUint16(44, true);
  if (dv.getUint16(42, true) !== PHDR || phoff + PHDR * phnum > b.length) bad('program headers outside the file');
  const segments: LoadSegment[] = [];
  for (let k = 0; k < phnum; k++) {
    const o = phoff + PHDR * k;
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const s = { offset: dv.getUint32(o + 4, true), vaddr: dv.getUint32(o + 8, true), filesz: dv.getUint32(o + 16, true), memsz: dv.getUint32(o + 20, true), flags: dv.getUint32(o + 24, true) };
    if (s.offset + s.filesz > b.length) bad(`segment ${k} runs past the end of the file`);
    if (s.filesz > s.memsz) bad(`segment ${k} has p_filesz > p_memsz`);
    if (s.offset % PAGE !== s.vaddr % PAGE) bad(`segment ${k}: p_offset and p_vaddr differ modulo the page size`);
    segments.push(s);
  }
  return { entry: dv.getUint32(24, true), osabi: b[7]!, segments };
}
