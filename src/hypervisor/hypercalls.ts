/*
 * The hypercall table: Xen 2.0's hypercalls 0-22 (numbers, argument registers and
 * structures from src/hypervisor/abi, i.e. xen/include/public/xen.h of the 2.0
 * line), each a function of the domain's state and the raw argument registers that
 * returns the value for eax. Guest memory is read and written only through
 * XenMemory.read/write (copy_from_user / copy_to_user: a bad pointer is -EFAULT,
 * never a fault). Refusals are logged in xen.mm.log and return a negative errno.
 *
 * Side effects on the run (blocking, shutdown, timers, events) go through the
 * HypercallHost interface, which the platform implements.
 */
import {
  ARGS_PER_MULTICALL_ENTRY,
  ConsoleIO,
  DOMID_SELF,
  EvtchnOp,
  FIRST_RESERVED_GDT_ENTRY,
  HYPERVISOR_VIRT_START,
  Hypercall,
  LAYOUT,
  MmuCmd,
  MmuExt,
  NR_VIRQS,
  PhysdevOp,
  SchedOp,
  Uvmf,
  VmAssist,
} from './abi/index.js';
import type { Domain } from './domain.js';
import { grantTableOp } from './grant.js';
import { PAGE, PGT_L1, PGT_L2, PGT_SEG, PGT_WRITABLE, PTE_P } from './frames.js';
import type { XenMemory } from './paging.js';
import type { Xen } from './xen.js';

export const EPERM = 1;
export const ESRCH = 3;
export const EFAULT = 14;
export const EEXIST = 17;
export const EINVAL = 22;
export const ENOSYS = 38;

/** Largest batch mmu_update / multicall accept (a bound on hypervisor work per call). */
export const MAX_BATCH = 4096;

