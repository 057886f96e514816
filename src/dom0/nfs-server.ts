/*
 * Domain 0's network and its NFS server, real parts only: a private network and
 * mount namespace that xenoport creates (`unshare`), holding a Linux bridge
 * xen-br0 at 169.254.1.0/16 (Xen 2.0's tools/examples/network layout) with a tap
 * device vif<domid>.0 for the guest's interface, and nfs-ganesha with rpcbind
 * serving one directory over NFSv3/UDP. Nothing outside the namespace is ever
 * addressed; the guest's link-local network exists only inside it.
 *
 * Lifetime: the namespace lives as long as its holder, a shell that is the first
 * process (pid 1) of a PID namespace of its own: when it ends, the kernel kills
 * every process left in that namespace. A parent-death signal alone is not enough:
 * rpcbind drops to the _rpc user, and a change of credentials clears the signal (an
 * orphaned rpcbind was seen). unshare holds the holder with --kill-child and itself
 * runs with a parent-death signal, so whatever way xenoport ends (stop(), an error,
 * Ctrl-C, a test timeout, even kill -9) the server, rpcbind and the namespace go
 * with it. stop() is idempotent and also runs at process exit.
 *
 * Facts from the research (wave2.md §1.3, §1.6): ganesha 4.3 must register with a
 * portmapper (rpcbind, started without -h, which crashes in a fresh netns); /run and
 * /var/lib/nfs are private tmpfs mounts (rpcbind's socket path and ganesha's v4recov
 * state are paths shared across network namespaces); the guest must send AUTH_UNIX
 * and speak NFSv3 with MOUNT v3; NFS is on port 2049, mountd on 20048.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XenoportError } from '../errors.js';

export class Dom0Error extends XenoportError {}

/** dom0's side of the guest network (seed step 12: ip=169.254.1.1/16, server=169.254.1.0). */
export const DOM0_IP = '169.254.1.0';
export const DOM0_PREFIX = 16;
export const NFS_PORT = 2049;
export const MOUNTD_PORT = 20048;

export interface NfsServerOptions {
  /** The directory exported as the guest's root (no root squash). */
  exportDir: string;
  /** Export it read-only (Access_Type = RO): the server refuses every change with NFS3ERR_ROFS. */
  readOnly?: boolean;
  /** The largest WRITE the server takes (MaxWrite, PrefWrite: FSINFO's wtmax and wtpref); ganesha's default otherwise. */
  maxWrite?: number;
  /** The guest's domain id: its interface is vif<domid>.0. */
  domid?: number;
  /** How long the server may take to answer rpcinfo; default 60 s (ganesha takes seconds on a loaded machine; a holder that died is seen at once). */
  readyTimeoutMs?: number;
}

/** Why this machine cannot run domain 0's network, or undefined when it can. */
export function dom0Unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'domain 0 needs root (network namespaces, a tap device, FSAL_VFS file handles)';
  if (!existsSync('/dev/net/tun')) return 'there is no /dev/net/tun';
  for (const [tool, pkg] of [['ganesha.nfsd', 'nfs-ganesha nfs-ganesha-vfs'], ['rpcbind', 'rpcbind'], ['rpcinfo', 'rpcbind'], ['unshare', 'util-linux'], ['nsenter', 'util-linux'], ['setpriv', 'util-linux'], ['ip', 'iproute2']]) {
    if (!onPath(tool)) return `${tool} is not installed (Debian package ${pkg})`;
  }
  return undefined;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']).some((d) => d && existsSync(path.join(d, tool)));
}

/** ganesha.conf for one NFSv3 export over UDP and TCP (wave2.md §1.3), read-write unless readOnly. */
export function ganeshaConfig(exportDir: string, readOnly = false, maxWrite?: number): string {
  const access = readOnly ? 'RO' : 'RW';
  const write = maxWrite ? `\n\tMaxWrite = ${maxWrite}; PrefWrite = ${maxWrite};` : '';
  return `NFS_CORE_PARAM {
	NFS_Port = ${NFS_PORT}; MNT_Port = ${MOUNTD_PORT}; NLM_Port = 20049; Rquota_Port = 20875;
	Enable_NLM = false; Enable_RQUOTA = false; Protocols = 3; Enable_UDP = true;
	mount_path_pseudo = false;
}
NFSV4 { Graceless = true; }
NFS_KRB5 { Active_krb5 = false; }
EXPORT_DEFAULTS { Access_Type = RW; Squash = No_Root_Squash; Protocols = 3; Transports = UDP, TCP; SecType = sys; }
EXPORT {
	Export_Id = 1; Path = ${exportDir}; Pseudo = ${exportDir};
	Access_Type = ${access}; Squash = No_Root_Squash; Protocols = 3; Transports = UDP, TCP;${write}
	FSAL { Name = VFS; }
	CLIENT { Clients = 127.0.0.1, 169.254.0.0/16; Access_Type = ${access}; }
}
LOG { Default_Log_Level = EVENT; }
`;
}

/**
 * The namespace's holder: sets up the bridge and the tap, starts rpcbind and
 * ganesha, writes their pids, then waits; it is pid 1 of its PID namespace, so
 * its end is theirs.
 */
