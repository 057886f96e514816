/*
 * Page-table validation with Xen 2.0's reference-counting rules, after the shapes of
 * xen/arch/x86/memory.c in the 2.0 line: get_page / put_page (general references),
 * get_page_type / put_page_type (typed references; a frame's type changes only at
 * type count zero, and an L1/L2 frame is validated — alloc_l1_table /
 * alloc_l2_table take a reference for every present entry — when it gains its first
 * typed reference, and freed — free_l1_table / free_l2_table drop them — when it
 * loses its last), get_page_from_l1e / l2e, mod_l1_entry / mod_l2_entry, pinning,
 * and the base pointer.
 *
 * Rules enforced (each failure is logged and returns false; nothing is changed):
 *  - only frames the domain owns may be mapped, used as tables, or pinned;
 *  - a writable mapping takes a PGT_WRITABLE type reference, so a frame that is an
 *    L1/L2 (or GDT) table can never be mapped writable, and vice versa;
 *  - an L2 entry takes an L1 type reference on its target, or is a read-only
 *    "linear" mapping of an already validated L2 (itself: no reference);
 *  - L1 entries with PAT/global bits and L2 entries with PSE/global bits are refused;
 *  - L2 slots from HYPERVISOR_VIRT_START (>= 1008) belong to the hypervisor: guest
 *    updates there are refused, and validation clears them (Xen writes its own
 *    entries there; this emulation keeps them empty and the MMU walker serves the
 *    hole itself — see paging.ts).
 * Invariant after every public call: the counts equal what the page tables, pins,
 * base pointers and segment uses imply (checked by invariants.ts).
 */
import { HYPERVISOR_VIRT_START } from '../xen-abi/index.js';
import {
  F_PINNED,
  F_VALIDATED,
  L1_DISALLOW_MASK,
  L2_DISALLOW_MASK,
  MachineMemory,
  OWNER_FREE,
  PGT_L1,
  PGT_L2,
  PGT_NONE,
  PGT_SEG,
  PGT_WRITABLE,
  PTE_P,
  PTE_RW,
  TYPE_NAMES,
  type FrameType,
} from './frames.js';

/** First L2 slot of the hypervisor hole: 0xFC000000 >> 22 = 1008. */
export const FIRST_XEN_L2_SLOT = HYPERVISOR_VIRT_START >>> 22;

/** What the page-table code needs to know about a domain. */
export interface MmDomain {
  readonly id: number;
  /** Machine frame of the current page directory (CR3), or -1. */
  baseMfn: number;
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

export class Mm {
  /** Messages of refused requests (Xen's MEM_LOG), newest last; capped. */
  readonly log: string[] = [];
  logged = 0;
  /** Called when a mapping may have been removed or downgraded (TLB flush). */
  onChange: () => void = () => {};
  /**
   * Called when an entry of an in-use table changed from `old` (mod_l1/l2_entry):
   * a TLB flush, unless the platform keeps translations until the guest
   * invalidates them (lazy TLB).
   */
  onEntryChange: (old: number) => void = () => this.onChange();
  /** Called when a frame loses its last reference (Xen frees it). */
  onRelease: (mfn: number) => void = () => {};

  constructor(readonly mem: MachineMemory) {}

  fail(msg: string): false {
    this.logged++;
    this.log.push(msg);
    if (this.log.length > 256) this.log.splice(0, this.log.length - 256);
    return false;
  }

  // ---- general references ----

  /** get_page: a reference on a frame owned by `d`. */
  getPage(mfn: number, d: MmDomain): boolean {
    const m = this.mem;
    if (!m.isFrame(mfn)) return this.fail(`frame ${hex(mfn)} is not in machine memory`);
    if (m.owner[mfn] !== d.id)
      return this.fail(`frame ${hex(mfn)} belongs to ${ownerName(m.owner[mfn]!)}, not domain ${d.id}`);
    m.refs[mfn]!++;
    return true;
  }

