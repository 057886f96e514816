/*
 * Public face of the emulated PC: physical memory, the paging MMU/TLB (PagedMemory),
 * the privileged i386 CPU with exception delivery (X86Cpu), the ISA devices, CPUID,
 * the multiboot loader, the BarePC platform and crash-report formatting. The
 * hypervisor builds its ring-1 platform from PhysicalMemory + PagedMemory + X86Cpu.
 */
export { PhysicalMemory } from './phys.js';
export * from './mmu.js';
export {
  X86Cpu, VECTOR_NAMES, FL_IF, FL_IOPL, FL_TF, FL_NT, FL_RF, FL_AC, FL_ID, FL_CHANGEABLE, segBase, segLimit,
  VEC_DE, VEC_DB, VEC_NMI, VEC_BP, VEC_OF, VEC_BR, VEC_UD, VEC_NM, VEC_DF, VEC_TS, VEC_NP, VEC_SS, VEC_GP, VEC_PF, VEC_MF, VEC_AC,
  type CpuEvent, type EventKind, type Gate, type SecondFault, type DescriptorTable, type CpuOptions,
} from './cpu.js';
export { cpuid, featureEdx, parseFeatures, QEMU32_FEATURES, type CpuFeatures } from './cpuid.js';
export { Uart16550, Pic8259, PicPair, Pit8254, PciConfig, PortBus, ResetControl, TIMER_FREQ, type PortDevice } from './devices.js';
export { loadMultiboot, multibootMemory, MULTIBOOT_BOOTLOADER_MAGIC, MULTIBOOT_HEADER_MAGIC, MBI_ADDR, type LoadedKernel, type LoadedModule, type MultibootInfo, type MultibootModule } from './multiboot.js';
export { BarePC, bootNative, type BarePCOptions, type BootResult } from './barepc.js';
export { formatFaultReport, describePageFaultCode, type ControlState } from './fault-report.js';
