/*
 * Root on NFS: the xenified sample kernel boots on the bundled Xen with
 * `ip=169.254.1.1/16 nfsroot=169.254.1.0:<export>` and mounts its root from the
 * real nfs-ganesha in domain 0's namespace over xn0. The export is a per-run copy
 * of the root tree the validation suite runs from (buildXirRootImage's staging
 * directory). Portmap GETPORT, MOUNT v3, FSINFO, GETATTR, then LOOKUP,
 * READDIRPLUS, READ and READLINK as the kernel walks the tree (vfs.root.walk=1
 * prints every file with its size and MD5, which must match the host's md5sum
 * manifest), and as the suite's `files` program, exec'd from NFS as init, checks
 * the tree itself. A wrong path and a server that does not answer each end in a
 * clear console message and a halt. The boots run in a worker thread
 * (nfs-boot-job.ts). Needs root; skipped with the reason elsewhere, never in CI.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildXirRootImage } from '../../src/port/index.js';
import { dom0Unavailable, NfsServer } from '../../src/dom0/index.js';
import { offThread } from '../support/off-thread.js';

const why = dom0Unavailable();
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the NFS root tests: ${why}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-nfsroot-'));
const exportDir = path.join(work, 'export');
let server: NfsServer | undefined;

/** The host's md5sum manifest of the tree: path -> md5. */
let manifest = new Map<string, string>();

beforeAll(async () => {
  if (why) return;
  const img = await buildXirRootImage(path.join(root, 'sample-kernel'), path.join(work, 'xir'));
  cpSync(path.join(work, 'xir', 'root'), exportDir, { recursive: true, verbatimSymlinks: true });
  manifest = new Map(readFileSync(img.manifest, 'utf8').trim().split('\n').map((l) => {
    const [md5, rel] = l.split(/\s+/);
    return [rel!, md5!];
  }));
  server = await NfsServer.start({ exportDir });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** One boot, in a worker thread (nfs-boot-job.ts: a boot is one synchronous stretch). */
async function boot(cmdLine: string) {
  const r = await offThread('nfsBoot', {
    pid: server!.pid,
    vif: server!.vif,
    pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
    configFrom: path.join(root, 'sample-kernel'),
    output: path.join(work, 'sys'),
    cmdLine,
  });
  return { r, con: r.console };
}

describe.skipIf(!!why)('root on NFS from domain 0', () => {
  it('mounts the export, reads every file over NFSv3 and runs a program of the suite from it as init', async () => {
    const { r, con } = await boot(`ip=169.254.1.1/16 nfsroot=169.254.1.0:${exportDir} vfs.root.walk=1 init_path=/bin/files`);
    expect(con).toContain(`Mounting root from nfs:169.254.1.0:${exportDir}`);
    expect(con).toMatch(/nfs: 169\.254\.1\.0:\S+, file handle \d+ bytes, rsize 8192, wsize 8192/);
    expect(con).toContain(`169.254.1.0:${exportDir} on / (nfs, read-write)`);
    // vfs.root.walk: every file read through NFS READ (8 KiB, six fragments each), with the host's MD5.
    const walked = new Map<string, string>();
    for (const l of con.split(/\r?\n/)) {
      const m = /^F \/(\S+) \d+ ([0-9a-f]{32})$/.exec(l);
      if (m) walked.set(m[1]!, m[2]!);
    }
    expect(manifest.size).toBeGreaterThan(10);
    for (const [rel, md5] of manifest) expect(walked.get(rel), rel).toBe(md5);
    expect(con).toMatch(/^L \/motd etc\/motd \d+ [0-9a-f]{32}$/m);
    expect(con).toMatch(/^walk: \d+ files, \d+ symlinks, \d+ directories, \d+ bytes, 0 errors$/m);
    expect(r.txErrors).toBe(0);
    expect(r.rxFlipRefused).toBe(0);
    // The suite's files program, exec'd from NFS, checks the tree with its own manifest.
    expect(con).toContain(`files: ${manifest.size} files in the tree, the md5 of each matches the manifest`);
    expect(con).toContain('init: exited with status 0');
    const pages = /memory: (\d+) pages free before init, (\d+) after/.exec(con);
    expect(pages?.[1]).toBe(pages?.[2]);
    expect(con).toContain('malloc: every allocation since init started is freed');
    expect(r.outcome).toBe('halted');
    expect(r.invariants).toEqual([]);
    console.log(`nfs root walk: netback ${JSON.stringify(r.netback)}, ${r.steps} steps, ${r.hypercalls} hypercalls`);
  }, 300_000);

  it('a path the server does not export is a clear message and a halt', async () => {
    const { r, con } = await boot('ip=169.254.1.1/16 nfsroot=169.254.1.0:/no/such/export');
    expect(con).toMatch(/nfs_mountroot: 169\.254\.1\.0 refused to mount \/no\/such\/export: .* \(NFS3ERR \d+\)/);
    expect(con).toContain('vfs_mountroot: unable to mount root file system');
    expect(r.outcome).toBe('halted');
  }, 300_000);

  it('a server that does not answer is a clear message and a halt, in seconds', async () => {
    const { r, con } = await boot('ip=169.254.1.1/16 nfsroot=169.254.1.9:/export');
    expect(con).toContain('nfs_mountroot: 169.254.1.9: MOUNT v3 service: no answer (is the server down?)');
    expect(con).toContain('vfs_mountroot: unable to mount root file system');
    expect(r.outcome).toBe('halted');
  }, 300_000);
});
