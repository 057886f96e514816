/*
 * The Xen 2.0 guest ABI, declared once. Everything the guest's C header
 * (include/xen/hypervisor.h in i386-xeno), the bundled hypervisor and
 * docs/hypercalls.md know about hypercall numbers, command numbers, constants and
 * structure layouts comes from this file: generate.ts reads it with ts-morph.
 *
 * Sources (Xen 2.0 era public headers; see docs/hypercalls.md for the full list):
 *  [X2]  xen/include/public/xen.h of the Xen 2.0.x line ("Copyright (c) 2004,
 *        K A Fraser"; hypercalls 0..22 as in RELEASE-2.0.0, plus switch_vm86 23
 *        added later in 2.0.x), as stored in the public code index (file id
 *        10554903878); the same numbers and layouts appear in the Minix Xen port's
 *        copy (xenasm.h, "taken from arch_x86-32.h", id 32520917066).
 *  [A2]  xen/include/public/arch-x86_32.h of the same line (id 9992475798):
 *        memory_t/cpureg_t are 32 bits, trap_info_t is 8 bytes, TRAP_INSTR is
 *        "int $0x82", HYPERVISOR_VIRT_START is 0xFC000000, FLAT_RING1_* selectors.
 *  [H1]  xen-project/xen, xen/include/hypervisor-ifs/hypervisor-if.h at commit
 *        0e1a07327cef3cd8528aeb4f22ece80276cd3f74 (pre-2.0): same MMU_* encoding,
 *        MMUEXT_CMD_SHIFT 8, UVMF_* flags and HYPERVISOR_VIRT_START.
 *  [E2]  xen/include/public/event_channel.h at RELEASE-2.0.6 (xen-project/xen
 *        6f0a999a9c8ce5dcb214662172967471c0449083; the same at RELEASE-2.0.0,
 *        5c70ae783d31e95daa72fef74aa1732a6337c640): evtchn_op_t is 32 bytes, cmd,
 *        a reserved word, then the union of the per-command structures at 8.
 *  [C2]  xen/include/public/io/domain_controller.h at RELEASE-2.0.6: the control
 *        interface (control_msg_t, control_if_t) and the netif front-end messages.
 *  [N2]  xen/include/public/io/netif.h at RELEASE-2.0.6: the network rings.
 *  [B5]  xen/include/public/io/{blkif,ring,domain_controller}.h and
 *        xen/include/public/grant_table.h at xen-project/xen
 *        1fbd84c81a444b01084150cb334e91a40e67b00f (2005-05-20, xen-unstable, the
 *        CONFIG_XEN_BLKDEV_GRANT variant that FreeBSD's xb_blkfront.c targets):
 *        the block rings with grant references in frame_and_sects, the block
 *        front-end and back-end control messages, grant entries and setup_table.
 *  [K2]  linux-2.6.11-xen-sparse arch/xen/kernel/ctrl_if.c at RELEASE-2.0.6:
 *        the control interface lives at shared_info + 2048 (get_ctrl_if()).
 *  [P2]  physdev.h (NetBSD/src copy, ids 11429479634 / 148046815):
 *        PHYSDEVOP_IRQ_UNMASK_NOTIFY 4, IRQ_STATUS_QUERY 5, SET_IOPL 6.
 *  [L2]  XenLinux 2.0 / NetBSD "Xen2 compat" hypercall wrappers (ids 26114233249,
 *        46795791): fpu_taskswitch takes no argument in Xen 2 (it sets CR0.TS);
 *        set_timer_op passes the 64-bit deadline in ebx (low) and ecx (high).
 * The exact RELEASE-2.0.0 tag commit was not reachable in the index; numbers
 * 0..22 agree across every 2.0-era copy found.
 *
 * Conventions the generator relies on:
 *  - enum Hypercall members become `__HYPERVISOR_<member>`;
 *  - other enums carry a `@cprefix` tag; members become `<prefix><member>`;
 *  - exported numeric consts become `#define <NAME> <value>`;
 *  - interfaces carry `@ctype <name_t>` and are PACKED, as in Xen 2.0;
 *    field order is layout order; explicit pad fields keep the documented offsets;
 *  - interface HypercallSignatures lists each hypercall's arguments in register
 *    order (ebx, ecx, edx, esi, edi); a u64 argument takes two registers (low first).
 */
import type { u8, u16, s8, s16, u32, s32, u64, memory_t, cpureg_t, Ptr, FixedArray } from './types.js';

