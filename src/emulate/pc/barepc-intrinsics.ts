/*
 * BarePC's instructions that are not plain computation: the privileged and
 * sensitive i386 instructions (control, debug and descriptor-table registers,
 * port I/O, MSRs, cli/sti, pushf/popf, hlt, cpuid, rdtsc) with their ring-0 and
 * IOPL checks, as the bare PC carries them out. Split from barepc.ts so that file
 * holds the machine's wiring, boot and interrupt timing.
 *
 * Intrinsic rules (i386): the privileged ones (lcr*, rcr*, lgdt, lidt, lldt, ltr,
 * invlpg, invd, wbinvd, hlt, clts, lmsw, mov DRn, rdmsr, wrmsr, rdpmc) raise #GP(0)
 * outside ring 0; cli/sti need CPL <= IOPL; in/out need CPL <= IOPL or the TSS I/O
 * bitmap's permission; sgdt/sidt/sldt/str/smsw/pushf/popf/cpuid are not privileged
 * (popf silently keeps IF and IOPL where it may not change them); rdtsc faults in
 * rings 1-3 only with CR4.TSD. A delivered fault whose handler returns to the same
 * instruction runs it again. The run-mode sys_* intrinsics are #UD here.
 */
import type { IntrinsicName } from '../../ir/index.js';
import type { Machine } from '../machine.js';
import { EAX, EBX, ECX, EDX, EFLAGS } from '../regs.js';
import { CR0_TS, CR4_TSD, type PagedMemory } from './mmu.js';
import { FL_IF } from './eflags.js';
import { VEC_BP, VEC_GP, VEC_UD } from './cpu-events.js';
import type { X86Cpu } from './cpu.js';
import { cpuid, type CpuFeatures } from './cpuid.js';
import type { PortBus } from './port-bus.js';

/** An intrinsic whose #GP handler returned to it: run it again. */
export const RETRY = Symbol('retry');
const PRIVILEGED = new Set<IntrinsicName>([
  'hlt', 'lcr0', 'lcr3', 'lcr4', 'rcr0', 'rcr2', 'rcr3', 'rcr4', 'lmsw', 'clts', 'rddr', 'lddr', 'invlpg', 'invd', 'wbinvd',
  'lidt', 'lgdt', 'lldt', 'ltr', 'rdmsr', 'wrmsr', 'rdpmc',
]);

/** What the intrinsics use of the PC besides the registers (BarePC provides it). */
export interface IntrinsicHost {
  readonly machine: Machine;
  readonly cpu: X86Cpu;
  readonly mmu: PagedMemory;
  readonly ports: PortBus;
  readonly features: CpuFeatures;
  readonly debugExitPort?: number;
  /** Virtual time spent idle in hlt, in steps (wrmsr of the TSC moves it). */
  idle: number;
  /** Asks for a poll soon if an interrupt is waiting for IF. */
  kick(): void;
  hlt(m: Machine, eip: number): void;
  /** Re-plans the machine's deadline for the next PIT edge. */
  scheduleTimer(): void;
}

/** Delivers #GP(code) for the instruction at eip; RETRY when its handler returned to it. */
export function raiseGP(cpu: X86Cpu, m: Machine, eip: number, code = 0, message = 'general protection'): typeof RETRY | 0 {
  return cpu.exception(m, VEC_GP, code, eip, 'fault', { message }) === 'retry' ? RETRY : 0;
}

