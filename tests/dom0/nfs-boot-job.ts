/*
 * One boot of the xenified sample kernel with its root on NFS, as an off-thread job
 * (tests/support/off-thread.ts): the suite's boot is one synchronous stretch of a
 * minute on a loaded machine, longer than the test worker may leave its event loop.
 * The worker opens its own relay to the running server's tap (by the namespace
 * holder's pid) and returns plain data: the console, the outcome, the netback and
 * hypervisor checks, and a tally of the guest's NFSv3 calls read off the frames it
 * sends (Ethernet, IPv4, UDP to port 2049, the ONC RPC call header of RFC 1831),
 * independent of the guest's code.
 */
import { checkInvariants, type Xen } from '../../src/hypervisor/index.js';
import { DomainController, TapLink, type FrameLink } from '../../src/dom0/index.js';
import { bootXen } from '../../src/port/index.js';

/** RFC 1813's procedure numbers (section 3.3). */
const NFSPROC: Record<number, string> = { 0: 'NULL', 1: 'GETATTR', 2: 'SETATTR', 3: 'LOOKUP', 4: 'ACCESS', 5: 'READLINK', 6: 'READ', 7: 'WRITE', 8: 'CREATE', 9: 'MKDIR', 10: 'SYMLINK', 11: 'MKNOD', 12: 'REMOVE', 13: 'RMDIR', 14: 'RENAME', 15: 'LINK', 16: 'READDIR', 17: 'READDIRPLUS', 18: 'FSSTAT', 19: 'FSINFO', 20: 'PATHCONF', 21: 'COMMIT' };

/** A FrameLink that counts the NFSv3 calls in the frames the guest sends, and the largest WRITE. */
class RpcTally implements FrameLink {
  readonly calls: Record<string, number> = {};
  maxWrite = 0;
  constructor(private readonly inner: FrameLink) {}
  send(f: Uint8Array): void {
    this.inner.send(f);
    const d = new DataView(f.buffer, f.byteOffset, f.byteLength);
    // IPv4, UDP, the first fragment (the one with the UDP and RPC headers).
    if (f.length < 14 + 20 + 8 + 40 || d.getUint16(12) !== 0x0800 || f[23] !== 17 || (d.getUint16(20) & 0x1fff) !== 0) return;
    const udp = 14 + (f[14]! & 15) * 4;
    if (d.getUint16(udp + 2) !== 2049) return;
    const rpc = udp + 8;
    // xid, CALL (0), RPC version, program 100003 (NFS), version 3, procedure.
    if (d.getUint32(rpc + 4) !== 0 || d.getUint32(rpc + 12) !== 100003 || d.getUint32(rpc + 16) !== 3) return;
    const proc = NFSPROC[d.getUint32(rpc + 20)] ?? 'other';
    this.calls[proc] = (this.calls[proc] ?? 0) + 1;
    let p = rpc + 24;
    p += 8 + ((d.getUint32(p + 4) + 3) & ~3); // the credential
    p += 8 + ((d.getUint32(p + 4) + 3) & ~3); // the verifier
    // WRITE3args: nfs_fh3 file, offset3 offset, count3 count, ...
    if (proc === 'WRITE') this.maxWrite = Math.max(this.maxWrite, d.getUint32(p + 4 + ((d.getUint32(p) + 3) & ~3) + 8));
  }
  receive(): Uint8Array | undefined {
    return this.inner.receive();
  }
  wait(ms: number): boolean {
    return this.inner.wait(ms);
  }
  close(): void {
    this.inner.close();
  }
}

export interface NfsBootArgs {
  /** The namespace holder's pid and the tap in it (NfsServer.pid, NfsServer.vif). */
  pid: number;
  vif: string;
  pipelineFile: string;
  configFrom: string;
  output: string;
  cmdLine: string;
}

export interface NfsBootResult {
  console: string;
  outcome?: string;
  steps?: number;
  hypercalls?: number;
  txErrors?: number;
  rxFlipRefused?: number;
  /** netback's counters, for the log. */
  netback?: Record<string, number>;
  invariants: string[];
  calls: Record<string, number>;
  maxWrite: number;
}

export async function nfsBoot(a: NfsBootArgs): Promise<NfsBootResult> {
  const tally = new RpcTally(TapLink.open(a.pid, a.vif));
  let ctl: DomainController | undefined;
  let xen: Xen | undefined;
  try {
    const r = await bootXen({
      mode: 'hypercall',
      pipelineFile: a.pipelineFile,
      configFrom: a.configFrom,
      output: a.output,
      memoryMB: 32,
      maxSteps: 8e9,
      cmdLine: a.cmdLine,
      onBuilt: ({ xen: x, dom }) => {
        xen = x;
        ctl = new DomainController(x, dom, { net: { link: tally } });
      },
    });
    return {
      console: r.run?.console ?? r.summary,
      outcome: r.run?.outcome,
      steps: r.run?.steps,
      hypercalls: r.run?.hypercalls,
      txErrors: ctl?.netback?.stats.txErrors,
      rxFlipRefused: ctl?.netback?.stats.rxFlipRefused,
      netback: ctl?.netback ? { ...ctl.netback.stats } : undefined,
      invariants: xen ? checkInvariants(xen).map(String) : ['the domain was not built'],
      calls: tally.calls,
      maxWrite: tally.maxWrite,
    };
  } finally {
    tally.close();
  }
}