export const HYPERCALL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Hypercall)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** What the hypercalls need from the running platform. */
export interface HypercallHost {
  readonly xen: Xen;
  readonly dom: Domain;
  readonly mem: XenMemory;
  /** Current system time in ns. */
  now(): bigint;
  /** Re-plans the machine deadline after a timer change. */
  timersChanged(): void;
  /** sched_op block: wait for an event (may advance time or end the run). */
  block(): void;
  /** sched_op shutdown: ends the run. */
  shutdown(reason: number): never;
  /** Marks an event channel pending (evtchn_set_pending). */
  sendEvent(port: number): void;
  /** Extra text for the hypercall record (mmu_update requests). */
  note(s: string): void;
  /** I/O privilege granted by physdev_op SET_IOPL. */
  iopl: number;
  debugRegs: number[];
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
const s32 = (n: number): number => n | 0;

export function dispatch(h: HypercallHost, nr: number, a: number[], inMulticall = false): number {
  switch (nr) {
    case Hypercall.set_trap_table:
      return setTrapTable(h, a[0]!);
    case Hypercall.mmu_update:
      return mmuUpdate(h, a[0]!, a[1]!, a[2]!);
    case Hypercall.set_gdt:
      return setGdt(h, a[0]!, a[1]!);
    case Hypercall.stack_switch:
      if ((a[0]! & 3) === 0) return fail(h, -EPERM, `stack_switch: ss ${hex(a[0]!)} has RPL 0`);
      h.dom.kernelSs = a[0]! & 0xffff;
      h.dom.kernelEsp = a[1]! >>> 0;
      return 0;
    case Hypercall.set_callbacks:
      if ((a[0]! & 3) === 0 || (a[2]! & 3) === 0) return fail(h, -EPERM, 'set_callbacks: code selector with RPL 0');
      h.dom.eventCs = a[0]! & 0xffff;
      h.dom.eventAddress = a[1]! >>> 0;
      h.dom.failsafeCs = a[2]! & 0xffff;
      h.dom.failsafeAddress = a[3]! >>> 0;
      return 0;
    case Hypercall.fpu_taskswitch:
      h.dom.fpuTs = true;
      return 0;
    case Hypercall.sched_op:
      return schedOp(h, a[0]!);
    case Hypercall.dom0_op:
      return fail(h, -EPERM, 'dom0_op: the domain is not privileged');
    case Hypercall.set_debugreg: {
      const reg = a[0]!;
      if (reg < 0 || reg > 7) return -EINVAL;
      if (reg < 4 && a[1]! >>> 0 > HYPERVISOR_VIRT_START - 4) return fail(h, -EPERM, `set_debugreg: DR${reg} = ${hex(a[1]!)} points into the hypervisor hole`);
      h.debugRegs[reg] = a[1]! | 0;
      return 0;
    }
    case Hypercall.get_debugreg:
      return a[0]! >= 0 && a[0]! <= 7 ? h.debugRegs[a[0]!]! : -EINVAL;
    case Hypercall.update_descriptor:
      return updateDescriptor(h, a[0]!, a[1]!, a[2]!);
    case Hypercall.set_fast_trap:
      return a[0] === 0 || a[0] === 0x80 ? 0 : -EINVAL;
    case Hypercall.dom_mem_op:
      return fail(h, -ENOSYS, 'dom_mem_op: memory reservations are fixed in this hypervisor');
    case Hypercall.multicall:
      if (inMulticall) return fail(h, -EINVAL, 'multicall: nested multicall');
      return multicall(h, a[0]!, a[1]!);
    case Hypercall.update_va_mapping:
      return updateVaMapping(h, a[0]!, a[1]!, a[2]!);
    case Hypercall.set_timer_op: {
      const t = (BigInt(a[1]! >>> 0) << 32n) | BigInt(a[0]! >>> 0);
      h.dom.timerDeadlineNs = t === 0n ? null : t;
      h.timersChanged();
      return 0;
    }
    case Hypercall.event_channel_op:
      return eventChannelOp(h, a[0]!);
    case Hypercall.xen_version:
      return (2 << 16) | 0;
    case Hypercall.console_io:
      return consoleIo(h, a[0]!, a[1]!, a[2]!);
    case Hypercall.physdev_op: {
      const cmd = h.mem.read32(a[0]!);
      const arg = h.mem.read32((a[0]! + 4) >>> 0);
      if (cmd === undefined || arg === undefined) return -EFAULT;
      if (cmd === PhysdevOp.SET_IOPL) {
        if (arg > 3) return -EINVAL;
        h.iopl = arg;
        return 0;
      }
      if (cmd === PhysdevOp.IRQ_STATUS_QUERY || cmd === PhysdevOp.IRQ_UNMASK_NOTIFY) return fail(h, -EPERM, 'physdev_op: no physical IRQs for this domain');
      return -EINVAL;
    }
    case Hypercall.grant_table_op:
      return grantTableOp(h, a[0]!, a[1]!, a[2]!);
    case Hypercall.vm_assist: {
      const [cmd, type] = [a[0]!, a[1]!];
      if (type > VmAssist.TYPE_writable_pagetables || (cmd !== VmAssist.CMD_enable && cmd !== VmAssist.CMD_disable)) return -EINVAL;
      if (type === VmAssist.TYPE_writable_pagetables) return fail(h, -ENOSYS, 'vm_assist: writable page tables are not emulated');
      if (cmd === VmAssist.CMD_enable) h.dom.vmAssist |= 1 << type;
      else h.dom.vmAssist &= ~(1 << type);
      return 0;
    }
    case Hypercall.update_va_mapping_otherdomain:
      return fail(h, -EPERM, 'update_va_mapping_otherdomain: the domain is not privileged');
    default:
      return fail(h, -ENOSYS, `hypercall ${nr >>> 0} does not exist`);
  }
}

function fail(h: HypercallHost, rc: number, msg: string): number {
  h.xen.mm.fail(msg);
  return rc;
}

function setTrapTable(h: HypercallHost, va: number): number {
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

function mmuUpdate(h: HypercallHost, reqs: number, count: number, pdone: number): number {
  const { xen, dom: d, mem } = h;
  const mm = xen.mm;
  count = s32(count);
  if (count > MAX_BATCH) return fail(h, -EINVAL, `mmu_update: ${count} requests (more than ${MAX_BATCH})`);
  let done = 0;
  let rc = 0;
  const notes: string[] = [];
  for (; done < count; done++) {
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

/** Xen 2.0 check_descriptor: no DPL 0, system descriptors only as call gates. */
export function checkDescriptor(lo: number, hi: number): string | undefined {
  if (!(hi & 0x8000)) return undefined;
  const dpl = (hi >>> 13) & 3;
  if (dpl === 0) return `descriptor ${hex(hi)}:${hex(lo)} has DPL 0`;
  if (!(hi & 0x1000) && ((hi >>> 8) & 0xf) !== 0xc) return `system descriptor ${hex(hi)}:${hex(lo)} (type ${(hi >>> 8) & 0xf}) is not allowed`;
  return undefined;
}

function setGdt(h: HypercallHost, listVa: number, entries: number): number {
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

function updateDescriptor(h: HypercallHost, ma: number, lo: number, hi: number): number {
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

function multicall(h: HypercallHost, list: number, nr: number): number {
  nr = s32(nr);
  if (nr > MAX_BATCH) return fail(h, -EINVAL, `multicall: ${nr} entries (more than ${MAX_BATCH})`);
  const E = LAYOUT.multicall_entry_t;
  for (let k = 0; k < nr; k++) {
    const va = (list + k * E.size) >>> 0;
    const b = h.mem.read(va, E.size);
    if (!b) return fail(h, -EFAULT, `multicall: entry ${k} at ${hex(va)} is not readable`);
    const dv = new DataView(b.buffer);
    const op = dv.getUint32(0, true);
    const args: number[] = [];
    for (let i = 0; i < ARGS_PER_MULTICALL_ENTRY - 1; i++) args.push(dv.getInt32(4 + 4 * i, true));
    const r = dispatch(h, op, args, true);
    // Xen 2.0 returns each call's result in args[5] of its entry.
    if (!h.mem.write32((va + 4 + 4 * 5) >>> 0, r)) return fail(h, -EFAULT, `multicall: entry ${k} is not writable`);
  }
  return 0;
}

function updateVaMapping(h: HypercallHost, pageNr: number, val: number, flags: number): number {
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

function eventChannelOp(h: HypercallHost, va: number): number {
  const d = h.dom;
  const b = h.mem.read(va, LAYOUT.evtchn_op_t.size);
  if (!b) return fail(h, -EFAULT, `event_channel_op: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer);
  const cmd = dv.getUint32(0, true);
  const arg0 = dv.getUint32(4, true);
  switch (cmd) {
    case EvtchnOp.bind_virq: {
      if (arg0 >= NR_VIRQS) return fail(h, -EINVAL, `bind_virq: no VIRQ ${arg0}`);
      if (d.virqPort.has(arg0)) return fail(h, -EEXIST, `bind_virq: VIRQ ${arg0} is already bound`);
      let port = 1;
      while (port < d.evtchn.length && d.evtchn[port]!.kind !== 'free') port++;
      if (port >= 1024) return -ENOSYS;
      d.evtchn[port] = { kind: 'virq', virq: arg0 };
      d.virqPort.set(arg0, port);
      if (!h.mem.write32((va + 8) >>> 0, port)) return -EFAULT;
      h.timersChanged();
      return 0;
    }
    case EvtchnOp.close: {
      const s = d.evtchn[arg0];
      if (!s || arg0 === 0 || s.kind === 'free') return fail(h, -EINVAL, `evtchn close: port ${arg0} is not in use`);
      if (s.kind === 'virq') d.virqPort.delete(s.virq);
      d.evtchn[arg0] = { kind: 'free' };
      return 0;
    }
    case EvtchnOp.send:
      return fail(h, -EINVAL, `evtchn send: port ${arg0} is not an interdomain channel`);
    case EvtchnOp.status: {
      const s = d.evtchn[arg0];
      const st = !s || s.kind === 'free' ? 0 : s.kind === 'unbound' ? 1 : 4;
      if (arg0 >= 1024) return -EINVAL;
      return h.mem.write32((va + 8) >>> 0, st) ? 0 : -EFAULT;
    }
    case EvtchnOp.bind_interdomain:
    case EvtchnOp.bind_pirq:
      return fail(h, -EPERM, `event_channel_op ${cmd}: needs another domain or physical IRQs`);
    default:
      return -ENOSYS;
  }
}

function consoleIo(h: HypercallHost, cmd: number, count: number, buf: number): number {
  if (cmd === ConsoleIO.write) {
    count = s32(count);
    if (count < 0) return -EINVAL;
    const n = Math.min(count, 1 << 16);
    const b = h.mem.read(buf, n);
    if (!b) return fail(h, -EFAULT, `console_io: buffer ${hex(buf)} (+${n}) is not readable`);
    h.dom.console += Buffer.from(b).toString('latin1');
    return 0;
  }
  if (cmd === ConsoleIO.read) return 0;
  return -ENOSYS;
}

function schedOp(h: HypercallHost, op: number): number {
  switch (op & SchedOp.cmdmask) {
    case SchedOp.yield:
      return 0;
    case SchedOp.block:
      h.block();
      return 0;
    case SchedOp.shutdown:
      return h.shutdown((op >>> SchedOp.reasonshift) & 0xff);
    default:
      return -ENOSYS;
  }
}
