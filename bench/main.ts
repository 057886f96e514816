/*
 * `npm run bench`: every stage's speed figures in one run, each with the ratio
 * against its baseline measured in the same run (native gcc -O0, ast-grep, a cold
 * run). Sections can be chosen: `npm run bench -- engine programs`.
 * The numbers go into BENCHMARKS.md by hand, with this command.
 */
import { formatEngineBench, formatPagingBench, runEngineBenchmarks, runPagingBenchmarks } from './engine.js';
import { runPcBench } from './pc.js';
import { formatHypervisorBench, runHypervisorBench } from './hypervisor.js';
import { formatPipelineBench, runPipelineBenchmarks } from './pipeline.js';
import { runProgramBench } from './programs.js';
import { benchScan } from './scan.js';
import { benchWorkflow } from './workflow.js';
import { benchStart } from './start.js';
import { benchBatching } from './batching.js';
import { formatBlkBench, runBlkBench } from './blk.js';
import { benchSuite } from './suite.js';
import { benchNfs } from './nfs.js';

type Section = { name: string; run: () => Promise<string[]> };

const sections: Section[] = [
  { name: 'scan', run: benchScan },
  { name: 'workflow', run: benchWorkflow },
  {
    name: 'engine',
    run: async () => [formatEngineBench(runEngineBenchmarks())],
  },
  {
    name: 'paging',
    run: async () => [formatPagingBench(runPagingBenchmarks())],
  },
  { name: 'pc', run: runPcBench },
  {
    name: 'programs',
    run: async () => {
      const report = await runProgramBench();
      const lines = report.programs.map(
        (p) =>
          `${p.name.padEnd(8)} xenoport ${p.xenoMs.toFixed(0).padStart(6)} ms  gcc -O0 ${p.nativeMs
            .toFixed(0)
            .padStart(5)} ms  slowdown ${p.ratio.toFixed(2)}x  ${(p.steps / (p.xenoMs / 1000) / 1e6).toFixed(0)} M IR ops/s  output ${
            p.outputMatches ? 'matches' : 'DIFFERS'
          }`,
      );
      lines.push(`front end: ${report.compileLinesPerSec.toFixed(0)} lines/s (cpp + parse + lowering)`);
      return lines;
    },
  },
  {
    name: 'hypervisor',
    run: async () => formatHypervisorBench(runHypervisorBench()),
  },
  { name: 'blk', run: async () => formatBlkBench(await runBlkBench()) },
  {
    name: 'pipeline',
    run: async () => [formatPipelineBench(await runPipelineBenchmarks())],
  },
  { name: 'start', run: benchStart },
  { name: 'batching', run: benchBatching },
  { name: 'suite', run: benchSuite },
  { name: 'nfs', run: benchNfs },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const s of sections) {
    if (wanted.length > 0 && !wanted.includes(s.name)) continue;
    process.stdout.write(`== ${s.name}\n`);
    for (const line of await s.run()) process.stdout.write(`${line}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