function holderScript(work: string, vif: string): string {
  const die = 'setpriv --pdeathsig KILL';
  return `set -e
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/lib/nfs
mkdir -p /run/rpcbind /run/ganesha /var/lib/nfs/ganesha
ip link set lo up
ip link add xen-br0 type bridge
ip addr add ${DOM0_IP}/${DOM0_PREFIX} dev xen-br0
ip link set xen-br0 up
ip tuntap add dev ${vif} mode tap
ip link set ${vif} master xen-br0
ip link set ${vif} up
${die} rpcbind -f & echo $! > ${work}/rpcbind.pid
# ganesha registers NFS with rpcbind once, at its start: wait until rpcbind answers,
# or on a loaded machine ganesha can come first and never be registered.
n=0
until [ -S /run/rpcbind.sock ] && rpcinfo -p 127.0.0.1 >/dev/null 2>&1; do
  n=$((n + 1))
  if [ $n -gt 600 ]; then echo "rpcbind did not answer within 30 s" >&2; exit 1; fi
  sleep 0.05
done
${die} ganesha.nfsd -F -f ${work}/ganesha.conf -L ${work}/ganesha.log -p ${work}/ganesha.pid -N NIV_EVENT & echo $! > ${work}/ganesha.child
echo ready-to-wait > ${work}/holder.state
wait
`;
}

const live = new Set<NfsServer>();
let exitHook = false;

/** A running domain 0 network with its NFS server. */
export class NfsServer {
  private holder: ResultPromise | undefined;
  private stopped = false;
  readonly vif: string;

  private constructor(
    readonly exportDir: string,
    readonly workDir: string,
    domid: number,
  ) {
    this.vif = `vif${domid}.0`;
  }

  /** The pid whose namespaces are domain 0's network (for nsenter). */
  get pid(): number {
    const p = this.holder?.pid;
    if (p === undefined) throw new Dom0Error('domain 0 is not running');
    return p;
  }

  /**
   * Creates the namespace and starts the server; resolves once rpcinfo inside it
   * sees NFS v3 on UDP. Throws Dom0Error naming what failed (with ganesha's log).
   */
  static async start(opts: NfsServerOptions): Promise<NfsServer> {
    const why = dom0Unavailable();
    if (why) throw new Dom0Error(why);
    if (!existsSync(opts.exportDir)) throw new Dom0Error(`the export ${opts.exportDir} does not exist`);
    const work = mkdtempSync(path.join(tmpdir(), 'xenoport-dom0-'));
    const s = new NfsServer(path.resolve(opts.exportDir), work, opts.domid ?? 1);
    writeFileSync(path.join(work, 'ganesha.conf'), ganeshaConfig(s.exportDir, opts.readOnly, opts.maxWrite));
    writeFileSync(path.join(work, 'holder.sh'), holderScript(work, s.vif));
    live.add(s);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const x of live) x.kill();
      });
    }
    // unshare enters the new network and mount namespaces itself (so nsenter can use
    // its pid) and forks the holder as pid 1 of the new PID namespace.
    s.holder = execa('setpriv', ['--pdeathsig', 'KILL', 'unshare', '--net', '--mount', '--pid', '--kill-child=KILL', '--propagation', 'private', 'sh', path.join(work, 'holder.sh')], {
      reject: false,
      stdin: 'ignore',
      all: true,
    });
    try {
      await s.waitReady(opts.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await s.stop();
      throw err;
    }
    return s;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (this.holder && this.holder.exitCode !== null) break;
      if (existsSync(path.join(this.workDir, 'holder.state'))) {
        const r = await this.exec('rpcinfo', ['-T', 'udp', '127.0.0.1', '100003', '3'], { timeoutMs: 5000 });
        if (r.exitCode === 0) return;
        last = r.output;
      }
      if (Date.now() > until) break;
      await new Promise((f) => setTimeout(f, 50));
    }
    const log = existsSync(path.join(this.workDir, 'ganesha.log')) ? readFileSync(path.join(this.workDir, 'ganesha.log'), 'utf8').split('\n').slice(-8).join('\n  ') : '';
    const holderOut = this.holder && this.holder.exitCode !== null ? String((await this.holder).all ?? '').trim() : '';
    throw new Dom0Error(`the NFS server in domain 0 did not become ready${holderOut ? `: ${holderOut}` : ''}${last ? `\n  rpcinfo: ${last.trim()}` : ''}${log ? `\n  ganesha log:\n  ${log}` : ''}`);
  }

  /** Runs a command inside domain 0's network and mount namespaces. */
  async exec(cmd: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<{ exitCode: number; output: string }> {
    const r = await execa('nsenter', ['-t', String(this.pid), '-n', '-m', cmd, ...args], { reject: false, all: true, timeout: opts.timeoutMs ?? 30_000, stdin: 'ignore' });
    return { exitCode: r.exitCode ?? -1, output: String(r.all ?? '') };
  }

  /** Ends the namespace and every process in it (ganesha, rpcbind). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    const h = this.holder;
    // A running child's exitCode is null (Node's ChildProcess).
    if (h && h.exitCode === null && h.signalCode === null) {
      // The process's own end, not its output's: a pipe some survivor still held
      // would keep the result promise pending.
      const ended = new Promise<void>((f) => h.once('exit', () => f()));
      // unshare ignores SIGTERM while it waits; its end kills the holder, pid 1 of
      // the PID namespace, and the kernel then kills everything in the namespace.
      h.kill('SIGKILL');
      await ended;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Synchronous last resort (process exit): the parent-death signal does the rest. */
  private kill(): void {
    try {
      this.holder?.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
