/*
 * The domain controller and netback with a test guest (tests/dom0/guest/
 * netfront-probe.c, compiled by xenoport, run on the bundled Xen): the control
 * interface messages come in Xen 2.0's order, the rings are the real netif.h
 * ones, transmit copies the guest's frame, receive flips a page of domain 0's
 * into the guest, and every invariant holds at the end. Here the network is a
 * scripted peer that answers the ARP request; tests/dom0/netback-tap.test.ts does
 * the same over the real tap and bridge.
 */
import { describe, expect, it } from 'vitest';
import { Cmsg, CmsgNetifFe } from '../../src/xen-abi/index.js';
import { checkInvariants, runXenImage, type Xen } from '../../src/hypervisor/index.js';
import { DomainController, RX_OFFSET, type FrameLink } from '../../src/dom0/index.js';
import { buildProbe } from './guest-probe.js';

const PEER_MAC = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];

/** A peer at 169.254.1.0 that answers ARP requests for its address, after `lose` of them. */
class ArpPeer implements FrameLink {
  readonly sent: Uint8Array[] = [];
  private readonly inbox: Uint8Array[] = [];
  constructor(private lose = 0) {}
  send(f: Uint8Array): void {
    this.sent.push(f);
    const isArpForUs = f.length >= 42 && f[12] === 8 && f[13] === 6 && f[21] === 1 && f[38] === 169 && f[39] === 254 && f[40] === 1 && f[41] === 0;
    if (!isArpForUs || this.lose-- > 0) return;
    const r = new Uint8Array(60);
    r.set(f.subarray(6, 12), 0);
    r.set(PEER_MAC, 6);
    r.set([8, 6, 0, 1, 8, 0, 6, 4, 0, 2], 12);
    r.set(PEER_MAC, 22);
    r.set([169, 254, 1, 0], 28);
    r.set(f.subarray(22, 32), 32);
    this.inbox.push(r);
  }
  receive(): Uint8Array | undefined {
    return this.inbox.shift();
  }
  wait(_ms = 0): boolean {
    return this.inbox.length > 0;
  }
  close(): void {}
}

/** The same peer, answering 100 ms of real time after the request (a slow network). */
class SlowArpPeer extends ArpPeer {
  private due = Infinity;
  private readonly clock = new Int32Array(new SharedArrayBuffer(4));
  override send(f: Uint8Array): void {
    super.send(f);
    if (this.due === Infinity) this.due = performance.now() + 100;
  }
  override receive(): Uint8Array | undefined {
    return performance.now() >= this.due ? super.receive() : undefined;
  }
  override wait(ms: number): boolean {
    const left = this.due - performance.now();
    if (left > ms) {
      Atomics.wait(this.clock, 0, 0, ms);
      return false;
    }
    if (left > 0) Atomics.wait(this.clock, 0, 0, left);
    return super.wait();
  }
}

describe('domain controller and netback with a test guest', () => {
  it('discovery in Xen 2.0 order, then ARP out through the tx ring and the reply in by page flipping', async () => {
    const img = await buildProbe();
    const peer = new ArpPeer(2);
    let ctl: DomainController | undefined;
    let xenRef: Xen | undefined;
    const r = runXenImage(img, {
      memoryMB: 8,
      maxSteps: 50e6,
      onBuilt: ({ xen, dom }) => {
        xenRef = xen;
        ctl = new DomainController(xen, dom, { net: { link: peer } });
      },
    });
    expect(r.outcome, `${r.console}\n${r.reportText ?? ''}`).toBe('shutdown');
    expect(r.console).not.toContain('FAIL');
    expect(r.console).toContain('probe: xn0 mac aa:00:00:00:01:01');
    expect(r.console).toMatch(/probe: connected, event channel \d+/);
    expect(r.console).toContain('probe: arp reply 169.254.1.0 is-at 02:11:22:33:44:55');
    // The message sequence of wave2.md §3.2.
    const seq = ctl!.log.map((m) => `${m.dir}:${m.subtype}${m.status !== undefined ? `/${m.status}` : ''}`);
    expect(ctl!.log.every((m) => m.type === Cmsg.NETIF_FE)).toBe(true);
    expect(seq).toEqual([
      `guest:${CmsgNetifFe.DRIVER_STATUS}`,
      `controller:${CmsgNetifFe.INTERFACE_STATUS}/1`,
      `guest:${CmsgNetifFe.INTERFACE_CONNECT}`,
      `controller:${CmsgNetifFe.INTERFACE_STATUS}/2`,
    ]);
    // Two ARP requests were lost; the guest's 200 ms retransmission sent the third.
    expect(peer.sent.length).toBe(3);
    const arp = peer.sent[0]!;
    expect([...arp.subarray(0, 14)]).toEqual([255, 255, 255, 255, 255, 255, 0xaa, 0, 0, 0, 1, 1, 8, 6]);
    expect([...arp.subarray(38, 42)]).toEqual([169, 254, 1, 0]);
    const nb = ctl!.netback!;
    expect(nb.stats).toMatchObject({ txPackets: 3, txErrors: 0, rxPackets: 1, rxFlipRefused: 0 });
    expect(RX_OFFSET).toBeGreaterThan(0);
    // Pages moved, counts exact: the guest gave back 4 buffers and got 1 flipped page.
    expect(checkInvariants(xenRef!)).toEqual([]);
    expect(r.domain.totPages).toBe(r.domain.maxPages - 4);
    expect(xenRef!.dom0.totPages).toBe(xenRef!.dom0.maxPages);
    // Virtual time kept going while the guest waited for the reply (retransmissions at 200 ms).
    expect(r.platform.now()).toBeGreaterThan(400_000_000n);
  }, 120_000);

  it('a blocked guest waits for the network in real time, and its virtual time follows', async () => {
    const img = await buildProbe();
    const peer = new SlowArpPeer();
    // No periodic tick: nothing but the network can wake the guest.
    const r = runXenImage(img, {
      memoryMB: 8,
      maxSteps: 50e6,
      tickNs: 0,
      onBuilt: ({ xen, dom }) => void new DomainController(xen, dom, { net: { link: peer } }),
    });
    expect(r.outcome, `${r.console}\n${r.reportText ?? ''}`).toBe('shutdown');
    expect(r.console).toContain('probe: arp reply 169.254.1.0 is-at 02:11:22:33:44:55');
    expect(r.platform.ioWaits).toBeGreaterThanOrEqual(1);
    expect(r.platform.ioWaitedMs).toBeGreaterThanOrEqual(10);
    // The wait shows in the guest's time as the real time waited (no timer to skip to).
    const idleMs = Number(r.platform.now()) / 1e6 - r.steps * 1e-5;
    expect(Math.abs(idleMs - r.platform.ioWaitedMs)).toBeLessThan(1);
    expect(idleMs).toBeLessThan(1000);
  }, 120_000);
});
