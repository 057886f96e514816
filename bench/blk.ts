/*
 * Block throughput for `npm run bench` (section "blk"): a guest (bench/guest/
 * blkbench.c) writes 8 MiB sequentially to xbd0 through blkback in requests of
 * eleven granted pages, reads them back, and copies the same bytes in its own
 * memory (the limit a transfer through the ring could approach), each in its own
 * run on the bundled hypervisor. A run that only connects is the fixed cost
 * subtracted from each. Reported per phase: bytes per wall second, IR
 * instructions per byte, hypercalls and guest event notifications per MiB.
 * `node dist/bench/blk.js` runs it alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LinkedImage } from '../src/ir/index.js';
import { buildGuestProgram } from '../src/port/index.js';
import { runXenImage } from '../src/hypervisor/index.js';
import { DomainController, parseDiskSpec } from '../src/dom0/index.js';
import { PROJECT_ROOT } from '../src/project-root.js';

const MIB = 1 << 20;
const CHUNK = 11 * 4096;
/** 8 MiB rounded up to whole requests (the guest's loop). */
const BYTES = Math.ceil((8 * MIB) / CHUNK) * CHUNK;

function build(op: number): Promise<LinkedImage> {
  const lib = path.join(PROJECT_ROOT, 'tests', 'dom0', 'guest');
  return buildGuestProgram([path.join(PROJECT_ROOT, 'bench', 'guest', 'blkbench.c'), path.join(lib, 'probe-lib.c')], [`BENCH_OP=${op}`], [lib]);
}

export interface BlkPhase {
  name: string;
  ms: number;
  steps: number;
  hypercalls: number;
  notifications: number;
}

export async function runBlkBench(): Promise<{ bytes: number; phases: BlkPhase[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-blkbench-disk-'));
  const disk = path.join(dir, 'disk.img');
  writeFileSync(disk, Buffer.alloc(BYTES + MIB));
  const run = async (op: number) => {
    const img = await build(op);
    let best: { ms: number; steps: number; hypercalls: number; notifications: number } | undefined;
    for (let k = 0; k < 3; k++) {
      // console_io events: the first is "bench: start", the last "bench: done".
      const marks: { t: number; step: number; calls: number; sends: number }[] = [];
      let calls = 0, sends = 0;
      const r = runXenImage(img, {
        memoryMB: 16,
        maxSteps: 5e9,
        onBuilt: ({ xen, dom }) => void new DomainController(xen, dom, { disks: [parseDiskSpec(`file:${disk},xbd0,w`)] }),
        onEvent: (e) => {
          if (e.kind !== 'hypercall') return;
          if (e.name === 'console_io') marks.push({ t: performance.now(), step: e.step, calls, sends });
          calls++;
          if (e.name === 'event_channel_op') sends++;
        },
      });
      if (!r.console.includes('bench: done') || marks.length !== 2) throw new Error(`the block bench guest failed:\n${r.console}\n${r.reportText ?? ''}`);
      const [a, b] = [marks[0]!, marks[1]!];
      const p = { ms: b.t - a.t, steps: b.step - a.step, hypercalls: b.calls - a.calls - 1, notifications: b.sends - a.sends };
      if (!best || p.ms < best.ms) best = p;
    }
    return best!;
  };
  try {
    const phases: BlkPhase[] = [];
    for (const [name, op] of [['write', 0], ['read', 1], ['memcpy', 2]] as const) phases.push({ name, ...(await run(op)) });
    return { bytes: BYTES, phases };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatBlkBench(b: { bytes: number; phases: BlkPhase[] }): string[] {
  const mib = b.bytes / MIB;
  const memcpy = b.phases.find((p) => p.name === 'memcpy')!;
  return b.phases.map((p) => {
    const rate = b.bytes / (p.ms / 1000) / MIB;
    const vs = p.name === 'memcpy' ? '' : `  ${(p.ms / memcpy.ms).toFixed(1)}x memcpy's time`;
    return `${p.name.padEnd(6)} ${mib.toFixed(2)} MiB in ${p.ms.toFixed(0).padStart(5)} ms  ${rate.toFixed(1).padStart(6)} MiB/s  ${(p.steps / b.bytes).toFixed(2)} IR/byte  ${(p.hypercalls / mib).toFixed(1)} hypercalls/MiB  ${(p.notifications / mib).toFixed(1)} notifications/MiB${vs}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const l of formatBlkBench(await runBlkBench())) console.log(l);
}
