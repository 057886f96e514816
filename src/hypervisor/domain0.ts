/*
 * Domain 0 as the hypervisor sees it. It runs no guest code here: it owns machine
 * frames (its reservation, from which the back ends take the pages they flip to a
 * guest), has an event-channel table whose interdomain ends are TypeScript
 * handlers, and holds the back ends (src/dom0: the domain controller, netback)
 * that the hypervisor services at its scheduling points: after a guest's
 * hypercall when one of dom0's ports was raised, at timer deadlines, and while a
 * guest blocks (where a back end with outside input may make the hypervisor wait
 * in real time; docs/hypervisor.md, "Virtual time and real I/O").
 *
 * The hypervisor never imports the back ends: they implement BackEnd and register
 * here (docs/ARCHITECTURE.md: dom0 sits above the hypervisor).
 *
 * Invariants: totPages equals the frames owned by dom0 with the allocation
 * reference (checked by invariants.ts); `frames` lists exactly those frames; a
 * handler runs only for a port that is raised, once per raise that found it idle.
 */
import type { EvtchnDomain, EvtchnState } from './event-channels.js';
import type { MmDomain } from './mm.js';

/** What domain 0's back ends offer the hypervisor. */
export interface BackEnd {
  /** Does the work that is due (rings, frames that arrived); true when it did some. */
  poll(charge: (steps: number) => void): boolean;
  /**
   * Waits up to `ms` of real time for outside input (a frame from the real
   * network); true when some arrived. Only back ends with outside input have it.
   */
  wait?(ms: number): boolean;
}

export class Dom0 implements MmDomain, EvtchnDomain {
  readonly id = 0;
  baseMfn = -1;
  /** The frames of dom0's reservation. */
  readonly frames: number[] = [];
  totPages = 0;
  maxPages = 0;
  readonly evtchn: EvtchnState[] = [{ kind: 'free' }];
  readonly virqPort = new Map<number, number>();
  readonly backends: BackEnd[] = [];
  private readonly raised = new Set<number>();
  private readonly handlers = new Map<number, () => void>();

  /** Runs `fn` whenever `port` (one of dom0's) is raised. */
  onEvent(port: number, fn: () => void): void {
    this.handlers.set(port, fn);
  }

  offEvent(port: number): void {
    this.handlers.delete(port);
    this.raised.delete(port);
  }

  /** evtchn_set_pending for dom0: remembered until the next service(). */
  raise(port: number): void {
    this.raised.add(port);
  }

  get hasPending(): boolean {
    return this.raised.size > 0;
  }

  /** Runs the handlers of raised ports, then polls every back end; true when any work was done. */
  service(charge: (steps: number) => void): boolean {
    let did = false;
    // Handlers may raise further ports (a reply): loop until quiet, bounded by the ports.
    for (let round = 0; this.raised.size && round < 64; round++) {
      const ports = [...this.raised];
      this.raised.clear();
      for (const p of ports) {
        const fn = this.handlers.get(p);
        if (fn) {
          fn();
          did = true;
        }
      }
    }
    for (const b of this.backends) if (b.poll(charge)) did = true;
    return did;
  }

  /** The back end that can wait for outside input, if any is registered. */
  waiter(): BackEnd | undefined {
    return this.backends.find((b) => b.wait);
  }
}
