/*
 * The bundled hypervisor (Xen 2.0 interface): machine memory and frame table,
 * page-table validation, the domain builder, the hypercall table, event channels
 * (domain 0's ends are back ends that register on Dom0), memory reservations and
 * page flipping, the ring-1 platform that runs a guest kernel, and termination
 * reports.
 * Other modules import only this file. See docs/hypervisor.md.
 */
export { MachineMemory, F_ALLOCATED, F_XENHEAP, OWNER_FREE, PAGE, PGT_NONE, PGT_L1, PGT_L2, PGT_SEG, PGT_WRITABLE, TYPE_NAMES, PTE_P, PTE_RW, PTE_US, PTE_A, PTE_D, PTE_PS, PTE_G } from './frames.js';
export { Mm, FIRST_XEN_L2_SLOT, type MmDomain } from './mm.js';
export { Xen, Dom0, M2P_INVALID, type BackEnd } from './xen.js';
export { bindInterdomain, closePort, allocUnbound, sendOn, checkEventChannels, type EvtchnState, type EvtchnDomain } from './event-channels.js';
export { domMemOp, allocFrame, transferFrame, mapForeign, unmapForeign, checkReservations, type Reservation } from './reservation.js';
export { Domain, P2M_GONE, type HypercallRecord, type TrapEntry } from './domain.js';
export { buildDomain, guestString, type BuildOptions, type BuiltDomain } from './builder.js';
export { checkInvariants, InvariantChecker } from './invariants.js';
export { XenMemory, walk, type Walk, type WalkFailure } from './paging.js';
export { dispatch, HYPERCALL_NAMES, EPERM, EFAULT, EINVAL, ENOSYS, EEXIST, MAX_BATCH, type HypercallHost } from './hypercalls.js';
export { XenPlatform, type XenPlatformOptions, type GuestEvent } from './platform.js';
export { formatReport, formatHypercall, type CrashReport, type SourceMap, type TerminationKind } from './termination-report.js';
export { runXenImage, createXenGuest, machineFramesFor, ENTRY_RETURN, type XenRunOptions, type XenRunResult, type XenOutcome } from './boot.js';
export { grantTableOp, grantHolds, grantTableFrames, mapGrant, unmapGrant, releaseGrants, type GrantMapResult, GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_setup_table, GTF_permit_access, GTF_readonly, GTF_reading, GTF_writing, GNTMAP_device_map, GNTMAP_host_map, GNTMAP_readonly, GNTST_okay, GNTST_general_error, GNTST_bad_domain, GNTST_bad_gntref, GNTST_bad_handle, GNTST_permission_denied, NR_GRANT_ENTRIES, type GrantHandle } from './grant.js';
export { runHypercallFuzz, Rng, type FuzzResult } from './fuzz.js';
export { MmuStats, RaceDetector, UpcallInjector, type RaceKind, type RaceReport } from './race-detector.js';
