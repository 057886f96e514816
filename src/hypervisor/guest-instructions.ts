/*
 * The privileged and sensitive instructions of a ring-1 Xen guest: which ones the
 * hypervisor carries out for it (cpuid with the guest's features, rdtsc, pushf/popf
 * with the real IF showing, sgdt/sidt, the control-register reads and MSRs Xen
 * emulates, port I/O once physdev_op SET_IOPL granted it), which ones raise #GP into
 * the guest, and the selector checks of segment loads. Split from platform.ts, which
 * keeps time, events and termination (trap delivery: guest-traps.ts).
 */
import type { IntrinsicName, RegName } from '../ir/index.js';
import { EAX, EBX, ECX, EDX, EFLAGS, REG_INDEX, hex32, popFlags, pushFlags, readTimeStamp, type Machine } from '../emulate/index.js';
import { cpuid, CR0_ET, CR0_PE, CR0_PG, CR0_TS, FL_IF as IF, FL_IOPL as IOPL, PicPair, Pit8254, PortBus, TIMER_FREQ, Uart16550, type CpuFeatures } from '../emulate/pc/index.js';
import { FIRST_RESERVED_GDT_ENTRY, HYPERVISOR_VIRT_START } from '../xen-abi/index.js';
import { deliverToGuest, guestGP, guestSoftInt } from './guest-traps.js';
import type { XenPlatform } from './platform.js';

/** The instructions ring 3 may execute (the rest are #GP for the guest kernel, as on x86 with IOPL 0). */
const RING3: ReadonlySet<IntrinsicName> = new Set<IntrinsicName>(['int', 'int3', 'cpuid', 'rdtsc', 'pushf', 'popf', 'smsw', 'sgdt', 'sidt', 'sldt', 'str', 'lar', 'lsl', 'verr', 'verw', 'bsf', 'bsr', 'bswap']);

/** What CPUID shows a guest: no 4 MB pages, global pages or PAE. */
const GUEST_FEATURES: CpuFeatures = { pse: false, pge: false, pae: false };

/** Platform.intrinsic for a ring-1 guest: carries out, emulates or refuses (#GP) instruction `name`. */
export function emulateIntrinsic(p: XenPlatform, m: Machine, name: IntrinsicName, a: number, _b: number, eip: number): number {
  const R = m.regs;
  // A process of the guest (ring 3) has only the unprivileged instructions; popf
  // there keeps IF and IOPL as the CPU does.
  if ((R[REG_INDEX.cs]! & 3) === 3 && !RING3.has(name)) return guestGP(p, m, `${name} in ring 3`, eip);
  if ((R[REG_INDEX.cs]! & 3) === 3 && name === 'popf') {
    popFlags(R, m.mem, IF | IOPL, eip);
    return 0;
  }
  switch (name) {
    case 'int':
      if ((a & 255) === 0x82) {
        p.hypercall(m, eip);
        return R[EAX]!;
      }
      return guestSoftInt(p, m, a & 255, eip);
    case 'int3':
      if (deliverToGuest(p, m, 3, undefined, eip, m.after(eip))) return 0;
      return p.terminate(m, 'guest-fault', 'int3 (breakpoint) with no #BP handler in the trap table', eip);
    case 'cpuid': {
      // The host CPU (the emulated PC's, QEMU's qemu32) with the paging features Xen
      // 2.0 does not give a paravirtual guest hidden (seed step 4).
      [R[EAX], R[EBX], R[ECX], R[EDX]] = cpuid(R[EAX]!, GUEST_FEATURES);
      return 0;
    }
    case 'rdtsc':
      readTimeStamp(R, m.steps);
      return 0;
    case 'pushf':
      // Sensitive, not privileged: the real IF (always 1 for a Xen guest) shows.
      pushFlags(R, m.mem, R[EFLAGS]! | IF | 2, eip);
      return 0;
    case 'popf':
      popFlags(R, m.mem, p.iopl >= 1 ? IOPL : IF | IOPL, eip);
      return 0;
    case 'smsw':
      return 0x33 | (p.dom.fpuTs ? 8 : 0);
    case 'sgdt':
    case 'sidt': {
      // Sensitive: reveals the hypervisor's tables (in the hole).
      const limit = name === 'sgdt' ? (FIRST_RESERVED_GDT_ENTRY + 40) * 8 - 1 : 0x7ff;
      m.mem.st16(a, limit, eip);
      m.mem.st32((a + 2) | 0, (HYPERVISOR_VIRT_START + (name === 'sgdt' ? 0x400000 : 0x500000)) | 0, eip);
      return 0;
    }
    case 'sldt':
    case 'str':
    case 'lar':
    case 'lsl':
    case 'verr':
    case 'verw':
      return 0;
    case 'inb':
    case 'inw':
    case 'inl':
    case 'outb':
    case 'outw':
    case 'outl':
      if (p.iopl >= 1) {
        p.ioCounts.set(name, (p.ioCounts.get(name) ?? 0) + 1);
        const bus = p.portBus();
        const width = name.endsWith('b') ? 1 : name.endsWith('w') ? 2 : 4;
        if (name.startsWith('in')) return bus.read(a & 0xffff, width);
        bus.write(_b & 0xffff, a, width);
        return 0;
      }
      return guestGP(p, m, name, eip);
    case 'cli':
    case 'sti':
      if (p.iopl >= 1) {
        R[EFLAGS] = name === 'cli' ? R[EFLAGS]! & ~IF : R[EFLAGS]! | IF;
        return 0;
      }
      return guestGP(p, m, name, eip);
    // What the real ports left native: Xen emulates these for a ring-1 guest
    // (docs/hypervisor.md), as the rules' "leave" action expects.
    case 'rcr0':
      emulated(p, name, eip);
      return (CR0_PE | CR0_ET | CR0_PG | (p.dom.fpuTs ? CR0_TS : 0)) | 0;
    case 'rcr4':
      emulated(p, name, eip);
      return 0; // no PSE, PGE or PAE for a paravirtual guest
    case 'wbinvd':
    case 'invd':
      emulated(p, name, eip);
      return 0;
    case 'rdmsr':
      // No MSR is virtualised: every read gives 0 (no local APIC under Xen).
      emulated(p, `rdmsr 0x${(R[ECX]! >>> 0).toString(16)}`, eip);
      R[EAX] = 0;
      R[EDX] = 0;
      return 0;
    case 'wrmsr':
      emulated(p, `wrmsr 0x${(R[ECX]! >>> 0).toString(16)} (ignored)`, eip);
      return 0;
    default:
      return guestGP(p, m, name, eip);
  }
}