/** Hypercall numbers, loaded into eax before `int $0x82` [X2]. */
export enum Hypercall {
  set_trap_table = 0,
  mmu_update = 1,
  set_gdt = 2,
  stack_switch = 3,
  set_callbacks = 4,
  fpu_taskswitch = 5,
  sched_op = 6,
  dom0_op = 7,
  set_debugreg = 8,
  get_debugreg = 9,
  update_descriptor = 10,
  set_fast_trap = 11,
  dom_mem_op = 12,
  multicall = 13,
  update_va_mapping = 14,
  set_timer_op = 15,
  event_channel_op = 16,
  xen_version = 17,
  console_io = 18,
  physdev_op = 19,
  grant_table_op = 20,
  vm_assist = 21,
  update_va_mapping_otherdomain = 22,
}

/**
 * mmu_update request kinds, in ptr[1:0] of an mmu_update_t [X2].
 * @cprefix MMU_
 */
export enum MmuCmd {
  NORMAL_PT_UPDATE = 0,
  MACHPHYS_UPDATE = 2,
  EXTENDED_COMMAND = 3,
}

/**
 * Extended MMU commands, in val[7:0] of an MMU_EXTENDED_COMMAND request [X2].
 * @cprefix MMUEXT_
 */
export enum MmuExt {
  PIN_L1_TABLE = 0,
  PIN_L2_TABLE = 1,
  PIN_L3_TABLE = 2,
  PIN_L4_TABLE = 3,
  UNPIN_TABLE = 4,
  NEW_BASEPTR = 5,
  TLB_FLUSH = 6,
  INVLPG = 7,
  FLUSH_CACHE = 8,
  SET_LDT = 9,
  SET_FOREIGNDOM = 10,
  CLEAR_FOREIGNDOM = 11,
  TRANSFER_PAGE = 12,
  REASSIGN_PAGE = 13,
  CMD_MASK = 255,
  CMD_SHIFT = 8,
}

/**
 * Flags to update_va_mapping [X2].
 * @cprefix UVMF_
 */
export enum Uvmf {
  FLUSH_TLB = 1,
  INVLPG = 2,
}

/**
 * Commands to sched_op; shutdown carries a reason in bits 15:8 [X2].
 * @cprefix SCHEDOP_
 */
export enum SchedOp {
  yield = 0,
  block = 1,
  shutdown = 2,
  cmdmask = 255,
  reasonshift = 8,
}

/**
 * Reasons for SCHEDOP_shutdown [X2 (2.0.x), Minix copy].
 * @cprefix SHUTDOWN_
 */
export enum ShutdownReason {
  poweroff = 0,
  reboot = 1,
  suspend = 2,
  crash = 3,
}

/**
 * Commands to console_io [X2].
 * @cprefix CONSOLEIO_
 */
export enum ConsoleIO {
  write = 0,
  read = 1,
}

/**
 * Commands to dom_mem_op [X2].
 * @cprefix MEMOP_
 */
export enum MemOp {
  increase_reservation = 0,
  decrease_reservation = 1,
}

/**
 * Commands and types for vm_assist [X2].
 * @cprefix VMASST_
 */
export enum VmAssist {
  CMD_enable = 0,
  CMD_disable = 1,
  TYPE_4gb_segments = 0,
  TYPE_4gb_segments_notify = 1,
  TYPE_writable_pagetables = 2,
}

/**
 * Virtual interrupts a guest can bind to an event channel [X2].
 * @cprefix VIRQ_
 */
export enum Virq {
  MISDIRECT = 0,
  TIMER = 1,
  DEBUG = 2,
  CONSOLE = 3,
  DOM_EXC = 4,
  PARITY_ERR = 5,
  IO_ERR = 6,
}

/**
 * Commands to event_channel_op, in evtchn_op_t.cmd [E2].
 * @cprefix EVTCHNOP_
 */
export enum EvtchnOp {
  bind_interdomain = 0,
  bind_virq = 1,
  bind_pirq = 2,
  close = 3,
  send = 4,
  status = 5,
  alloc_unbound = 6,
}

/**
 * States EVTCHNOP_status reports for a port [E2].
 * @cprefix EVTCHNSTAT_
 */
export enum EvtchnStat {
  closed = 0,
  unbound = 1,
  interdomain = 2,
  pirq = 3,
  virq = 4,
}

/**
 * Top-level types of control messages [C2].
 * @cprefix CMSG_
 */
export enum Cmsg {
  CONSOLE = 0,
  BLKIF_BE = 1,
  BLKIF_FE = 2,
  NETIF_BE = 3,
  NETIF_FE = 4,
  SHUTDOWN = 6,
  MEM_REQUEST = 7,
}

