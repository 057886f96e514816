/*
 * `npm run bench -- batching` (seed step 15): the boot of the i386-xeno sample
 * kernel to the root mount with page-table updates flushed one by one and
 * batched, batched with a lazy TLB, and batched with upcalls at seeded
 * instruction counts (XENOPORT_BATCH_SEEDS seeds, default 20), every run under
 * the race detector. Prints hypercalls by kind side by side, mmu_update calls
 * and requests per call, IR instructions and wall time, the races, and whether
 * every console matches flush-each's.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootBatchingMode, formatSideBySide, suiteModule, type BatchingRun } from '../src/port/index.js';
import { PROJECT_ROOT as ROOT, SAMPLE_KERNEL_DIR } from '../src/project-root.js';

export async function benchBatching(): Promise<string[]> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'xeno-batching-'));
  // The root file system image as the boot module: the boot mounts it (md0).
  await execa('make', ['-s', '-C', SAMPLE_KERNEL_DIR, 'root']);
  const module = readFileSync(path.join(SAMPLE_KERNEL_DIR, 'build/i386/root.img'));
  const o = { pipelineFile: path.join(ROOT, 'xenoport.pipeline.yaml'), configFrom: SAMPLE_KERNEL_DIR, workDir, module };
  const seeds = Number(process.env.XENOPORT_BATCH_SEEDS ?? 20);
  try {
    const flush = await bootBatchingMode(o, 'flush-each', 'flush-each');
    const batched = await bootBatchingMode(o, 'batched', 'batched');
    const lazy = await bootBatchingMode(o, 'batched+lazy', 'batched', true);
    const seeded: BatchingRun[] = [];
    for (let s = 1; s <= seeds; s++) seeded.push(await bootBatchingMode(o, `seed ${s}`, 'batched', false, s));
    const all = [flush, batched, lazy, ...seeded];
    const lines = formatSideBySide([flush, batched, lazy]);
    for (const r of [flush, batched, lazy]) lines.push(`${r.label}: mmu_update ${r.mmuCalls} calls, ${r.mmuRequests} requests (${(r.mmuRequests / Math.max(1, r.mmuCalls)).toFixed(1)}/call; ${r.histogram}); ${r.mmuInMulticall} more inside multicalls; ${r.guestSteps} guest IR instructions (${r.steps} steps with the hypervisor's metered work), boot ${(r.bootMs / 1000).toFixed(2)} s wall (${(r.wallMs / 1000).toFixed(1)} s with xenify and compile; race detector on)`);
    const plain = [await bootBatchingMode({ ...o, raceDetect: false }, 'flush-each', 'flush-each'), await bootBatchingMode({ ...o, raceDetect: false }, 'batched', 'batched')];
    lines.push(`without the race detector: boot ${plain.map((r) => `${r.label} ${(r.bootMs / 1000).toFixed(2)} s`).join(', ')}`);
    lines.push(`mmu_update hypercalls: ${(flush.mmuCalls / Math.max(1, batched.mmuCalls)).toFixed(1)}x fewer batched; all hypercalls ${(flush.hypercalls / Math.max(1, batched.hypercalls)).toFixed(2)}x fewer; guest IR instructions ${(flush.guestSteps / Math.max(1, batched.guestSteps)).toFixed(2)}x fewer, metered steps ${(flush.steps / Math.max(1, batched.steps)).toFixed(2)}x fewer`);
    if (seeded.length) lines.push(`seeded upcalls: ${seeded.length} seeds, ${seeded.map((r) => r.upcalls).reduce((a, b) => a + b, 0)} upcalls in all (${Math.min(...seeded.map((r) => r.upcalls))}-${Math.max(...seeded.map((r) => r.upcalls))} per boot)`);
    const races = all.reduce((n, r) => n + r.races.length, 0);
    const differ = all.filter((r) => r.console !== flush.console).map((r) => r.label);
    const failed = all.filter((r) => !r.ok).map((r) => r.label);
    lines.push(`races reported: ${races}; consoles identical to flush-each: ${differ.length === 0 ? `all ${all.length}` : `NO (${differ.join(', ')})`}; boots that missed the root mount: ${failed.length ? failed.join(', ') : 'none'}`);
    for (const r of all) for (const x of r.races) lines.push(`  ${r.label}: race ${x.kind}: queued at ${x.queuedAt ?? '-'}, used at ${x.usedAt}`);
    lines.push(...(await suiteRuns(workDir)));
    return lines;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Boot + the validation suite (the XIR root image as the module: init runs the 13
 * programs): flush-each and batched without the detector (timing), then batched,
 * batched + lazy TLB and XENOPORT_BATCH_SUITE_SEEDS seeded-upcall runs (default 2)
 * under it. The suite's own verdict line must say 13/13 in every run.
 */
async function suiteRuns(workDir: string): Promise<string[]> {
  const { bytes } = await suiteModule(SAMPLE_KERNEL_DIR);
  const o = { pipelineFile: path.join(ROOT, 'xenoport.pipeline.yaml'), configFrom: SAMPLE_KERNEL_DIR, workDir, module: bytes };
  const seeds = Number(process.env.XENOPORT_BATCH_SUITE_SEEDS ?? 2);
  const flush = await bootBatchingMode({ ...o, raceDetect: false }, 'flush-each', 'flush-each');
  const batched = await bootBatchingMode({ ...o, raceDetect: false }, 'batched', 'batched');
  const detected = [await bootBatchingMode(o, 'batched+detector', 'batched'), await bootBatchingMode(o, 'batched+lazy', 'batched', true)];
  for (let s = 1; s <= seeds; s++) detected.push(await bootBatchingMode(o, `seed ${s}`, 'batched', false, s));
  const lines = ['boot + validation suite (XIR root image):', ...formatSideBySide([flush, batched])];
  for (const r of [flush, batched]) lines.push(`${r.label}: mmu_update ${r.mmuCalls} calls, ${r.mmuRequests} requests (${(r.mmuRequests / Math.max(1, r.mmuCalls)).toFixed(1)}/call; ${r.histogram}); ${r.mmuInMulticall} more inside multicalls (${r.mmuInMulticallRequests} requests); ${r.guestSteps} guest IR instructions; boot + suite ${(r.bootMs / 1000).toFixed(1)} s wall`);
  lines.push(`mmu_update hypercalls: ${(flush.mmuCalls / Math.max(1, batched.mmuCalls)).toFixed(2)}x fewer batched; all hypercalls ${(flush.hypercalls / Math.max(1, batched.hypercalls)).toFixed(2)}x fewer`);
  const all = [flush, batched, ...detected];
  const verdict = (r: BatchingRun) => /^validation: (\d+\/\d+) passed$/m.exec(r.console)?.[1] ?? 'no verdict';
  lines.push(`suite verdicts: ${all.map((r) => `${r.label} ${verdict(r)}`).join(', ')}`);
  const differ = all.filter((r) => r.console !== flush.console).map((r) => r.label);
  lines.push(`races reported: ${detected.reduce((n, r) => n + r.races.length, 0)} over ${detected.length} runs under the detector; consoles identical to flush-each: ${differ.length ? `NO (${differ.join(', ')})` : `all ${all.length}`}; upcalls in the seeded runs: ${detected.slice(2).map((r) => r.upcalls).join(', ') || '-'}`);
  for (const r of detected) for (const x of r.races) lines.push(`  ${r.label}: race ${x.kind}: queued at ${x.queuedAt ?? '-'}, used at ${x.usedAt}`);
  return lines;
}
