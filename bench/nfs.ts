/*
 * NFS root throughput (seed step 12): the xenified kernel mounts a ganesha export
 * in domain 0's namespace over xn0 and its vfs.root.walk reads every file (NFS
 * READ in 8 KiB, six IP fragments each, page flipping on receive) and takes its
 * MD5. Two boots, one with an empty export and one with a 4 MiB file; the
 * difference is the cost of reading the 4 MiB: bytes per second of wall time,
 * IR instructions per byte and hypercalls per MiB. Needs root and nfs-ganesha;
 * says why when it cannot run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootXen } from '../src/port/index.js';
import { dom0Unavailable, DomainController, NfsServer, TapLink } from '../src/dom0/index.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../src/project-root.js';

const FILE_BYTES = 4 << 20;

async function walk(exportDir: string, work: string): Promise<{ ms: number; steps: number; hypercalls: number; ok: boolean }> {
  const server = await NfsServer.start({ exportDir });
  const link = TapLink.open(server.pid, server.vif);
  try {
    let t0 = 0;
    const r = await bootXen({
      mode: 'hypercall',
      pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
      configFrom: SAMPLE_KERNEL_DIR,
      output: path.join(work, 'sys'),
      memoryMB: 32,
      maxSteps: 20e9,
      cmdLine: `ip=169.254.1.1/16 nfsroot=169.254.1.0:${exportDir} vfs.root.walk=1`,
      onBuilt: ({ xen, dom }) => {
        new DomainController(xen, dom, { net: { link } });
        t0 = performance.now();
      },
    });
    const ms = performance.now() - t0;
    const con = r.run?.console ?? '';
    return { ms, steps: r.run?.steps ?? 0, hypercalls: r.run?.hypercalls ?? 0, ok: /^walk: .* 0 errors$/m.test(con) };
  } finally {
    link.close();
    await server.stop();
  }
}

export async function benchNfs(): Promise<string[]> {
  const why = dom0Unavailable();
  if (why) return [`nfs: skipped: ${why}`];
  const work = mkdtempSync(path.join(os.tmpdir(), 'xeno-bench-nfs-'));
  try {
    const empty = path.join(work, 'empty');
    const full = path.join(work, 'full');
    mkdirSync(empty);
    mkdirSync(full);
    const b = Buffer.alloc(FILE_BYTES);
    for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
    writeFileSync(path.join(full, 'four-mib'), b);
    const base = await walk(empty, work);
    const read = await walk(full, work);
    if (!base.ok || !read.ok) return ['nfs: the walk did not finish cleanly'];
    const ms = read.ms - base.ms;
    const steps = read.steps - base.steps;
    const calls = read.hypercalls - base.hypercalls;
    return [
      `nfs: a 4 MiB file over NFS (READ 8 KiB, MD5 in the guest): ${((FILE_BYTES / (ms / 1000)) / 1e6).toFixed(2)} MB/s of wall time (${ms.toFixed(0)} ms), ` +
        `${(steps / FILE_BYTES).toFixed(1)} IR instructions per byte, ${(calls / (FILE_BYTES / (1 << 20))).toFixed(0)} hypercalls per MiB`,
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
