/*
 * Root on NFS: the xenified sample kernel boots on the bundled Xen with
 * `ip=169.254.1.1/16 nfsroot=169.254.1.0:<export>` and mounts its root from the
 * real nfs-ganesha in domain 0's namespace over xn0: portmap GETPORT, MOUNT v3,
 * FSINFO, GETATTR, then LOOKUP, READDIR, READ and READLINK as the kernel walks
 * the tree (vfs.root.walk=1 prints every file with its size and MD5, which must
 * match the host's). A wrong path and a server that does not answer each end in
 * a clear console message and a halt. Needs root; skipped with the reason
 * elsewhere, never in CI.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootXen } from '../../src/port/index.js';
import { checkInvariants, type Xen } from '../../src/hypervisor/index.js';
import { dom0Unavailable, DomainController, NfsServer, TapLink } from '../../src/dom0/index.js';

const why = dom0Unavailable();
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the NFS root tests: ${why}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-nfsroot-'));
const exportDir = path.join(work, 'export');
let server: NfsServer | undefined;
let link: TapLink | undefined;

/** A file whose bytes depend on the offset (a misplaced fragment shows). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return b;
}
const files: Record<string, Buffer> = {
  'hello.txt': Buffer.from('hello from domain 0\n'),
  'etc/motd': Buffer.from('FreeBSD/xenoport on NFS\n'),
  'data/big.bin': bytes(20000, 7),
};

beforeAll(async () => {
  if (why) return;
  for (const [rel, b] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(exportDir, rel)), { recursive: true });
    writeFileSync(path.join(exportDir, rel), b);
  }
  symlinkSync('etc/motd', path.join(exportDir, 'motd.link'));
  server = await NfsServer.start({ exportDir });
  link = TapLink.open(server.pid, server.vif);
}, 120_000);

afterAll(async () => {
  link?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function boot(cmdLine: string, sub: string) {
  let ctl: DomainController | undefined;
  let xen: Xen | undefined;
  const r = await bootXen({
    mode: 'hypercall',
    pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
    configFrom: path.join(root, 'sample-kernel'),
    output: path.join(work, 'sys'),
    memoryMB: 32,
    maxSteps: 6e9,
    cmdLine,
    onBuilt: ({ xen: x, dom }) => {
      xen = x;
      ctl = new DomainController(x, dom, { net: { link: link! } });
    },
  });
  void sub;
  return { r, con: r.run?.console ?? r.summary, ctl: ctl!, xen: xen! };
}

describe.skipIf(!!why)('root on NFS from domain 0', () => {
  it('mounts the export and reads every file over NFSv3', async () => {
    const { r, con, ctl, xen } = await boot(`ip=169.254.1.1/16 nfsroot=169.254.1.0:${exportDir} vfs.root.walk=1`, 'ok');
    expect(con).toContain(`Mounting root from nfs:169.254.1.0:${exportDir}`);
    expect(con).toMatch(/nfs: 169\.254\.1\.0:\S+, file handle \d+ bytes, rsize 8192, wsize 8192/);
    expect(con).toContain(`169.254.1.0:${exportDir} on / (nfs, read-only)`);
    // vfs.root.walk: every file read through NFS READ (8 KiB, six fragments each) with the host's MD5.
    const lines = con.split(/\r?\n/);
    const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
    for (const [rel, b] of Object.entries(files)) expect(lines, rel).toContain(`F /${rel} ${b.length} ${md5(b)}`);
    expect(lines).toContain(`L /motd.link etc/motd ${files['etc/motd']!.length} ${md5(files['etc/motd']!)}`);
    expect(lines).toContain('walk: 3 files, 1 symlinks, 3 directories, 20044 bytes, 0 errors');
    expect(ctl.netback!.stats.txErrors).toBe(0);
    expect(ctl.netback!.stats.rxFlipRefused).toBe(0);
    expect(checkInvariants(xen)).toEqual([]);
    console.log(`nfs root: netback ${JSON.stringify(ctl.netback!.stats)}, ${r.run!.steps} steps, ${r.run!.hypercalls} hypercalls`);
  }, 300_000);

  it('a path the server does not export is a clear message and a halt', async () => {
    const { r, con } = await boot('ip=169.254.1.1/16 nfsroot=169.254.1.0:/no/such/export', 'wrong');
    expect(con).toMatch(/nfs_mountroot: 169\.254\.1\.0 refused to mount \/no\/such\/export: .* \(NFS3ERR \d+\)/);
    expect(con).toContain('vfs_mountroot: unable to mount root file system');
    expect(r.run!.outcome).toBe('halted');
  }, 300_000);

  it('a server that does not answer is a clear message and a halt, in seconds', async () => {
    const { r, con } = await boot('ip=169.254.1.1/16 nfsroot=169.254.1.9:/export', 'down');
    expect(con).toContain('nfs_mountroot: 169.254.1.9: MOUNT v3 service: no answer (is the server down?)');
    expect(con).toContain('vfs_mountroot: unable to mount root file system');
    expect(r.run!.outcome).toBe('halted');
  }, 300_000);
});