/**
 * Subtypes of CMSG_NETIF_FE messages: INTERFACE_STATUS goes from the controller to
 * the guest, the others from the guest to the controller [C2].
 * @cprefix CMSG_NETIF_FE_
 */
export enum CmsgNetifFe {
  INTERFACE_STATUS = 0,
  DRIVER_STATUS = 32,
  INTERFACE_CONNECT = 33,
  INTERFACE_DISCONNECT = 34,
  INTERFACE_QUERY = 35,
}

/**
 * netif_fe_interface_status_t.status [C2].
 * @cprefix NETIF_INTERFACE_STATUS_
 */
export enum NetifInterfaceStatus {
  CLOSED = 0,
  DISCONNECTED = 1,
  CONNECTED = 2,
  CHANGED = 3,
}

/**
 * netif_fe_driver_status_t.status [C2].
 * @cprefix NETIF_DRIVER_STATUS_
 */
export enum NetifDriverStatus {
  DOWN = 0,
  UP = 1,
}

/**
 * Status of a netif response: negative an error, else (rx) the packet's length [N2].
 * @cprefix NETIF_RSP_
 */
export enum NetifRsp {
  DROPPED = -2,
  ERROR = -1,
  OKAY = 0,
}

/**
 * blkif_request_t.operation [B5].
 * @cprefix BLKIF_OP_
 */
export enum BlkifOp {
  READ = 0,
  WRITE = 1,
  PROBE = 2,
}

/**
 * blkif_response_t.status: an error, OKAY, or for PROBE the number of vdisk_t
 * records written [B5].
 * @cprefix BLKIF_RSP_
 */
export enum BlkifRsp {
  ERROR = -1,
  OKAY = 0,
}

/**
 * vdisk_t.info flags [B5].
 * @cprefix VDISK_
 */
export enum VdiskFlag {
  CDROM = 1,
  REMOVABLE = 2,
  READONLY = 4,
}

/**
 * Subtypes of CMSG_BLKIF_FE messages: INTERFACE_STATUS from the controller, the
 * others from the guest [B5].
 * @cprefix CMSG_BLKIF_FE_
 */
export enum CmsgBlkifFe {
  INTERFACE_STATUS = 0,
  DRIVER_STATUS = 32,
  INTERFACE_CONNECT = 33,
  INTERFACE_DISCONNECT = 34,
  INTERFACE_QUERY = 35,
}

/**
 * blkif_fe_interface_status_t.status [B5].
 * @cprefix BLKIF_INTERFACE_STATUS_
 */
export enum BlkifInterfaceStatus {
  CLOSED = 0,
  DISCONNECTED = 1,
  CONNECTED = 2,
  CHANGED = 3,
}

/**
 * blkif_fe_driver_status_t.status [B5].
 * @cprefix BLKIF_DRIVER_STATUS_
 */
export enum BlkifDriverStatus {
  DOWN = 0,
  UP = 1,
}

/**
 * Subtypes of CMSG_BLKIF_BE messages, from the controller to the block back end
 * [B5].
 * @cprefix CMSG_BLKIF_BE_
 */
export enum CmsgBlkifBe {
  CREATE = 0,
  DESTROY = 1,
  CONNECT = 2,
  DISCONNECT = 3,
  VBD_CREATE = 4,
  VBD_DESTROY = 5,
  DRIVER_STATUS = 32,
}

/**
 * The status the block back end answers a CMSG_BLKIF_BE message with [B5].
 * @cprefix BLKIF_BE_STATUS_
 */
export enum BlkifBeStatus {
  OKAY = 0,
  ERROR = 1,
  INTERFACE_EXISTS = 2,
  INTERFACE_NOT_FOUND = 3,
  INTERFACE_CONNECTED = 4,
  VBD_EXISTS = 5,
  VBD_NOT_FOUND = 6,
  OUT_OF_MEMORY = 7,
  PHYSDEV_NOT_FOUND = 8,
  MAPPING_ERROR = 9,
}

/**
 * grant_entry_t.flags: the entry's type in bits 0-1, then GTF_readonly, and the
 * GTF_reading / GTF_writing bits Xen keeps while the entry is mapped [B5].
 * @cprefix GTF_
 */
export enum GrantFlag {
  invalid = 0,
  permit_access = 1,
  accept_transfer = 2,
  readonly = 4,
  reading = 8,
  writing = 16,
}

/**
 * Commands to grant_table_op [B5].
 * @cprefix GNTTABOP_
 */
export enum GnttabOp {
  map_grant_ref = 0,
  unmap_grant_ref = 1,
  setup_table = 2,
}

/**
 * Commands to physdev_op, in physdev_op_t.cmd [P2].
 * @cprefix PHYSDEVOP_
 */
