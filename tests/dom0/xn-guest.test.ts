/*
 * The ported kernel's network, without root: the xenified sample kernel boots on
 * the bundled Xen with `ip=169.254.1.1/16` on its command line; xn(4) finds its
 * interface through the domain controller (ctrl_if), the network stack takes the
 * address and announces it with a gratuitous ARP, and a scripted neighbour at
 * 169.254.1.0 then asks for the guest's MAC, pings it, and pings it with a
 * 3000-byte payload that crosses the link in three IP fragments each way (the
 * guest reassembles the request and fragments its reply). Bad command lines end
 * in a clear message and a halt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bootXen } from '../../src/port/index.js';
import { checkInvariants, type Xen } from '../../src/hypervisor/index.js';
import { DomainController, type FrameLink } from '../../src/dom0/index.js';
import { Cmsg, CmsgNetifFe } from '../../src/xen-abi/index.js';
import { arpFrame, echoFrames, parseIcmpEcho, PEER_IP, GUEST_IP, type EchoReply } from './net-frames.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pipelineFile = path.join(root, 'xenoport.pipeline.yaml');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-xn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PEER_MAC = Uint8Array.from([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
const BIG = 3000;

/** The neighbour: waits for the guest's announcement, then ARPs and pings it. */
class PingPeer implements FrameLink {
  readonly sent: Uint8Array[] = [];
  guestMac?: Uint8Array;
  arpReply?: Uint8Array;
  readonly replies: EchoReply[] = [];
  private readonly inbox: Uint8Array[] = [];
  private readonly frags: Uint8Array[] = [];
  send(f: Uint8Array): void {
    this.sent.push(f);
    const type = (f[12]! << 8) | f[13]!;
    if (type === 0x0806 && f.length >= 42) {
      const op = (f[20]! << 8) | f[21]!;
      const spa = [...f.subarray(28, 32)].join('.');
      const tpa = [...f.subarray(38, 42)].join('.');
      if (op === 1 && spa === GUEST_IP && tpa === GUEST_IP && !this.guestMac) {
        this.guestMac = f.slice(6, 12);
        this.inbox.push(arpFrame(1, PEER_MAC, PEER_IP, new Uint8Array(6), GUEST_IP, Uint8Array.from([255, 255, 255, 255, 255, 255])));
        this.inbox.push(...echoFrames(PEER_MAC, this.guestMac, 0x4242, 1, 56, 1500));
        this.inbox.push(...echoFrames(PEER_MAC, this.guestMac, 0x4242, 2, BIG, 1500));
      } else if (op === 2) this.arpReply = f;
      return;
    }
    if (type === 0x0800) {
      const r = parseIcmpEcho(f, this.frags);
      if (r) this.replies.push(r);
    }
  }
  receive(): Uint8Array | undefined {
    return this.inbox.shift();
  }
  wait(): boolean {
    return this.inbox.length > 0;
  }
  close(): void {}
}

async function boot(cmdLine: string, peer: FrameLink | undefined, sub: string) {
  let ctl: DomainController | undefined;
  let xen: Xen | undefined;
  const r = await bootXen({
    mode: 'hypercall',
    pipelineFile,
    configFrom: kernel,
    output: path.join(work, sub, 'sys'),
    memoryMB: 32,
    maxSteps: 2e9,
    cmdLine,
    onBuilt: ({ xen: x, dom }) => {
      xen = x;
      ctl = new DomainController(x, dom, peer ? { net: { link: peer } } : {});
    },
  });
  return { r, ctl: ctl!, xen: xen! };
}

describe('xn(4) and the network stack of the ported kernel', () => {
  it('discovers xn0, takes ip=169.254.1.1/16, answers ARP and ping, reassembles and fragments', async () => {
    const peer = new PingPeer();
    const { r, ctl, xen } = await boot('ip=169.254.1.1/16 boot.netif.wait=1', peer, 'ok');
    const con = r.run?.console ?? r.summary;
    expect(con).toContain('xn0: <Xen netfront> mac aa:00:00:00:01:01');
    expect(con).toMatch(/xn0: connected, event channel \d+, 16 receive buffers/);
    expect(con).toContain('xn0: inet 169.254.1.1 netmask 0xffff0000');
    // The controller saw Xen 2.0's sequence, driven by the kernel's ctrl_if.
    expect(ctl.log.filter((m) => m.type === Cmsg.NETIF_FE).map((m) => `${m.dir}:${m.subtype}${m.status !== undefined ? `/${m.status}` : ''}`)).toEqual([
      `guest:${CmsgNetifFe.DRIVER_STATUS}`,
      `controller:${CmsgNetifFe.INTERFACE_STATUS}/1`,
      `guest:${CmsgNetifFe.INTERFACE_CONNECT}`,
      `controller:${CmsgNetifFe.INTERFACE_STATUS}/2`,
    ]);
    // ARP: the guest answers who-has 169.254.1.0 asked for its address.
    expect(peer.arpReply, con).toBeDefined();
    const a = peer.arpReply!;
    expect([...a.subarray(0, 6)]).toEqual([...PEER_MAC]);
    expect([...a.subarray(22, 28)]).toEqual([0xaa, 0, 0, 0, 1, 1]);
    expect([...a.subarray(28, 32)].join('.')).toBe(GUEST_IP);
    // Echo replies: same id, sequence and data; the big one came back in 3 fragments.
    expect(peer.replies.map((e) => [e.id, e.seq, e.dataOk, e.len])).toEqual([
      [0x4242, 1, true, 56],
      [0x4242, 2, true, BIG],
    ]);
    expect(peer.replies[1]!.fragments).toBe(3);
    const nb = ctl.netback!;
    expect(nb.stats.txErrors).toBe(0);
    expect(nb.stats.rxPackets).toBe(1 + 1 + 3);
    expect(nb.stats.rxFlipRefused).toBe(0);
    expect(checkInvariants(xen)).toEqual([]);
  }, 600_000);

  it('a malformed ip= is a clear message and a halt', async () => {
    const { r } = await boot('ip=169.254.1/16', undefined, 'bad');
    const con = r.run!.console;
    expect(con).toContain('nfs_diskless: malformed ip=169.254.1/16 (expected ip=a.b.c.d/prefix)');
    expect(con).toContain('panic: nfs_diskless: no usable network configuration');
    expect(r.run!.outcome).toBe('halted');
  }, 600_000);
});
