/*
 * The hypercall table: Xen 2.0's hypercalls 0-22 (numbers, argument registers and
 * structures from src/xen-abi, i.e. xen/include/public/xen.h of the 2.0
 * line), each a function of the domain's state and the raw argument registers that
 * returns the value for eax. Guest memory is read and written only through
 * XenMemory.read/write (copy_from_user / copy_to_user: a bad pointer is -EFAULT,
 * never a fault). Refusals are logged in xen.mm.log and return a negative errno.
 *
 * Side effects on the run (blocking, shutdown, timers, events) go through the
 * HypercallHost interface, which the platform implements.
 */
import { ARGS_PER_MULTICALL_ENTRY, HYPERVISOR_VIRT_START, Hypercall, LAYOUT, PhysdevOp, VmAssist } from '../xen-abi/index.js';
import { grantTableOp } from './grant.js';
import { COST, EFAULT, EINVAL, ENOSYS, EPERM, fail, hex, MAX_BATCH, s32, type HypercallHost } from './hypercalls-common.js';
import { setGdt, setTrapTable, updateDescriptor } from './hypercalls-descriptors.js';
import { consoleIo, eventChannelOp, schedOp } from './hypercalls-events.js';
import { mmuUpdate, updateVaMapping } from './hypercalls-mmu.js';
import { domMemOp } from './reservation.js';

// The shared vocabulary and the hypercalls of each area live in their own files
// (hypercalls-common.ts, hypercalls-mmu.ts, hypercalls-descriptors.ts,
// hypercalls-events.ts); what importers used from here is re-exported.
export { EPERM, ESRCH, EFAULT, EEXIST, EINVAL, ENOSYS, MAX_BATCH, COST, type HypercallHost } from './hypercalls-common.js';
export { checkDescriptor } from './hypercalls-descriptors.js';

export const HYPERCALL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Hypercall)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

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
      return domMemOp(h, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!);
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
function multicall(h: HypercallHost, list: number, nr: number): number {
  nr = s32(nr);
  if (nr > MAX_BATCH) return fail(h, -EINVAL, `multicall: ${nr} entries (more than ${MAX_BATCH})`);
  const E = LAYOUT.multicall_entry_t;
  for (let k = 0; k < nr; k++) {
    h.charge(COST.batchElement);
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