/** Carries out intrinsic `name` once; RETRY when a fault's handler asks for it to run again. */
export function executeIntrinsic(pc: IntrinsicHost, m: Machine, name: IntrinsicName, a: number, b: number, _c: number, eip: number): number | typeof RETRY {
  const R = m.regs;
  const cpu = pc.cpu;
  if (cpu.cpl !== 0 && PRIVILEGED.has(name)) return raiseGP(cpu, m, eip, 0, `${name} is privileged (CPL ${cpu.cpl})`);
  switch (name) {
    case 'cli':
    case 'sti':
      if (cpu.cpl > cpu.iopl(m)) return raiseGP(cpu, m, eip, 0, `${name} at CPL ${cpu.cpl} with IOPL ${cpu.iopl(m)}`);
      if (name === 'cli') R[EFLAGS] = R[EFLAGS]! & ~FL_IF;
      else {
        R[EFLAGS] = R[EFLAGS]! | FL_IF;
        pc.kick();
      }
      return 0;
    case 'hlt':
      pc.hlt(m, eip);
      return 0;
    case 'pushf':
      cpu.pushf(m, eip);
      return 0;
    case 'popf':
      cpu.popf(m, eip);
      pc.kick();
      return 0;
    case 'int':
      cpu.exception(m, a & 0xff, undefined, eip, 'software', { message: `int $0x${(a & 0xff).toString(16)}` });
      return 0;
    case 'int3':
      cpu.exception(m, VEC_BP, undefined, eip, 'software', { message: 'int3' });
      return 0;
    case 'lcr0':
      if (!cpu.writeCR0(a)) return raiseGP(cpu, m, eip, 0, `invalid CR0 value 0x${(a >>> 0).toString(16)}`);
      return 0;
    case 'lcr3':
      pc.mmu.loadCR3(a);
      return 0;
    case 'lcr4':
      if (!cpu.writeCR4(a)) return raiseGP(cpu, m, eip, 0, `reserved CR4 bits in 0x${(a >>> 0).toString(16)}`);
      return 0;
    case 'rcr0':
      return cpu.cr0;
    case 'rcr2':
      return cpu.cr2;
    case 'rcr3':
      return pc.mmu.cr3;
    case 'rcr4':
      return cpu.cr4;
    case 'lmsw':
      cpu.writeCR0((cpu.cr0 & ~0xe) | (a & 0xf) | (cpu.cr0 & 1));
      return 0;
    case 'smsw':
      return cpu.cr0 & 0xffff;
    case 'clts':
      cpu.cr0 &= ~CR0_TS;
      return 0;
    case 'rddr':
      return cpu.dr[a & 7]!;
    case 'lddr':
      cpu.dr[a & 7] = b;
      return 0;
    case 'invlpg':
      pc.mmu.invlpg(a);
      return 0;
    case 'invd':
    case 'wbinvd':
      return 0;
    case 'lidt':
    case 'lgdt': {
      const limit = m.mem.ld16u(a, eip);
      const base = m.mem.ld32((a + 2) | 0, eip);
      if (name === 'lidt') cpu.idtr = { base, limit };
      else cpu.gdtr = { base, limit };
      return 0;
    }
    case 'sidt':
    case 'sgdt': {
      const t = name === 'sidt' ? cpu.idtr : cpu.gdtr;
      m.mem.st16(a, t.limit, eip);
      m.mem.st32((a + 2) | 0, t.base, eip);
      return 0;
    }
    case 'lldt': {
      const code = cpu.loadLDT(a);
      return code === undefined ? 0 : raiseGP(cpu, m, eip, code, `lldt 0x${(a & 0xffff).toString(16)}: not an LDT descriptor`);
    }
    case 'ltr': {
      const code = cpu.loadTR(a);
      return code === undefined ? 0 : raiseGP(cpu, m, eip, code, `ltr 0x${(a & 0xffff).toString(16)}: not an available TSS descriptor`);
    }
    case 'sldt':
      return cpu.ldtr;
    case 'str':
      return cpu.tr.selector;
    case 'lar':
    case 'lsl':
    case 'verr':
    case 'verw': {
      const d = (a & ~3 & 0xffff) === 0 ? undefined : cpu.descriptor(a);
      if (!d) return 0;
      const dpl = (d[1] >>> 13) & 3;
      const type = (d[1] >>> 8) & 0x1f;
      const visible = dpl >= Math.max(cpu.cpl, a & 3) || (type & 0x1c) === 0x1c;
      if (!visible) return 0;
      if (name === 'lar') return d[1] & 0x00f0ff00;
      if (name === 'lsl') return (d[0] & 0xffff) | (d[1] & 0xf0000) | 0;
      if (!(type & 0x10)) return 0;
      if (name === 'verr') return (type & 0x18) === 0x10 || type & 2 ? 1 : 0;
      return (type & 0x18) === 0x10 && type & 2 ? 1 : 0;
    }
    case 'inb':
    case 'inw':
    case 'inl': {
      const w = name === 'inb' ? 1 : name === 'inw' ? 2 : 4;
      if (!cpu.ioAllowed(m, a & 0xffff, w)) return raiseGP(cpu, m, eip, 0, `${name} port 0x${(a & 0xffff).toString(16)} not permitted at CPL ${cpu.cpl}`);
      return pc.ports.read(a & 0xffff, w);
    }
    case 'outb':
    case 'outw':
    case 'outl': {
      const w = name === 'outb' ? 1 : name === 'outw' ? 2 : 4;
      if (!cpu.ioAllowed(m, b & 0xffff, w)) return raiseGP(cpu, m, eip, 0, `${name} port 0x${(b & 0xffff).toString(16)} not permitted at CPL ${cpu.cpl}`);
      if (pc.debugExitPort !== undefined && (b & 0xffff) === pc.debugExitPort) m.halt({ outcome: 'exit', exitCode: a });
      pc.ports.write(b & 0xffff, a, w);
      if ((b & 0xffff) === 0x20 || (b & 0xffff) === 0x21 || (b & 0xffff) === 0xa0 || (b & 0xffff) === 0xa1) pc.kick();
      if ((b & 0xfffc) === 0x40) pc.scheduleTimer();
      return 0;
    }
    case 'cpuid': {
      const [ea, eb, ec, ed] = cpuid(R[EAX]!, pc.features);
      R[EAX] = ea;
      R[EBX] = eb;
      R[ECX] = ec;
      R[EDX] = ed;
      return 0;
    }
    case 'rdmsr': {
      const v = readMsr(pc, R[ECX]! >>> 0);
      if (v === undefined) return raiseGP(cpu, m, eip, 0, `rdmsr of unknown MSR 0x${(R[ECX]! >>> 0).toString(16)}`);
      R[EAX] = Number(BigInt.asIntN(32, v));
      R[EDX] = Number(BigInt.asIntN(32, v >> 32n));
      return 0;
    }
    case 'wrmsr': {
      const msr = R[ECX]! >>> 0;
      if (readMsr(pc, msr) === undefined) return raiseGP(cpu, m, eip, 0, `wrmsr of unknown MSR 0x${msr.toString(16)}`);
      const v = (BigInt(R[EDX]! >>> 0) << 32n) | BigInt(R[EAX]! >>> 0);
      if (msr === 0x10) pc.idle += Number(v) - (m.steps + pc.idle);
      else cpu.msr.set(msr, v);
      return 0;
    }
    case 'rdpmc':
      R[EAX] = 0;
      R[EDX] = 0;
      return 0;
    case 'rdtsc': {
      if (cpu.cr4 & CR4_TSD && cpu.cpl !== 0) return raiseGP(cpu, m, eip, 0, 'rdtsc with CR4.TSD outside ring 0');
      const t = m.steps + pc.idle;
      R[EAX] = t | 0;
      R[EDX] = Math.floor(t / 0x100000000) | 0;
      return 0;
    }
    case 'sys_write':
    case 'sys_read':
    case 'sys_exit':
    case 'sys_sbrk':
      cpu.exception(m, VEC_UD, undefined, eip, 'fault', { message: `${name} exists only in run mode` });
      return m.halt({ outcome: 'fault', fault: { kind: 'invalid-opcode', eip, vector: VEC_UD, message: `${name} is a run-mode syscall, not an instruction of the PC` } });
    case 'bsf':
      return m.bsf(a);
    case 'bsr':
      return m.bsr(a);
    case 'bswap':
      return m.bswap(a);
  }
}

function readMsr(pc: IntrinsicHost, msr: number): bigint | undefined {
  if (msr === 0x10) return BigInt(pc.machine.steps + pc.idle);
  return pc.cpu.msr.get(msr);
}