export enum PhysdevOp {
  IRQ_UNMASK_NOTIFY = 4,
  IRQ_STATUS_QUERY = 5,
  SET_IOPL = 6,
}

/**
 * start_info_t.flags bits [X2].
 * @cprefix SIF_
 */
export enum StartInfoFlag {
  PRIVILEGED = 1,
  INITDOMAIN = 2,
  BLK_BE_DOMAIN = 16,
  NET_BE_DOMAIN = 32,
}

/** The software interrupt vector of a hypercall: `int $0x82` [A2]. */
export const XEN_HYPERCALL_VECTOR = 0x82;
/** Guest-unmodifiable VA space starts here; the read-only m2p table lives here [A2][H1]. */
export const HYPERVISOR_VIRT_START = 0xfc000000;
/** Xen's reserved GDT entries (inclusive range start, count) [A2]. */
export const FIRST_RESERVED_GDT_ENTRY = 256;
export const NR_RESERVED_GDT_ENTRIES = 40;
/** Flat segments in Xen's part of every GDT [A2]. */
export const FLAT_RING1_CS = 0x0819;
export const FLAT_RING1_DS = 0x0821;
export const FLAT_RING3_CS = 0x082b;
export const FLAT_RING3_DS = 0x0833;
/** Event channels per domain and virtual CPUs per guest in Xen 2.0 [X2]. */
export const NR_EVENT_CHANNELS = 1024;
export const MAX_VIRT_CPUS = 1;
export const NR_VIRQS = 7;
/** Words per multicall entry (op + 7 args) [X2]. */
export const ARGS_PER_MULTICALL_ENTRY = 8;
/** Length of start_info_t.cmd_line [X2]. */
export const MAX_CMDLINE = 256;
/** Domain ids [X2]. */
export const DOMID_SELF = 0x7ff0;
export const DOMID_IO = 0x7ff1;
export const DOMID_XEN = 0x7ff2;
/** trap_info_t.flags: bits 0-1 DPL, bit 2 "clear the event mask on entry" [A2]. */
export const TI_IF_FLAG = 4;
/** Messages per control ring (control_if_t tx_ring and rx_ring) [C2]. */
export const CONTROL_RING_SIZE = 8;
/** Byte offset of control_if_t in the shared_info page [K2]. */
export const CONTROL_IF_OFFSET = 2048;
/** Entries of the netif transmit and receive rings [N2]. */
export const NETIF_TX_RING_SIZE = 256;
export const NETIF_RX_RING_SIZE = 256;
/** Entries of the block ring and segments per block request [B5]. */
export const BLKIF_RING_SIZE = 64;
export const BLKIF_MAX_SEGMENTS_PER_REQUEST = 11;
/** Bytes per block-interface sector [B5]. */
export const BLKIF_SECTOR_SIZE = 512;
/** Page geometry of x86_32. */
export const XEN_PAGE_SHIFT = 12;
export const XEN_PAGE_SIZE = 4096;

/**
 * One entry of the virtual IDT given to set_trap_table; a zero address ends the
 * table [A2]. 8 bytes.
 * @ctype trap_info_t
 */
export interface TrapInfo {
  vector: u8;
  flags: u8;
  cs: u16;
  address: memory_t;
}

/**
 * One mmu_update request: ptr[1:0] is an MMU_* kind, ptr[:2] a machine address
 * (or VA for MMUEXT_INVLPG / SET_LDT); val the new entry or MMUEXT_* command [X2].
 * @ctype mmu_update_t
 */
export interface MmuUpdate {
  ptr: memory_t;
  val: memory_t;
}

/**
 * One multicall entry: the hypercall number and up to 7 arguments [X2]. 32 bytes.
 * @ctype multicall_entry_t
 */
export interface MulticallEntry {
  op: cpureg_t;
  args: FixedArray<cpureg_t, 7>;
}

/**
 * Per-VCPU event state at the start of shared_info [X2]: Xen sets
 * evtchn_upcall_pending; a non-zero evtchn_upcall_mask holds off the upcall
 * (the guest's virtual interrupt flag).
 * @ctype vcpu_data_t
 */
export interface VcpuData {
  evtchn_upcall_pending: u8;
  evtchn_upcall_mask: u8;
  pad0: u8;
  pad1: u8;
}

/**
 * Where the m2p and p2m tables are [A2].
 * @ctype arch_shared_info_t
 */
export interface ArchSharedInfo {
  mfn_to_pfn_start: u64;
  pfn_to_mfn_frame_list: u64;
}