/** A privileged instruction the hypervisor carried out for the guest: traced, not fatal. */
function emulated(p: XenPlatform, what: string, eip: number): void {
  p.dom.trace?.push(`emulated ${what} at ${hex32(eip)}`);
  const key = `emulated ${what.split(' ')[0]}`;
  p.ioCounts.set(key, (p.ioCounts.get(key) ?? 0) + 1);
}

/** Why loading `sel` into `reg` is refused for a ring-1 guest (a #GP), or undefined when allowed. */
export function checkGuestSelector(p: XenPlatform, reg: RegName, sel: number): string | undefined {
  const rpl = sel & 3;
  const index = sel >>> 3;
  const cpl = (p.machine.regs[REG_INDEX.cs]! & 3) === 3 ? 3 : 1;
  if (sel < 4) return reg === 'cs' || reg === 'ss' ? 'null selector' : undefined;
  if ((reg === 'cs' || reg === 'ss') && rpl !== cpl) return `selector ${hex32(sel)} has RPL ${rpl}, the code runs in ring ${cpl}`;
  if (sel & 4) return p.dom.ldtEntries > index ? undefined : `LDT selector ${hex32(sel)} beyond the LDT`;
  if (index >= FIRST_RESERVED_GDT_ENTRY) return index < FIRST_RESERVED_GDT_ENTRY + 40 ? undefined : `selector ${hex32(sel)} beyond the GDT`;
  if (index >= p.dom.gdtEntries) return `selector ${hex32(sel)} beyond the guest GDT (${p.dom.gdtEntries} entries)`;
  const f = p.dom.gdtFrames[index >>> 9];
  if (f === undefined) return `selector ${hex32(sel)}: no GDT frame`;
  const hi = p.xen.mem.entry(f, 2 * (index & 511) + 1);
  if (!(hi & 0x8000)) return `selector ${hex32(sel)}: descriptor not present`;
  const dpl = (hi >>> 13) & 3;
  if (reg !== 'cs' && Math.max(cpl, rpl) > dpl && !(reg !== 'ss' && (hi & 0x1c00) === 0x1c00)) return `selector ${hex32(sel)}: DPL ${dpl} < CPL ${cpl}`;
  return undefined;
}

/**
 * The port I/O a guest reaches once physdev_op SET_IOPL granted it: the PC's PIT (on
 * system time), an inert PIC pair and a 16550 at 0x3f8 whose output also goes to the
 * domain console (CRs dropped). Other ports read as all ones.
 */
export function guestPortBus(p: XenPlatform): PortBus {
  const bus = new PortBus();
  const pit = new Pit8254(() => Number((p.now() * BigInt(TIMER_FREQ)) / 1_000_000_000n));
  bus.attach(pit, [0x40, 0x41, 0x42, 0x43]);
  bus.attach(new PicPair(), [0x20, 0x21, 0xa0, 0xa1]);
  const uart = new Uart16550(0x3f8);
  // The UART is the kernel's own console once it has I/O privilege: its bytes go
  // to the domain console too, in order with console_io output.
  uart.onByte = (b) => {
    const c = String.fromCharCode(b);
    p.serial.append(c);
    if (b !== 13) p.dom.console.append(c);
  };
  bus.attach(uart, [0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff]);
  return bus;
}
