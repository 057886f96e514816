/*
 * `npm start` benchmark: `xenoport start` cold (an empty cache directory, a fresh
 * output tree, the native kernel's make output removed: a fresh clone after
 * `npm install`) and warm (the same command again), each as a child process with its
 * wall time and its CPU time (user + system, from GNU time when /usr/bin/time exists);
 * then the port loop alone, in process, cold and warm, with its time per phase (xenify,
 * compile, boot) summed over the iterations, and what the compile cache did (units
 * from the direct entries, from the preprocessed text, from the text without the
 * inline bodies they never reach, compiled). The load average is given at the start
 * and the end. `npm run bench -- start` runs it alone.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portLoop, realPortStages, unitCacheAt, type PortResult } from '../src/port/index.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../src/project-root.js';

interface Timed {
  wallS: number;
  cpuS?: number;
  /** The `== time:` line npm start printed. */
  stages: string;
}

async function timeStart(cache: string, output: string): Promise<Timed> {
  const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
  const gnuTime = existsSync('/usr/bin/time');
  const timeFile = path.join(cache, '..', 'time.txt');
  const args = ['start', '--cache', cache, '--output', output];
  const t0 = performance.now();
  const r = gnuTime
    ? await execa('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, cli, ...args], { cwd: PROJECT_ROOT, reject: false })
    : await execa(process.execPath, [cli, ...args], { cwd: PROJECT_ROOT, reject: false });
  const wallS = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) throw new Error(`xenoport start failed (${r.exitCode}): ${String(r.stderr).slice(-400)}`);
  const stages = String(r.stdout).split('\n').find((l) => l.startsWith('== time: '))?.slice(3) ?? '';
  let cpuS: number | undefined;
  if (gnuTime) {
    const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    cpuS = u! + s!;
  }
  return { wallS, cpuS, stages };
}

function phases(r: PortResult, wallMs: number): string {
  const sum = (k: 'xenify' | 'build' | 'boot'): string => `${(r.iterations.reduce((n, it) => n + it.ms[k], 0) / 1000).toFixed(1)} s`;
  const cached = r.iterations.filter((it) => it.run?.cached).length;
  return `${(wallMs / 1000).toFixed(1)} s, ${r.iterations.length} iterations (${cached} boots from the cache): xenify ${sum('xenify')}, compile ${sum('build')}, boot ${sum('boot')}; ${r.outcome}`;
}

export async function benchStart(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-bench-start-'));
  const out: string[] = [`load average at the start: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`];
  try {
    await execa('make', ['-s', '-C', SAMPLE_KERNEL_DIR, 'clean'], { reject: false });
    const cache = path.join(dir, 'cache');
    const output = path.join(dir, 'start', 'sys');
    const cpu = (t: Timed): string => (t.cpuS === undefined ? '' : `, ${t.cpuS.toFixed(1)} CPU-s`);
    const cold = await timeStart(cache, output);
    out.push(`npm start cold: ${cold.wallS.toFixed(1)} s wall${cpu(cold)}  (${cold.stages})`);
    const warm = await timeStart(cache, output);
    out.push(`npm start warm: ${warm.wallS.toFixed(1)} s wall${cpu(warm)}  (${warm.stages})`);

    const portCache = path.join(dir, 'port-cache');
    const units = unitCacheAt(path.join(portCache, 'compile')).stats;
    const run = async (): Promise<string> => {
      const before = { ...units };
      const t0 = performance.now();
      const r = await portLoop(realPortStages(path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'), SAMPLE_KERNEL_DIR, path.join(dir, 'port', 'sys'), portCache), { memoryMB: 32 });
      const d = (k: keyof typeof units): number => units[k] - before[k];
      return `${phases(r, performance.now() - t0)}; units: ${d('direct')} direct, ${d('preprocessed')} preprocessed, ${d('reduced')} without unreached inline bodies, ${d('compiled')} compiled`;
    };
    out.push(`port loop cold: ${await run()}`);
    out.push(`port loop warm: ${await run()}`);
    out.push(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
