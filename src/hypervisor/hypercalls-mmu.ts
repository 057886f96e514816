/*
 * The page-table hypercalls: mmu_update (normal page-table updates, machine-to-
 * physical updates, the extended MMUEXT commands: pin/unpin, new base pointer, TLB
 * flushes, LDT) and update_va_mapping. Each validates through xen.mm (mm.ts) and
 * refuses with a negative errno.
 */
import { DOMID_SELF, HYPERVISOR_VIRT_START, MmuCmd, MmuExt, Uvmf } from '../xen-abi/index.js';
import { PAGE, PGT_L1, PGT_L2, PTE_P } from './frames.js';
import { COST, EFAULT, EINVAL, fail, hex, MAX_BATCH, s32, type HypercallHost } from './hypercalls-common.js';

export function mmuUpdate(h: HypercallHost, reqs: number, count: number, pdone: number): number {
  const { xen, dom: d, mem } = h;
  const mm = xen.mm;
  count = s32(count);
  if (count > MAX_BATCH) return fail(h, -EINVAL, `mmu_update: ${count} requests (more than ${MAX_BATCH})`);
  let done = 0;
  let rc = 0;
  const notes: string[] = [];
  for (; done < count; done++) {
    h.charge(COST.batchElement);
    const ptr = mem.read32((reqs + done * 8) >>> 0);
    const val = mem.read32((reqs + done * 8 + 4) >>> 0);
    if (ptr === undefined || val === undefined) {
      rc = fail(h, -EFAULT, `mmu_update: request ${done} at ${hex(reqs + done * 8)} is not readable`);
      break;
    }
    const cmd = ptr & 3;
    const p = ptr & ~3;
    let ok = false;
    if (notes.length < 4) notes.push(`${['pt', '?', 'machphys', 'ext'][cmd]} ${hex(p)}=${hex(val)}`);
    switch (cmd) {
      case MmuCmd.NORMAL_PT_UPDATE:
        ok = mm.normalUpdate(p, val, d);
        break;
      case MmuCmd.MACHPHYS_UPDATE: {
        const mfn = p >>> 12;
        if (mm.getPage(mfn, d)) {
          xen.setM2p(mfn, val);
          mm.putPage(mfn);
          ok = true;
        }
        break;
      }
      case MmuCmd.EXTENDED_COMMAND:
        ok = extended(h, p, val);
        break;
      default:
        mm.fail(`mmu_update: invalid command ${cmd} in ptr ${hex(ptr)}`);
    }
    if (!ok) {
      rc = -EINVAL;
      break;
    }
  }
  if (notes.length) h.note(notes.join('; ') + (count > notes.length ? ` (+${count - notes.length})` : ''));
  if (pdone !== 0 && !mem.write32(pdone, done)) return -EFAULT;
  return rc;
}

function extended(h: HypercallHost, ptr: number, val: number): boolean {
  const { xen, dom: d, mem } = h;
  const mm = xen.mm;
  const cmd = val & MmuExt.CMD_MASK;
  const mfn = ptr >>> 12;
  switch (cmd) {
    case MmuExt.PIN_L1_TABLE:
      return mm.pin(mfn, PGT_L1, d);
    case MmuExt.PIN_L2_TABLE:
      return mm.pin(mfn, PGT_L2, d);
    case MmuExt.PIN_L3_TABLE:
    case MmuExt.PIN_L4_TABLE:
      return mm.fail('mmuext: L3/L4 tables do not exist on x86_32');
    case MmuExt.UNPIN_TABLE:
      return mm.unpin(mfn, d);
    case MmuExt.NEW_BASEPTR:
      return mm.newBaseptr(mfn, d);
    case MmuExt.TLB_FLUSH:
      mem.flush();
      return true;
    case MmuExt.INVLPG:
      mem.flushOne(ptr);
      return true;
    case MmuExt.FLUSH_CACHE:
      return mm.fail('mmuext: FLUSH_CACHE needs physical-device privilege');
    case MmuExt.SET_LDT: {
      const ents = val >>> MmuExt.CMD_SHIFT;
      if ((ptr & (PAGE - 1)) !== 0 || ents > 8192 || (ptr >>> 0) + ents * 8 > HYPERVISOR_VIRT_START)
        return mm.fail(`mmuext: bad LDT base ${hex(ptr)} / ${ents} entries`);
      d.ldtBase = ptr >>> 0;
      d.ldtEntries = ents;
      return true;
    }
    case MmuExt.SET_FOREIGNDOM:
      if (val >>> 16 === DOMID_SELF) return true;
      return mm.fail(`mmuext: SET_FOREIGNDOM ${val >>> 16} needs privilege`);
    case MmuExt.CLEAR_FOREIGNDOM:
      return true;
    case MmuExt.TRANSFER_PAGE:
    case MmuExt.REASSIGN_PAGE:
      return mm.fail('mmuext: page transfer needs a second domain and privilege');
    default:
      return mm.fail(`mmuext: unknown command ${cmd}`);
  }
}

export function updateVaMapping(h: HypercallHost, pageNr: number, val: number, flags: number): number {
  const { xen, dom: d, mem } = h;
  const va = (pageNr << 12) >>> 0;
  if (pageNr >>> 0 >= HYPERVISOR_VIRT_START >>> 12) return fail(h, -EINVAL, `update_va_mapping: page ${hex(pageNr)} is in the hypervisor hole`);
  if (d.baseMfn < 0) return -EINVAL;
  const l2e = xen.mem.entry(d.baseMfn, va >>> 22);
  const l1 = l2e >>> 12;
  if (!(l2e & PTE_P) || xen.mem.type[l1] !== PGT_L1 || xen.mem.typeCount[l1] === 0)
    return fail(h, -EINVAL, `update_va_mapping: no L1 table maps ${hex(va)}`);
  if (!xen.mm.modL1Entry(l1, (va >>> 12) & 1023, val, d)) return -EINVAL;
  if (flags & Uvmf.INVLPG) mem.flushOne(va);
  if (flags & Uvmf.FLUSH_TLB) mem.flush();
  return 0;
}