  putPage(mfn: number): void {
    const m = this.mem;
    if (m.refs[mfn]! <= 0) throw new Error(`internal error: put_page underflow on frame ${hex(mfn)}`);
    // The last reference of a domain's frame gone (its allocation given back
    // first): the frame is freed (Xen's free_domheap_page).
    if (--m.refs[mfn]! === 0 && m.owner[mfn] !== OWNER_FREE) this.onRelease(mfn);
  }

  // ---- typed references ----

  /** get_page_type: one more use of the frame as `type`; validates a page table. */
  getPageType(mfn: number, type: FrameType, d: MmDomain): boolean {
    const m = this.mem;
    if (m.typeCount[mfn] === 0) {
      if (m.type[mfn] !== type) {
        m.type[mfn] = type;
        m.flags[mfn]! &= ~F_VALIDATED;
      }
      m.typeCount[mfn] = 1;
      if (!(m.flags[mfn]! & F_VALIDATED) && (type === PGT_L1 || type === PGT_L2 || type === PGT_SEG)) {
        const ok = type === PGT_L1 ? this.allocL1(mfn, d) : type === PGT_L2 ? this.allocL2(mfn, d) : true;
        if (!ok) {
          m.typeCount[mfn] = 0;
          return this.fail(`frame ${hex(mfn)} failed validation as ${TYPE_NAMES[type]}`);
        }
        m.flags[mfn]! |= F_VALIDATED;
      }
      if (type !== PGT_L1 && type !== PGT_L2) m.flags[mfn]! |= F_VALIDATED;
      if (type === PGT_L1 || type === PGT_L2 || type === PGT_SEG) this.onChange();
      return true;
    }
    if (m.type[mfn] !== type)
      return this.fail(`frame ${hex(mfn)} is in use as ${TYPE_NAMES[m.type[mfn]!]} (${m.typeCount[mfn]} uses), not ${TYPE_NAMES[type]}`);
    m.typeCount[mfn]!++;
    return true;
  }

  /** put_page_type: one use fewer; a page table losing its last use is freed. */
  putPageType(mfn: number): void {
    const m = this.mem;
    if (m.typeCount[mfn]! <= 0) throw new Error(`internal error: put_page_type underflow on frame ${hex(mfn)}`);
    if (--m.typeCount[mfn]! === 0) {
      const t = m.type[mfn];
      if ((t === PGT_L1 || t === PGT_L2) && m.flags[mfn]! & F_VALIDATED) {
        m.flags[mfn]! &= ~F_VALIDATED;
        if (t === PGT_L1) this.freeL1(mfn);
        else this.freeL2(mfn);
      }
    }
  }

  getPageAndType(mfn: number, type: FrameType, d: MmDomain): boolean {
    if (!this.getPage(mfn, d)) return false;
    if (!this.getPageType(mfn, type, d)) {
      this.putPage(mfn);
      return false;
    }
    return true;
  }

  putPageAndType(mfn: number): void {
    this.putPageType(mfn);
    this.putPage(mfn);
  }

  // ---- entries ----

  /** get_page_from_l1e: references for one present L1 entry. */
  getFromL1e(e: number, d: MmDomain): boolean {
    if (!(e & PTE_P)) return true;
    if (e & L1_DISALLOW_MASK) return this.fail(`bad L1 entry ${hex(e)}: PAT/global bits (${hex(e & L1_DISALLOW_MASK)}) are not allowed`);
    const mfn = e >>> 12;
    if (e & PTE_RW) return this.getPageAndType(mfn, PGT_WRITABLE, d);
    return this.getPage(mfn, d);
  }

  putFromL1e(e: number): void {
    if (!(e & PTE_P)) return;
    const mfn = e >>> 12;
    if (e & PTE_RW) this.putPageAndType(mfn);
    else this.putPage(mfn);
  }

  /** get_page_from_l2e: an L1 reference on the target, or a read-only linear map of an L2. */
  getFromL2e(e: number, selfMfn: number, d: MmDomain): boolean {
    if (!(e & PTE_P)) return true;
    if (e & L2_DISALLOW_MASK) return this.fail(`bad L2 entry ${hex(e)}: PSE/global bits (${hex(e & L2_DISALLOW_MASK)}) are not allowed`);
    const mfn = e >>> 12;
    const m = this.mem;
    // Linear (recursive) page tables: an L2 entry that names an L2.
    if (m.isFrame(mfn) && m.typeCount[mfn]! > 0 && m.type[mfn] === PGT_L2) return this.getLinear(e, selfMfn, d);
    if (mfn === selfMfn) return this.getLinear(e, selfMfn, d);
    return this.getPageAndType(mfn, PGT_L1, d);
  }