/**
 * The page Xen shares with the guest; its machine address is in start_info [X2].
 * Offsets in the comments are Xen's own.
 * @ctype shared_info_t
 */
export interface SharedInfo {
  /** offset 0 */
  vcpu_data: FixedArray<VcpuData, 1>;
  /** offset 4 */
  evtchn_pending: FixedArray<u32, 32>;
  /** offset 132 */
  evtchn_pending_sel: u32;
  /** offset 136 */
  evtchn_mask: FixedArray<u32, 32>;
  /** offset 264 */
  cpu_freq: u64;
  /** offset 272 */
  time_version1: u32;
  /** offset 276 */
  time_version2: u32;
  tsc_timestamp: u64;
  system_time: u64;
  wc_sec: u32;
  wc_usec: u32;
  domain_time: u64;
  /** offset 312 */
  wall_timeout: u64;
  /** offset 320 */
  domain_timeout: u64;
  arch: ArchSharedInfo;
}

/**
 * What the domain builder hands the guest in esi at entry [X2]: 320 bytes;
 * each memory_t is padded to 64 bits (_MEMORY_PADDING).
 * @ctype start_info_t
 */
export interface StartInfo {
  /** offset 0: pages allocated to the domain */
  nr_pages: memory_t;
  _pad_A: u32;
  /** offset 8: MACHINE address of shared_info */
  shared_info: memory_t;
  _pad_B: u32;
  /** offset 16: SIF_* */
  flags: u32;
  domain_controller_evtchn: u16;
  __pad: u16;
  /** offset 24: VIRTUAL address of the page directory */
  pt_base: memory_t;
  _pad_C: u32;
  nr_pt_frames: memory_t;
  _pad_D: u32;
  /** offset 40: VIRTUAL address of the page-frame (p2m) list */
  mfn_list: memory_t;
  _pad_E: u32;
  mod_start: memory_t;
  _pad_F: u32;
  mod_len: memory_t;
  _pad_G: u32;
  /** offset 64 */
  cmd_line: FixedArray<u8, 256>;
}

/**
 * EVTCHNOP_alloc_unbound: a fresh local port, awaiting a binding from dom [E2].
 * @ctype evtchn_alloc_unbound_t
 */
export interface EvtchnAllocUnbound {
  dom: u16;
  __pad: u16;
  /** OUT */
  port: u32;
}

/**
 * EVTCHNOP_bind_interdomain: bind <dom1,port1> to <dom2,port2>; a zero port is
 * allocated; an unprivileged caller must give dom1 = DOMID_SELF [E2].
 * @ctype evtchn_bind_interdomain_t
 */
export interface EvtchnBindInterdomain {
  dom1: u16;
  dom2: u16;
  /** IN/OUT */
  port1: u32;
  /** IN/OUT */
  port2: u32;
}

/**
 * EVTCHNOP_bind_virq: bind a local port to a virtual IRQ [E2].
 * @ctype evtchn_bind_virq_t
 */
export interface EvtchnBindVirq {
  virq: u32;
  /** OUT */
  port: u32;
}

/**
 * EVTCHNOP_bind_pirq (privileged domains only) [E2].
 * @ctype evtchn_bind_pirq_t
 */
export interface EvtchnBindPirq {
  pirq: u32;
  flags: u32;
  /** OUT */
  port: u32;
}

/**
 * EVTCHNOP_close: an interdomain channel's remote end becomes unbound [E2].
 * @ctype evtchn_close_t
 */
export interface EvtchnClose {
  dom: u16;
  __pad: u16;
  port: u32;
}

/**
 * EVTCHNOP_send: raise the remote end of the interdomain channel at local_port [E2].
 * @ctype evtchn_send_t
 */
export interface EvtchnSend {
  local_port: u32;
}

/**
 * evtchn_status_t.u for EVTCHNSTAT_unbound: the domain the port awaits [E2].
 * @ctype evtchn_status_unbound_t
 */
export interface EvtchnStatusUnbound {
  dom: u16;
}

/**
 * evtchn_status_t.u for EVTCHNSTAT_interdomain [E2].
 * @ctype evtchn_status_interdomain_t
 */
export interface EvtchnStatusInterdomain {
  dom: u16;
  __pad: u16;
  port: u32;
}

/**
 * evtchn_status_t.u: the remote domain (unbound), the remote end (interdomain),
 * or the IRQ bound [E2].
 * @ctype evtchn_status_u_t
 * @cunion
 */
export interface EvtchnStatusU {
  unbound: EvtchnStatusUnbound;
  interdomain: EvtchnStatusInterdomain;
  pirq: u32;
  virq: u32;
}

