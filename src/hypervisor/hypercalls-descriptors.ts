/*
 * The descriptor-table hypercalls: set_trap_table (the guest's virtual IDT),
 * set_gdt and update_descriptor, with Xen 2.0's check_descriptor rule (no DPL 0,
 * system descriptors only as call gates).
 */
import { FIRST_RESERVED_GDT_ENTRY, LAYOUT } from '../xen-abi/index.js';
import { PAGE, PGT_SEG, PGT_WRITABLE } from './frames.js';
import { EFAULT, EINVAL, EPERM, fail, hex, s32, type HypercallHost } from './hypercalls-common.js';

export function setTrapTable(h: HypercallHost, va: number): number {
  const T = LAYOUT.trap_info_t;
  for (let k = 0; k < 256; k++) {
    const b = h.mem.read((va + k * T.size) >>> 0, T.size);
    if (!b) return fail(h, -EFAULT, `set_trap_table: entry ${k} at ${hex(va + k * T.size)} is not readable`);
    const dv = new DataView(b.buffer);
    const vector = dv.getUint8(T.fields.vector.offset);
    const flags = dv.getUint8(T.fields.flags.offset);
    const cs = dv.getUint16(T.fields.cs.offset, true);
    const address = dv.getUint32(T.fields.address.offset, true);
    if (address === 0) return 0;
    if ((cs & 3) === 0) return fail(h, -EPERM, `set_trap_table: vector ${vector} has code selector ${hex(cs)} with RPL 0`);
    h.dom.traps.set(vector, { vector, flags, cs, address });
  }
  return 0;
}

/** Xen 2.0 check_descriptor: no DPL 0, system descriptors only as call gates. */
export function checkDescriptor(lo: number, hi: number): string | undefined {
  if (!(hi & 0x8000)) return undefined;
  const dpl = (hi >>> 13) & 3;
  if (dpl === 0) return `descriptor ${hex(hi)}:${hex(lo)} has DPL 0`;
  if (!(hi & 0x1000) && ((hi >>> 8) & 0xf) !== 0xc) return `system descriptor ${hex(hi)}:${hex(lo)} (type ${(hi >>> 8) & 0xf}) is not allowed`;
  return undefined;
}

export function setGdt(h: HypercallHost, listVa: number, entries: number): number {
  const { xen, dom: d, mem } = h;
  const mm = xen.mm;
  entries = s32(entries);
  if (entries < 0 || entries > FIRST_RESERVED_GDT_ENTRY) return fail(h, -EINVAL, `set_gdt: ${entries} entries (at most ${FIRST_RESERVED_GDT_ENTRY})`);
  const pages = Math.ceil((entries * 8) / PAGE);
  const frames: number[] = [];
  for (let k = 0; k < pages; k++) {
    const f = mem.read32((listVa + 4 * k) >>> 0);
    if (f === undefined) return fail(h, -EFAULT, `set_gdt: frame list at ${hex(listVa)} is not readable`);
    frames.push(f);
  }
  const got: number[] = [];
  const undo = (): void => got.forEach((f) => mm.putPageAndType(f));
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    if (!xen.mem.isFrame(f) || xen.mem.owner[f] !== d.id) {
      undo();
      return fail(h, -EINVAL, `set_gdt: frame ${hex(f)} is not the domain's`);
    }
    const n = Math.min(512, entries - k * 512);
    for (let i = 0; i < n; i++) {
      const why = checkDescriptor(xen.mem.entry(f, 2 * i), xen.mem.entry(f, 2 * i + 1));
      if (why) {
        undo();
        return fail(h, -EINVAL, `set_gdt: entry ${k * 512 + i}: ${why}`);
      }
    }
    if (!mm.getPageAndType(f, PGT_SEG, d)) {
      undo();
      return fail(h, -EINVAL, `set_gdt: frame ${hex(f)} cannot become a GDT page (mapped writable?)`);
    }
    got.push(f);
  }
  for (const f of d.gdtFrames) mm.putPageAndType(f);
  d.gdtFrames = got;
  d.gdtEntries = entries;
  return 0;
}

export function updateDescriptor(h: HypercallHost, ma: number, lo: number, hi: number): number {
  const { xen, dom: d } = h;
  const mm = xen.mm;
  if ((ma & 7) !== 0) return fail(h, -EINVAL, `update_descriptor: ${hex(ma)} is not 8-aligned`);
  const why = checkDescriptor(lo, hi);
  if (why) return fail(h, -EINVAL, `update_descriptor: ${why}`);
  const mfn = ma >>> 12;
  if (!mm.getPage(mfn, d)) return -EINVAL;
  const t = xen.mem.type[mfn] === PGT_SEG && xen.mem.typeCount[mfn]! > 0 ? PGT_SEG : PGT_WRITABLE;
  if (!mm.getPageType(mfn, t, d)) {
    mm.putPage(mfn);
    return -EINVAL;
  }
  xen.mem.setWord(ma >>> 0, lo);
  xen.mem.setWord((ma + 4) >>> 0, hi);
  mm.putPageType(mfn);
  mm.putPage(mfn);
  return 0;
}