  private getLinear(e: number, selfMfn: number, d: MmDomain): boolean {
    const mfn = e >>> 12;
    if (e & PTE_RW) return this.fail(`linear page-table entry ${hex(e)} must be read-only`);
    if (mfn === selfMfn) return true;
    const m = this.mem;
    if (!this.getPage(mfn, d)) return false;
    if (m.type[mfn] !== PGT_L2 || m.typeCount[mfn] === 0 || !(m.flags[mfn]! & F_VALIDATED)) {
      this.putPage(mfn);
      return this.fail(`linear page-table entry names frame ${hex(mfn)}, which is not a validated L2`);
    }
    m.typeCount[mfn]!++;
    return true;
  }

  putFromL2e(e: number, selfMfn: number): void {
    if (!(e & PTE_P)) return;
    const mfn = e >>> 12;
    if (mfn === selfMfn) return;
    this.putPageAndType(mfn);
  }

  // ---- tables ----

  private allocL1(mfn: number, d: MmDomain): boolean {
    const m = this.mem;
    for (let i = 0; i < 1024; i++) {
      if (!this.getFromL1e(m.entry(mfn, i), d)) {
        for (let j = 0; j < i; j++) this.putFromL1e(m.entry(mfn, j));
        return this.fail(`L1 frame ${hex(mfn)}: entry ${i} (${hex(m.entry(mfn, i))}) refused`);
      }
    }
    return true;
  }

  private allocL2(mfn: number, d: MmDomain): boolean {
    const m = this.mem;
    for (let i = 0; i < FIRST_XEN_L2_SLOT; i++) {
      if (!this.getFromL2e(m.entry(mfn, i), mfn, d)) {
        for (let j = 0; j < i; j++) this.putFromL2e(m.entry(mfn, j), mfn);
        return this.fail(`L2 frame ${hex(mfn)}: entry ${i} (${hex(m.entry(mfn, i))}) refused`);
      }
    }
    for (let i = FIRST_XEN_L2_SLOT; i < 1024; i++) m.setEntry(mfn, i, 0);
    return true;
  }

  private freeL1(mfn: number): void {
    for (let i = 0; i < 1024; i++) this.putFromL1e(this.mem.entry(mfn, i));
    this.onChange();
  }

  private freeL2(mfn: number): void {
    for (let i = 0; i < FIRST_XEN_L2_SLOT; i++) this.putFromL2e(this.mem.entry(mfn, i), mfn);
    this.onChange();
  }

  /** mod_l1_entry: entry `i` of L1 frame `mfn` (a validated, in-use L1) becomes `ne`. */
  modL1Entry(mfn: number, i: number, ne: number, d: MmDomain): boolean {
    const m = this.mem;
    const oe = m.entry(mfn, i);
    if (ne & PTE_P) {
      if (ne & L1_DISALLOW_MASK) return this.fail(`bad L1 entry ${hex(ne)}: PAT/global bits (${hex(ne & L1_DISALLOW_MASK)}) are not allowed`);
      if (((oe ^ ne) & (~0xfff | PTE_RW | PTE_P)) === 0) {
        m.setEntry(mfn, i, ne);
        this.onEntryChange(oe);
        return true;
      }
      if (!this.getFromL1e(ne, d)) return false;
    }
    m.setEntry(mfn, i, ne);
    this.putFromL1e(oe);
    this.onEntryChange(oe);
    return true;
  }