/**
 * EVTCHNOP_status: what <dom,port> is (EVTCHNSTAT_*) [E2]. 20 bytes.
 * @ctype evtchn_status_t
 */
export interface EvtchnStatus {
  dom: u16;
  __pad: u16;
  port: u32;
  /** OUT: EVTCHNSTAT_* */
  status: u32;
  /** OUT */
  u: EvtchnStatusU;
}

/**
 * evtchn_op_t.u: the argument of each command [E2]. 24 bytes.
 * @ctype evtchn_op_u_t
 * @cunion
 */
export interface EvtchnOpUnion {
  alloc_unbound: EvtchnAllocUnbound;
  bind_interdomain: EvtchnBindInterdomain;
  bind_virq: EvtchnBindVirq;
  bind_pirq: EvtchnBindPirq;
  close: EvtchnClose;
  send: EvtchnSend;
  status: EvtchnStatus;
  __dummy: FixedArray<u8, 24>;
}

/**
 * event_channel_op argument [E2]: cmd, a reserved word, then the union member
 * for that command at offset 8. 32 bytes.
 * @ctype evtchn_op_t
 */
export interface EvtchnOpArgs {
  cmd: u32;
  __reserved: u32;
  u: EvtchnOpUnion;
}

/**
 * One control message; type, subtype and id are echoed in the response [C2].
 * @ctype control_msg_t
 */
export interface ControlMsg {
  type: u8;
  subtype: u8;
  id: u8;
  /** bytes used in msg */
  length: u8;
  msg: FixedArray<u8, 60>;
}

/**
 * The control interface at shared_info + CONTROL_IF_OFFSET: tx_ring carries the
 * guest's requests to the controller (and the controller's responses back in
 * place), rx_ring the controller's requests to the guest; free-running indices
 * masked with CONTROL_RING_SIZE - 1; its event channel is
 * start_info.domain_controller_evtchn [C2]. 1040 bytes.
 * @ctype control_if_t
 */
export interface ControlIf {
  tx_ring: FixedArray<ControlMsg, 8>;
  rx_ring: FixedArray<ControlMsg, 8>;
  tx_req_prod: u32;
  tx_resp_prod: u32;
  rx_req_prod: u32;
  rx_resp_prod: u32;
}

/**
 * CMSG_NETIF_FE_INTERFACE_STATUS (controller -> guest) [C2]. 18 bytes.
 * @ctype netif_fe_interface_status_t
 */
export interface NetifFeInterfaceStatus {
  handle: u32;
  /** NETIF_INTERFACE_STATUS_* */
  status: u32;
  /** the guest's end of the interdomain channel (CONNECTED) */
  evtchn: u16;
  mac: FixedArray<u8, 6>;
  /** the back end's domain */
  domid: u16;
}

/**
 * CMSG_NETIF_FE_DRIVER_STATUS (guest -> controller); the response carries
 * max_handle [C2]. 8 bytes.
 * @ctype netif_fe_driver_status_t
 */
export interface NetifFeDriverStatus {
  /** NETIF_DRIVER_STATUS_* */
  status: u32;
  /** OUT */
  max_handle: u32;
}

/**
 * CMSG_NETIF_FE_INTERFACE_CONNECT (guest -> controller): the machine frames of the
 * two ring pages [C2]. 24 bytes.
 * @ctype netif_fe_interface_connect_t
 */
export interface NetifFeInterfaceConnect {
  handle: u32;
  __pad: u32;
  tx_shmem_frame: memory_t;
  _pad_A: u32;
  rx_shmem_frame: memory_t;
  _pad_B: u32;
}

/**
 * CMSG_NETIF_FE_INTERFACE_DISCONNECT (guest -> controller) [C2]. 4 bytes.
 * @ctype netif_fe_interface_disconnect_t
 */
export interface NetifFeInterfaceDisconnect {
  handle: u32;
}

/**
 * A packet to transmit: machine address (with its page offset) and length; the
 * packet may not cross a page [N2]. 12 bytes.
 * @ctype netif_tx_request_t
 */
export interface NetifTxRequest {
  addr: memory_t;
  _pad_A: u32;
  id: u16;
  size: u16;
}

/**
 * The back end's answer to a transmit request [N2]. 4 bytes.
 * @ctype netif_tx_response_t
 */
export interface NetifTxResponse {
  id: u16;
  /** NETIF_RSP_* */
  status: s8;
  __pad: u8;
}

/**
 * An empty receive buffer the guest gave away (decrease_reservation) [N2].
 * @ctype netif_rx_request_t
 */
export interface NetifRxRequest {
  id: u16;
}

