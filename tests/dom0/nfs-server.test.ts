/*
 * Domain 0's NFS server, real parts: ganesha and rpcbind in a network namespace
 * xenoport creates, with the bridge at 169.254.1.0/16 and the guest's tap. A real
 * independent client (libnfs's nfs-ls, inside the namespace) sees the export, NFSv3
 * and MOUNT v3 are registered on the ports the guest uses, and when the server stops
 * (cleanly, or because its owner is killed, even with SIGKILL) no process and no
 * namespace is left behind. Needs root; skipped with the reason elsewhere, never in CI.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dom0Unavailable, NfsServer } from '../../src/dom0/index.js';

const why = dom0Unavailable();
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the domain 0 tests: ${why}`);

function exportTree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xeno-export-'));
  mkdirSync(path.join(dir, 'etc'));
  writeFileSync(path.join(dir, 'etc', 'motd'), 'hello from dom0\n');
  return dir;
}

/** Processes whose command line names `needle` (our work directory), other than pgrep. */
async function processesNaming(needle: string): Promise<string[]> {
  const r = await execa('pgrep', ['-af', needle], { reject: false });
  return String(r.stdout).split('\n').filter((l) => l && !l.includes('pgrep'));
}

/**
 * The network namespace the process `pid` still holds, or undefined once it has
 * exited (a zombie left unreaped by this machine's init holds no namespace; a
 * namespace with no process left is gone).
 */
function netnsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/**
 * Every process still in network namespace `ns` (rpcbind names no file of the work
 * directory, and it drops to the _rpc user: only its namespace gives it away).
 */
function processesIn(ns: string): string[] {
  const found: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readlinkSync(`/proc/${d}/ns/net`) === ns) found.push(`${d} ${readFileSync(`/proc/${d}/cmdline`, 'latin1').replace(/\0/g, ' ')}`);
    } catch {
      /* ended meanwhile */
    }
  }
  return found;
}

describe.skipIf(!!why)('domain 0: the NFS server in its own network namespace', () => {
  it('serves NFSv3 and MOUNT v3 on UDP to a real client, on the bridge address only', async () => {
    const dir = exportTree();
    const s = await NfsServer.start({ exportDir: dir });
    const ns = netnsOf(s.pid)!;
    expect(processesIn(ns).join('\n')).toMatch(/rpcbind/);
    try {
      const reg = await s.exec('rpcinfo', ['-p', '127.0.0.1']);
      expect(reg.output).toMatch(/100003\s+3\s+udp\s+2049\s+nfs/);
      expect(reg.output).toMatch(/100005\s+3\s+udp\s+20048\s+mountd/);
      const addr = await s.exec('ip', ['-4', 'addr', 'show', 'xen-br0']);
      expect(addr.output).toContain('169.254.1.0/16');
      const tap = await s.exec('ip', ['link', 'show', 'vif1.0']);
      expect(tap.output).toMatch(/master xen-br0/);
      const ls = await s.exec('nfs-ls', [`nfs://169.254.1.0${dir}/etc/`]);
      expect(ls.exitCode, ls.output).toBe(0);
      expect(ls.output).toMatch(/motd/);
      // The host's own network never sees the bridge.
      const host = await execa('ip', ['-4', 'addr'], { reject: false });
      expect(String(host.stdout)).not.toContain('169.254.1.0');
    } finally {
      await s.stop();
    }
    expect(await processesNaming(s.workDir)).toEqual([]);
    expect(processesIn(ns)).toEqual([]);
    expect(netnsOf(s.pid)).toBeUndefined();
  }, 120_000);

  it('leaves no process or namespace behind when its owner is killed, even with SIGKILL', async () => {
    const dir = exportTree();
    const entry = path.resolve(import.meta.dirname, '..', '..', 'dist', 'src', 'dom0', 'index.js');
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const owner = execa('node', ['--input-type=module', '-e', `
        import { NfsServer } from ${JSON.stringify(entry)};
        const s = await NfsServer.start({ exportDir: ${JSON.stringify(dir)} });
        console.log(JSON.stringify({ work: s.workDir, pid: s.pid }));
        setInterval(() => {}, 1000);`], { reject: false, stdin: 'ignore' });
      const line = await new Promise<string>((resolve, reject) => {
        owner.stdout!.on('data', (b: Buffer) => resolve(b.toString()));
        void owner.then((r) => reject(new Error(`owner ended early: ${String(r.stderr)}`)));
      });
      const { work, pid } = JSON.parse(line) as { work: string; pid: number };
      expect((await processesNaming(work)).length).toBeGreaterThan(0);
      expect(netnsOf(pid)).toBeDefined();
      expect(netnsOf(pid)).not.toBe(readlinkSync('/proc/self/ns/net'));
      const ns = netnsOf(pid)!;
      expect(processesIn(ns).join('\n')).toMatch(/rpcbind/);
      owner.kill(signal);
      await owner;
      for (let k = 0; k < 50 && ((await processesNaming(work)).length > 0 || processesIn(ns).length > 0); k++) await new Promise((f) => setTimeout(f, 100));
      expect(processesIn(ns), `after ${signal}`).toEqual([]);
      expect(await processesNaming(work), `after ${signal}`).toEqual([]);
      expect(netnsOf(pid), `after ${signal}`).toBeUndefined();
    }
  }, 120_000);
});
