/*
 * CPU-bound C programs for `npm run bench`: each runs under xenoport (compiled by our
 * front end, run on the IR engine in flat user mode) and natively (gcc -O0), and the
 * bench reports the slowdown ratio (target: at most 10x) and the C front end's
 * compile speed in lines per second. Both runs must print the same output; a
 * mismatch is reported as an error, not a ratio.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { compileFile, kernelConfig, libcDir, LIBC_FILES, preprocess } from '../src/compile/index.js';
import { runC } from '../src/port/index.js';

export interface BenchProgram { name: string; source: string }

export const BENCH_PROGRAMS: BenchProgram[] = [
  {
    name: 'sieve',
    source: `#include <stdio.h>
#include <string.h>
#define N 2000000
static char composite[N + 1];
int main(void) {
	int i, j, count = 0, round;
	for (round = 0; round < 10; round++) {
		memset(composite, 0, sizeof(composite));
		count = 0;
		for (i = 2; i * i <= N; i++)
			if (!composite[i])
				for (j = i * i; j <= N; j += i)
					composite[j] = 1;
		for (i = 2; i <= N; i++)
			if (!composite[i])
				count++;
	}
	printf("%d\\n", count);
	return 0;
}
`,
  },
  {
    name: 'crc32',
    source: `#include <stdio.h>
static unsigned int table[256];
static unsigned char buf[1 << 16];
int main(void) {
	unsigned int c, n, k, crc = 0;
	int round, i;
	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
		table[n] = c;
	}
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 31 + (i >> 7));
	for (round = 0; round < 200; round++) {
		c = 0xffffffffU ^ crc;
		for (i = 0; i < (int)sizeof(buf); i++)
			c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
		crc = c ^ 0xffffffffU;
	}
	printf("%08x\\n", crc);
	return 0;
}
`,
  },
  {
    name: 'sort100k',
    source: `#include <stdio.h>
#include <stdlib.h>
#define N 100000
static void sort(int *v, int lo, int hi) {
	while (lo < hi) {
		int p = v[(lo + hi) / 2], i = lo, j = hi, t;
		while (i <= j) {
			while (v[i] < p) i++;
			while (v[j] > p) j--;
			if (i <= j) { t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
		}
		if (j - lo < hi - i) { sort(v, lo, j); lo = i; } else { sort(v, i, hi); hi = j; }
	}
}
int main(void) {
	int *v = malloc(N * sizeof(int)), i, round;
	unsigned int s = 1;
	for (round = 0; round < 5; round++) {
		for (i = 0; i < N; i++) { s = s * 1103515245U + 12345U; v[i] = (int)(s >> 1); }
		sort(v, 0, N - 1);
	}
	for (i = 1; i < N; i++) if (v[i - 1] > v[i]) { printf("unsorted\\n"); return 1; }
	printf("%d %d %d\\n", v[0], v[N / 2], v[N - 1]);
	free(v);
	return 0;
}
`,
  },
  {
    name: 'fib',
    source: `#include <stdio.h>
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { printf("%d\\n", fib(32)); return 0; }
`,
  },
];

export interface BenchResult {
  name: string;
  /** Engine run time (compile excluded, best of 3), ms. */
  xenoMs: number;
  /** Native run time of the gcc -O0 binary (best of 3, process start included), ms. */
  nativeMs: number;
  /** xenoMs / nativeMs. */
  ratio: number;
  steps: number;
  outputMatches: boolean;
}

export interface BenchReport {
  programs: BenchResult[];
  /** Preprocessed, non-blank C lines per second through cpp + parse + lowering (the libc). */
  compileLinesPerSec: number;
}

async function timeNative(exe: string): Promise<{ ms: number; stdout: string }> {
  let best = Infinity;
  let stdout = '';
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await execa(exe, [], { reject: false });
    best = Math.min(best, performance.now() - t);
    stdout = String(r.stdout);
  }
  return { ms: best, stdout };
}

/** Runs every bench program both ways; `only` restricts to some names. */
export async function runProgramBench(only?: string[]): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'xeno-bench-'));
  const programs: BenchResult[] = [];
  for (const p of BENCH_PROGRAMS.filter((x) => !only || only.includes(x.name))) {
    const src = join(dir, `${p.name}.c`);
    writeFileSync(src, p.source);
    const exe = join(dir, p.name);
    await execa('gcc', ['-O0', '-w', '-o', exe, src]);
    const native = await timeNative(exe);
    // Best of 3, as for the native binary, so that both sides meet the same noise.
    let r = await runC([src], { maxSteps: 1e10 });
    for (let i = 0; i < 2; i++) {
      const again = await runC([src], { maxSteps: 1e10 });
      if (again.runMs < r.runMs) r = again;
    }
    programs.push({
      name: p.name, xenoMs: r.runMs, nativeMs: native.ms, ratio: r.runMs / native.ms, steps: r.steps,
      outputMatches: r.outcome === 'exit' && r.stdout.replace(/\n$/, '') === native.stdout,
    });
  }
  return { programs, compileLinesPerSec: await compileSpeed() };
}

/**
 * Lines per second of the front end (cpp + parse + lowering), counting non-blank
 * preprocessed lines: over the sample kernel's C files when `kernelDir` is given and
 * exists, else over the libc sources.
 */
export async function compileSpeed(kernelDir = 'sample-kernel'): Promise<number> {
  let files: string[];
  let opts: { includeDirs: string[]; defines?: string[] };
  if (existsSync(join(kernelDir, 'config.sh'))) {
    const cfg = await kernelConfig(kernelDir);
    files = cfg.cFiles;
    opts = { includeDirs: cfg.includeDirs, defines: cfg.defines };
  } else {
    const ldir = libcDir();
    files = LIBC_FILES.map((f) => join(ldir, f));
    opts = { includeDirs: [join(ldir, 'include'), ldir] };
  }
  let lines = 0;
  for (const f of files) {
    const pp = await preprocess(f, opts);
    lines += pp.text.split('\n').filter((l) => l.trim() !== '').length;
  }
  const t = performance.now();
  for (const f of files) await compileFile(f, opts);
  return lines / ((performance.now() - t) / 1000);
}
