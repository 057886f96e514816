/*
 * One guest domain: its memory (pseudo-physical frames and their machine frames),
 * the virtual CPU state Xen keeps for it (trap table, callbacks, kernel stack, GDT,
 * LDT, virtual CR0.TS), event channels, timer, console, and the hypercall history
 * the crash report prints.
 *
 * Invariants: p2m[pfn] is a frame the domain owns (or P2M_GONE); totPages counts
 * the frames it owns with an allocation reference and never exceeds maxPages; sharedInfoMfn is owned by the
 * domain and carries one permanent writable type reference (Xen shares the page
 * with the guest, SHARE_PFN_WITH_DOMAIN); gdtFrames hold one seg type reference each.
 */
import { BoundedLog, BoundedText } from '../emulate/index.js';
import type { MmDomain } from './mm.js';
import type { EvtchnDomain, EvtchnState } from './event-channels.js';

export type { EvtchnState } from './event-channels.js';

/** A p2m entry whose frame the domain gave back. */
export const P2M_GONE = -1;

export interface TrapEntry {
  vector: number;
  /** trap_info_t.flags: DPL in bits 0-1, TI_IF_FLAG (mask events on entry). */
  flags: number;
  cs: number;
  address: number;
}

export interface HypercallRecord {
  /** Sequence number (1-based) over the domain's life. */
  seq: number;
  name: string;
  nr: number;
  args: number[];
  result: number;
  /** Code address of the `hypercall` instruction. */
  eip: number;
  /** Short description of what happened (for mmu_update: the requests). */
  detail?: string;
}

export class Domain implements MmDomain, EvtchnDomain {
  readonly id: number;
  baseMfn = -1;
  /**
   * Pseudo-physical -> machine frame: the builder's page array, as far as the
   * domain still holds it; an entry the domain gave back (decrease_reservation,
   * page flipping) is P2M_GONE. Frames it gained later are its own but not here
   * (the guest keeps its own p2m).
   */
  readonly p2m: number[];
  readonly nrPages: number;
  /** Frames of the reservation (allocation references, Xen's tot_pages) and its limit (max_pages). */
  totPages = 0;
  maxPages = 0;
  /** The guest's end of the control interface's channel (start_info.domain_controller_evtchn), or 0. */
  controlEvtchn = 0;
  sharedInfoMfn = -1;
  /** Guest VA of start_info, of the p2m list, and of the page directory. */
  startInfoVa = 0;
  mfnListVa = 0;
  ptBaseVa = 0;
  nrPtFrames = 0;
  cmdLine = '';

  readonly traps = new Map<number, TrapEntry>();
  eventCs = 0;
  eventAddress = 0;
  failsafeCs = 0;
  failsafeAddress = 0;
  kernelSs = 0;
  kernelEsp = 0;
  gdtFrames: number[] = [];
  gdtEntries = 0;
  ldtBase = 0;
  ldtEntries = 0;
  /** Virtual CR0.TS (fpu_taskswitch sets it; the #NM delivery clears it). */
  fpuTs = false;
  vmAssist = 0;

  readonly evtchn: EvtchnState[] = [{ kind: 'free' }];
  readonly virqPort = new Map<number, number>();
  /** set_timer_op deadline in system-time nanoseconds, or null. */
  timerDeadlineNs: bigint | null = null;

  /** What the guest printed (console_io and its UART), bounded: see BoundedText. */
  readonly console = new BoundedText();
  readonly counts = new Map<string, number>();
  hypercalls = 0;
  /** The last 16 hypercalls (ring), oldest first via recentCalls(). */
  private readonly ring: HypercallRecord[] = [];
  /** With --debug: every hypercall and trap, in order (the last 100,000). */
  trace: BoundedLog | null = null;
  shutdown: { reason: string; code: number } | null = null;

  constructor(id: number, p2m: number[]) {
    this.id = id;
    this.p2m = p2m;
    this.nrPages = p2m.length;
    this.totPages = this.maxPages = p2m.length;
  }

  record(r: Omit<HypercallRecord, 'seq'>): HypercallRecord {
    const rec = { seq: ++this.hypercalls, ...r };
    this.ring.push(rec);
    if (this.ring.length > 16) this.ring.shift();
    this.counts.set(r.name, (this.counts.get(r.name) ?? 0) + 1);
    return rec;
  }

  recentCalls(): HypercallRecord[] {
    return [...this.ring];
  }
}
