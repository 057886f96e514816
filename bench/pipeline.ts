/*
 * Pipeline benchmark: `xenoport xenify` on the sample kernel from nothing (cold:
 * scan, ABI generation, every stage, the whole tree written) and again with
 * nothing changed (no-op: stat the sources, read the cache, check the generated
 * tree against its manifest). Target: the no-op rerun at least 20x faster.
 * `npm run bench` calls runPipelineBenchmarks(); `node dist/bench/pipeline.js`
 * runs it alone. Each figure is the median of `repeats` runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearScanMemo, defaultScan, parsePipeline, runPipeline, type PipelineConfig } from '../src/rewrite/index.js';
import { median } from '../eval/measure.js';

export interface PipelineBenchResult {
  coldMs: number;
  noopMs: number;
  speedup: number;
  files: number;
  edits: number;
}

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!readFileSafe(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function readFileSafe(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

function freshConfig(root: string, dir: string): PipelineConfig {
  const text = readFileSync(path.join(root, 'xenoport.pipeline.yaml'), 'utf8')
    .replace(/^source:.*$/m, `source: ${path.join(root, 'sample-kernel', 'sys')}`)
    .replace(/^output:.*$/m, `output: ${path.join(dir, 'out', 'sys')}`)
    .replace(/^cache:.*$/m, `cache: ${path.join(dir, 'cache')}`)
    .replace(/^rules:.*$/m, `rules: ${path.join(root, 'rules')}`);
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, text);
  return parsePipeline(file, text);
}


export async function runPipelineBenchmarks(repeats = 3): Promise<PipelineBenchResult> {
  const root = projectRoot();
  const cold: number[] = [];
  const noop: number[] = [];
  let files = 0;
  let edits = 0;
  for (let i = 0; i < repeats; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-bench-'));
    const config = freshConfig(root, dir);
    clearScanMemo();
    let t = performance.now();
    const first = await runPipeline(config, { scan: defaultScan });
    cold.push(performance.now() - t);
    files = first.files;
    edits = first.edits;
    for (let j = 0; j < 3; j++) {
      t = performance.now();
      const again = await runPipeline(config, { scan: defaultScan });
      noop.push(performance.now() - t);
      if (again.changed) throw new Error('benchmark: the no-op rerun changed the tree');
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const coldMs = median(cold);
  const noopMs = median(noop);
  return { coldMs, noopMs, speedup: coldMs / noopMs, files, edits };
}

export function formatPipelineBench(r: PipelineBenchResult): string {
  return [
    `pipeline (xenify, sample kernel, ${r.files} files, ${r.edits} edits)`,
    `  cold run        ${r.coldMs.toFixed(1)} ms`,
    `  no-op rerun     ${r.noopMs.toFixed(1)} ms`,
    `  speedup         ${r.speedup.toFixed(1)}x (target >= 20x)`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runPipelineBenchmarks().then((r) => process.stdout.write(`${formatPipelineBench(r)}\n`));
}