/**
 * A received packet: the machine address of the page the back end gave the guest,
 * plus the packet's offset in it; status its length, or NETIF_RSP_* [N2]. 12 bytes.
 * @ctype netif_rx_response_t
 */
export interface NetifRxResponse {
  addr: memory_t;
  _pad_A: u32;
  id: u16;
  status: s16;
}

/**
 * One transmit ring slot [N2].
 * @ctype netif_tx_entry_t
 * @cunion
 */
export interface NetifTxEntry {
  req: NetifTxRequest;
  resp: NetifTxResponse;
}

/**
 * One receive ring slot [N2].
 * @ctype netif_rx_entry_t
 * @cunion
 */
export interface NetifRxEntry {
  req: NetifRxRequest;
  resp: NetifRxResponse;
}

/**
 * The transmit ring page: the guest produces requests at req_prod; the back end
 * mirrors its consumer in req_cons and produces responses at resp_prod; the guest
 * wants an event when resp_prod passes event [N2]. 3088 bytes.
 * @ctype netif_tx_interface_t
 */
export interface NetifTxInterface {
  req_prod: u32;
  req_cons: u32;
  resp_prod: u32;
  event: u32;
  ring: FixedArray<NetifTxEntry, 256>;
}

/**
 * The receive ring page: the guest posts empty buffers at req_prod; the back end
 * answers at resp_prod and raises an event when resp_prod passes event [N2].
 * 3084 bytes.
 * @ctype netif_rx_interface_t
 */
export interface NetifRxInterface {
  req_prod: u32;
  resp_prod: u32;
  event: u32;
  ring: FixedArray<NetifRxEntry, 256>;
}

/**
 * A block request on the shared ring: READ or WRITE of the segments'
 * sectors starting at sector_number, or PROBE into a page-sized buffer. Each
 * frame_and_sects word is gref<<16 | first_sect<<3 | last_sect (sectors of 512
 * bytes within the granted 4 KiB frame, inclusive) [B5]. PACKED, 60 bytes.
 * @ctype blkif_request_t
 */
export interface BlkifRequest {
  /** BLKIF_OP_* */
  operation: u8;
  nr_segments: u8;
  device: u16;
  /** echoed in the response */
  id: u32;
  sector_number: u64;
  frame_and_sects: FixedArray<u32, 11>;
}

/**
 * The back end's answer to a block request [B5]. PACKED, 7 bytes.
 * @ctype blkif_response_t
 */
export interface BlkifResponse {
  id: u32;
  operation: u8;
  /** BLKIF_RSP_*, or for PROBE the number of disks */
  status: s16;
}

/**
 * One slot of the block ring (ring.h's DEFINE_RING_TYPES union) [B5].
 * @ctype blkif_sring_entry_t
 * @cunion
 */
export interface BlkifSringEntry {
  req: BlkifRequest;
  rsp: BlkifResponse;
}

/**
 * The block ring page (ring.h's blkif_sring): the guest produces requests at
 * req_prod, the back end responses at rsp_prod; free-running indices masked with
 * BLKIF_RING_SIZE - 1 [B5]. 3848 bytes.
 * @ctype blkif_sring_t
 */
export interface BlkifSring {
  req_prod: u32;
  rsp_prod: u32;
  ring: FixedArray<BlkifSringEntry, 64>;
}

/**
 * What a PROBE writes per disk: capacity in 512-byte sectors, the device number,
 * VDISK_* flags, the sector size [B5]. PACKED, 16 bytes.
 * @ctype vdisk_t
 */
export interface Vdisk {
  capacity: u64;
  device: u16;
  info: u16;
  sector_size: u16;
  _pad: u16;
}

/**
 * CMSG_BLKIF_FE_INTERFACE_STATUS (controller -> guest) [B5]. 12 bytes.
 * @ctype blkif_fe_interface_status_t
 */
export interface BlkifFeInterfaceStatus {
  handle: u32;
  /** BLKIF_INTERFACE_STATUS_* */
  status: u32;
  /** the guest's end of the interdomain channel (CONNECTED) */
  evtchn: u16;
  /** the back end's domain, to which the guest grants its buffers */
  domid: u16;
}

/**
 * CMSG_BLKIF_FE_DRIVER_STATUS (guest -> controller); the response carries
 * max_handle [B5]. 8 bytes.
 * @ctype blkif_fe_driver_status_t
 */
export interface BlkifFeDriverStatus {
  /** BLKIF_DRIVER_STATUS_* */
  status: u32;
  /** OUT */
  max_handle: u32;
}