  /** mod_l2_entry: entry `i` of L2 frame `mfn` (a validated, in-use L2) becomes `ne`. */
  modL2Entry(mfn: number, i: number, ne: number, d: MmDomain): boolean {
    const m = this.mem;
    if (i >= FIRST_XEN_L2_SLOT) return this.fail(`L2 update of slot ${i} (VA ${hex(i << 22)}) in the hypervisor hole`);
    const oe = m.entry(mfn, i);
    if (ne & PTE_P) {
      if (ne & L2_DISALLOW_MASK) return this.fail(`bad L2 entry ${hex(ne)}: PSE/global bits (${hex(ne & L2_DISALLOW_MASK)}) are not allowed`);
      if (((oe ^ ne) & (~0xfff | PTE_RW | PTE_P)) === 0) {
        m.setEntry(mfn, i, ne);
        this.onEntryChange(oe);
        return true;
      }
      if (!this.getFromL2e(ne, mfn, d)) return false;
    }
    m.setEntry(mfn, i, ne);
    this.putFromL2e(oe, mfn);
    this.onEntryChange(oe);
    return true;
  }

  /**
   * MMU_NORMAL_PT_UPDATE: the word at machine address `ma` becomes `val`, validated
   * according to what the frame is (do_mmu_update's switch on the page type).
   */
  normalUpdate(ma: number, val: number, d: MmDomain): boolean {
    const m = this.mem;
    const mfn = ma >>> 12;
    if (!this.getPage(mfn, d)) return this.fail(`mmu_update: cannot update frame ${hex(mfn)}`);
    const i = (ma & 0xfff) >>> 2;
    let ok = false;
    const t = m.type[mfn];
    if (t === PGT_L1 || t === PGT_L2) {
      if (this.getPageType(mfn, t, d)) {
        ok = t === PGT_L1 ? this.modL1Entry(mfn, i, val, d) : this.modL2Entry(mfn, i, val, d);
        this.putPageType(mfn);
      }
    } else if (this.getPageType(mfn, PGT_WRITABLE, d)) {
      m.setWord(ma & ~3, val);
      ok = true;
      this.putPageType(mfn);
    }
    this.putPage(mfn);
    return ok;
  }

  /** MMUEXT_PIN_L1_TABLE / PIN_L2_TABLE. */
  pin(mfn: number, type: FrameType, d: MmDomain): boolean {
    const m = this.mem;
    if (!this.getPageAndType(mfn, type, d)) return this.fail(`pin: frame ${hex(mfn)} cannot be used as ${TYPE_NAMES[type]}`);
    if (m.flags[mfn]! & F_PINNED) {
      this.putPageAndType(mfn);
      return this.fail(`pin: frame ${hex(mfn)} is already pinned`);
    }
    m.flags[mfn]! |= F_PINNED;
    return true;
  }

  /** MMUEXT_UNPIN_TABLE. */
  unpin(mfn: number, d: MmDomain): boolean {
    const m = this.mem;
    if (!this.getPage(mfn, d)) return this.fail(`unpin: frame ${hex(mfn)} is not the domain's`);
    if (!(m.flags[mfn]! & F_PINNED)) {
      this.putPage(mfn);
      return this.fail(`unpin: frame ${hex(mfn)} is not pinned`);
    }
    m.flags[mfn]! &= ~F_PINNED;
    this.putPageAndType(mfn);
    this.putPage(mfn);
    return true;
  }

  /** MMUEXT_NEW_BASEPTR: the L2 at `mfn` becomes the domain's page directory. */
  newBaseptr(mfn: number, d: MmDomain): boolean {
    if (!this.getPageAndType(mfn, PGT_L2, d)) return this.fail(`new_baseptr: frame ${hex(mfn)} cannot be used as an L2`);
    const old = d.baseMfn;
    d.baseMfn = mfn;
    if (old >= 0) this.putPageAndType(old);
    this.onChange();
    return true;
  }

  /** Frees a frame that has no references left (domain teardown). */
  release(mfn: number): void {
    const m = this.mem;
    m.owner[mfn] = OWNER_FREE;
    m.type[mfn] = PGT_NONE;
    m.flags[mfn] = 0;
    m.junkFrame(mfn);
  }
}

export function ownerName(o: number): string {
  if (o === OWNER_FREE) return 'nobody (free)';
  if (o === 0x7ff2) return 'Xen';
  return `domain ${o}`;
}
