/*
 * `npm run eval -- --tree PATH [--arch i386] [--scope DIR ...]`: xenoport on a
 * real kernel tree, end to end, with the figures BENCHMARKS.md records: the
 * files and parse errors of the scan, findings per category, `rewrite` (guarded
 * by #ifdef XEN) and `xenify` exit status, time and memory, and every file
 * xenify changed compiled with `gcc -m32 -c` natively and with -DXEN (the
 * original file compiled natively first, so a file this harness cannot build
 * is told apart from one the port broke). PATH is a `sys` directory or one that
 * holds it. Trees stay outside the repository; results go to a scratch
 * directory under the system's temporary directory. Printed to be read by
 * hand (measure.ts): pmap.c's page-table write lines against a name-based regex,
 * and every va-hole, console, descriptor, selector, timer and pt-pin finding in
 * the arch directory; with --speed, a cold scan of all of sys/ beside ast-grep.
 * The compile harness is compile.ts: GENERIC's option headers, the tree's own
 * generated headers (assym.s, *_if.h), and why a file it cannot build is so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRules, scan, type Category } from '../src/analyze/index.js';
import { PROJECT_ROOT } from '../src/analyze/paths.js';
import { defaultScan, parsePipeline, readManifest, rewriteTree, runPipeline } from '../src/rewrite/index.js';
import { compileAll, prepare } from './compile.js';
import { findingLines, pteRecall, speedAgainstAstGrep } from './measure.js';

interface Args {
  tree: string;
  arch: string;
  scope: string[];
  keep: boolean;
  speed: boolean;
}

const USAGE = `usage: npm run eval -- --tree PATH [--arch i386] [--scope DIR]... [--keep] [--speed]

  --tree PATH   a kernel source tree: its sys/ directory or the one holding it
  --arch A      the architecture to port (default i386)
  --scope DIR   a directory under sys/ to scan (repeatable; default the arch's own,
                x86/ where present, and kern/)
  --keep        keep the scratch directory (rewrite and xenify output, compile setup)
  --speed       also time a cold scan of all of sys/ beside ast-grep

example: npm run eval -- --tree ~/src/freebsd-9.3/sys
`;

function parseArgs(argv: string[]): Args {
  const a: Args = { tree: '', arch: 'i386', scope: [], keep: false, speed: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--help' || v === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (v === '--tree') a.tree = argv[++i] ?? '';
    else if (v === '--arch') a.arch = argv[++i] ?? 'i386';
    else if (v === '--scope') a.scope.push(argv[++i] ?? '');
    else if (v === '--keep') a.keep = true;
    else if (v === '--speed') a.speed = true;
    else throw new Error(`unknown argument ${v}\n${USAGE}`);
  }
  if (!a.tree) throw new Error(`--tree is required\n${USAGE}`);
  return a;
}

const mb = (): number => Math.round(process.memoryUsage().rss / 1048576);

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: string; seconds: number; peakMb: number }> {
  const t0 = performance.now();
  let peak = mb();
  const tick = setInterval(() => (peak = Math.max(peak, mb())), 200);
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakMb: Math.max(peak, mb()) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), seconds: (performance.now() - t0) / 1000, peakMb: peak };
  } finally {
    clearInterval(tick);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sys = existsSync(path.join(args.tree, 'sys')) ? path.resolve(args.tree, 'sys') : path.resolve(args.tree);
  if (!existsSync(path.join(sys, args.arch))) throw new Error(`${sys} has no ${args.arch}/ directory`);
  // A tree with a Xen port of its own under XEN: its names would meet the guest API's; guard with our own macro.
  const ownPort = existsSync(path.join(sys, args.arch, 'include', 'xen'));
  const guard = ownPort ? 'XENOPORT_XEN' : 'XEN';
  const scope = args.scope.length > 0 ? args.scope : [args.arch, 'x86', 'kern'].filter((d) => existsSync(path.join(sys, d)));
  const work = mkdtempSync(path.join(os.tmpdir(), 'xenoport-eval-'));
  const say = (s: string): void => void process.stdout.write(`${s}\n`);
  say(`tree ${sys} (arch ${args.arch}; scan scope ${scope.join(', ')}; guard ${guard}); scratch ${work}`);

  // The scan: files, parse errors, findings per category, in the scope.
  const rules = loadRules();
  const s = await timed(() => scan({ paths: scope.map((d) => path.join(sys, d)), rules, cache: false, arch: args.arch }));
  if (!s.value) throw new Error(`scan failed: ${s.error}`);
  const sum = s.value.summary;
  say(`scan: ${sum.scanned} files, ${sum.lines} lines, ${sum.filesWithParseErrors} with parse errors, ${sum.findings} findings, ${s.seconds.toFixed(1)} s, ${s.peakMb} MB`);
  for (const [c, n] of Object.entries(sum.byCategory).sort((x, y) => y[1] - x[1])) say(`  ${c.padEnd(24)} ${n}`);
  const all = await scan({ paths: [path.join(sys, args.arch)], rules, cache: false, arch: args.arch, allBranches: true });
  const tagged = all.findings.filter((f) => f.branch !== undefined);
  say(`  in dead branches or existing ports (--all-branches, ${args.arch}/): ${tagged.filter((f) => f.branch === 'dead').length} dead, ${tagged.filter((f) => f.branch === 'ported').length} ported; in the default scan: ${s.value.findings.filter((f) => f.branch !== undefined).length}`);
  const byCat = (c: Category): number => s.value!.findings.filter((f) => f.category === c).length;
  void byCat;

  // The figures read by hand: PTE-write recall on pmap.c, the va-hole and console findings.
  const pmap = `${args.arch}/${args.arch}/pmap.c`;
  const recall = pteRecall(path.join(sys, pmap), pmap, s.value.findings);
  if (recall) {
    say(`pte-write on ${pmap}: ${recall.found.length} lines found; a name-based regex takes ${recall.regex.length}; ${recall.scanOnly.length} found lines the regex misses; the regex's ${recall.regexOnly.length} other lines, to read:`);
    for (const [n, t] of recall.regexOnly) say(`  ${n}: ${t}${recall.pinPoints.includes(n) ? '   [pt-pin: a page zeroed before it becomes a table, not a page-table write]' : ''}`);
  }
  for (const c of ['va-hole', 'console', 'descriptor', 'selector', 'timer', 'pt-pin'] as const) {
    const lines = findingLines(s.value.findings, c, `${args.arch}/`, sys);
    say(`${c} findings in ${args.arch}/: ${lines.length}`);
    for (const l of lines.slice(0, 60)) say(`  ${l}`);
  }

  // rewrite, guarded, on the arch tree.
  const rw = await timed(() => rewriteTree({ root: path.join(sys, args.arch), rules: path.join(PROJECT_ROOT, 'rules'), mode: 'hypercall', guard, arch: args.arch, scope: { arch: args.arch }, out: path.join(work, 'rewrite') }));
  say(rw.value
    ? `rewrite: exit 0, ${rw.value.edits.length} edits in ${rw.value.changedFiles.length} files, ${rw.value.notes.length} notes, ${rw.seconds.toFixed(1)} s, ${rw.peakMb} MB`
    : `rewrite: FAILED (${rw.error})`);

  // xenify: the pipeline of the sample kernel, on this tree, guarded.
  const pipeFile = path.join(work, 'xenoport.pipeline.yaml');
  const sample = readFileSync(path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'), 'utf8');
  const stages = sample.slice(sample.indexOf('stages:'));
  writeFileSync(pipeFile, `version: 1\nsource: ${sys}\noutput: ${path.join(work, 'xeno', 'sys')}\ncache: ${path.join(work, 'cache')}\narch: ${args.arch}\nrules: ${path.join(PROJECT_ROOT, 'rules')}\nmode: hypercall\nguard: ${guard}\nscan: [${scope.join(', ')}]\n${stages}`);
  const config = parsePipeline(pipeFile, readFileSync(pipeFile, 'utf8'));
  const xf = await timed(() => runPipeline(config, { scan: defaultScan, force: true }));
  if (!xf.value) {
    say(`xenify: FAILED (${xf.error})`);
    process.exitCode = 1;
    return;
  }
  const manifest = readManifest(config.output);
  const changed = Object.entries(manifest?.files ?? {})
    .filter(([f, m]) => /\.(c|s|S)$/.test(f) && (m.edits.length > 0 || m.generatedBy !== undefined))
    .map(([f, m]) => ({ f, from: m.source, generated: m.generatedBy !== undefined }));
  const notes = xf.value.stages.reduce((n, st) => n + st.notes.length, 0);
  say(`xenify: exit 0, ${xf.value.edits} edits, ${changed.length} C/asm files changed or generated, ${notes} notes, ${xf.seconds.toFixed(1)} s, ${xf.peakMb} MB`);
  for (const st of xf.value.stages) say(`  ${st.name}: ${st.summary}`);

  // Compile every changed file: the original natively, the result natively and with -DXEN.
  const target = config.target;
  const orig = await prepare(sys, args.arch, path.join(work, 'cc-orig'), changed.filter((c) => c.from).map((c) => path.join(sys, c.from!)));
  const out = await prepare(config.output, target, path.join(work, 'cc-out'), changed.map((c) => path.join(config.output, c.f)));
  const before = await compileAll(orig, changed.map((c) => (c.from ? path.join(sys, c.from) : '')).filter((x) => x), []);
  const okBefore = new Set(before.filter((r) => r.ok).map((r) => r.file));
  const files = changed.map((c) => path.join(config.output, c.f));
  const native = await compileAll(out, files, ['-UXEN']);
  // The Xen kernel's configuration: the guard, and XENOPORT_XEN, which the generated
  // Makefile.<target> and kernel config add (the Xen clock and console code).
  const xen = await compileAll(out, files, [...new Set([`-D${guard}`, '-DXENOPORT_XEN'])]);
  let both = 0;
  const harness: string[] = [];
  const broken: string[] = [];
  const errorBefore = new Map(before.map((r) => [r.file, r.error]));
  changed.forEach((c, i) => {
    const baseOk = c.generated || okBefore.has(path.join(sys, c.from!));
    if (native[i].ok && xen[i].ok) both++;
    else if (!baseOk) harness.push(`${c.from}: ${errorBefore.get(path.join(sys, c.from!))}`);
    else broken.push(`${c.f}: ${native[i].ok ? '' : `native: ${native[i].error} `}${xen[i].ok ? '' : `xen: ${xen[i].error}`}`);
  });
  say(`compile (gcc -m32 -c): ${changed.length} files; ${both} compile natively and with -D${guard}${guard === 'XENOPORT_XEN' ? '' : ' -DXENOPORT_XEN'}; ${harness.length} whose original does not compile here either; ${broken.length} broken by the port`);
  for (const h of harness.slice(0, 40)) say(`  harness: ${h}`);
  for (const b of broken.slice(0, 40)) say(`  ${b}`);
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  if (args.speed) for (const l of await speedAgainstAstGrep(sys, args.arch)) say(l);
}

main().catch((err: unknown) => {
  process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