/**
 * CMSG_BLKIF_FE_INTERFACE_CONNECT (guest -> controller): the machine frame of
 * the ring page [B5]. 16 bytes.
 * @ctype blkif_fe_interface_connect_t
 */
export interface BlkifFeInterfaceConnect {
  handle: u32;
  __pad: u32;
  shmem_frame: memory_t;
  _pad_A: u32;
}

/**
 * CMSG_BLKIF_FE_INTERFACE_DISCONNECT (guest -> controller) [B5]. 4 bytes.
 * @ctype blkif_fe_interface_disconnect_t
 */
export interface BlkifFeInterfaceDisconnect {
  handle: u32;
}

/**
 * CMSG_BLKIF_BE_CREATE, _DESTROY and _DISCONNECT (controller -> back end): the
 * interface of a domain; status is the back end's answer [B5]. 12 bytes.
 * @ctype blkif_be_create_t
 */
export interface BlkifBeCreate {
  domid: u16;
  __pad: u16;
  blkif_handle: u32;
  /** OUT: BLKIF_BE_STATUS_* */
  status: u32;
}

/**
 * CMSG_BLKIF_BE_CONNECT (controller -> back end): the ring frame and the back
 * end's end of the interdomain channel [B5]. 24 bytes.
 * @ctype blkif_be_connect_t
 */
export interface BlkifBeConnect {
  domid: u16;
  __pad: u16;
  blkif_handle: u32;
  shmem_frame: memory_t;
  _pad_A: u32;
  evtchn: u32;
  /** OUT: BLKIF_BE_STATUS_* */
  status: u32;
}

/**
 * CMSG_BLKIF_BE_VBD_CREATE (controller -> back end): a virtual block device of
 * the interface, backed by physical device pdevice [B5]. 24 bytes.
 * @ctype blkif_be_vbd_create_t
 */
export interface BlkifBeVbdCreate {
  domid: u16;
  __pad: u16;
  blkif_handle: u32;
  pdevice: u32;
  dev_handle: u32;
  vdevice: u16;
  /** non-zero: the VBD is not writable */
  readonly: u16;
  /** OUT: BLKIF_BE_STATUS_* */
  status: u32;
}

/**
 * One grant-table entry: which domain may map which of the granter's frames,
 * and how [B5]. 8 bytes.
 * @ctype grant_entry_t
 */
export interface GrantEntry {
  /** GTF_* */
  flags: u16;
  domid: u16;
  frame: u32;
}

/**
 * GNTTABOP_setup_table: the domain's grant-table frames are written to
 * frame_list (MEMORY_PADDING is empty on x86_32) [B5]. 12 bytes.
 * @ctype gnttab_setup_table_t
 */
export interface GnttabSetupTable {
  dom: u16;
  nr_frames: u16;
  __pad: u16;
  /** OUT: GNTST_* */
  status: s16;
  frame_list: u32;
}

/**
 * physdev_op argument [P2]: cmd, then the union member (set_iopl.iopl).
 * @ctype physdev_op_t
 */
export interface PhysdevOpArgs {
  cmd: u32;
  arg0: u32;
}

/**
 * The hypercalls the guest API uses, with their arguments in register order
 * (ebx, ecx, edx, esi, edi) [X2][L2]. The method name is the Hypercall member.
 */
export interface HypercallSignatures {
  set_trap_table(table: Ptr<TrapInfo>): s32;
  mmu_update(req: Ptr<MmuUpdate>, count: s32, success_count: Ptr<s32>): s32;
  set_gdt(frame_list: Ptr<u32>, entries: s32): s32;
  stack_switch(ss: u32, esp: u32): s32;
  set_callbacks(event_selector: u32, event_address: u32, failsafe_selector: u32, failsafe_address: u32): s32;
  fpu_taskswitch(): s32;
  sched_op(op: u32): s32;
  update_descriptor(ma: u32, word1: u32, word2: u32): s32;
  dom_mem_op(op: u32, extent_list: Ptr<u32>, nr_extents: u32, extent_order: u32, domid: u32): s32;
  multicall(call_list: Ptr<MulticallEntry>, nr_calls: s32): s32;
  update_va_mapping(page_nr: u32, new_val: u32, flags: u32): s32;
  set_timer_op(timeout: u64): s32;
  event_channel_op(op: Ptr<EvtchnOpArgs>): s32;
  xen_version(cmd: s32): s32;
  console_io(cmd: s32, count: s32, str: Ptr<u8>): s32;
  physdev_op(op: Ptr<PhysdevOpArgs>): s32;
  grant_table_op(cmd: u32, uop: Ptr<u8>, count: u32): s32;
  vm_assist(cmd: u32, type: u32): s32;
}
