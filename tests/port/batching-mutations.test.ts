// Seed step 15's mutation tests: each flush point of the batched i386-xeno tree is
// removed in turn from a copy of the generated tree, and the copy is built and booted
// (with the root image as the boot module) under the race detector, once with the
// hypervisor's TLB flushed on every table change and once with a lazy TLB. Every mutant must
// be caught: by a race report (the detector) or by a boot whose console or outcome
// differs from the unmutated one (the boot's result). Which of the two caught each one
// is listed in docs/batching.md; the table below says which we expect.
// One mutant runs by default (seconds of compile and boot each); XENOPORT_BATCH_MUTATIONS=1
// runs them all, XENOPORT_BATCH_MUTANT=a|b those whose names contain a or b.
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootXenKernel, comparableConsole, unitCacheAt } from '../../src/port/index.js';
import { defaultScan, loadPipeline, runPipeline } from '../../src/rewrite/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-mut-'));
const clean = path.join(work, 'clean', 'sys');
const ALL = process.env.XENOPORT_BATCH_MUTATIONS === '1';
/** Runs the mutants whose names contain this text instead of the default one. */
const ONLY = process.env.XENOPORT_BATCH_MUTANT;
let module: Uint8Array;
let cleanConsole = '';
let cleanCounts: Record<string, number> = {};
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (results.length) process.stdout.write(`batching mutants:\n${results.join('\n')}\n`);
});

interface Mutant {
  name: string;
  /** Under sys/i386-xeno. */
  file: string;
  mutate: (text: string) => string;
  /** Who is expected to catch it: 'either' until a full run has said. */
  by: 'detector' | 'boot' | 'both' | 'either' | 'redundant' | 'absorbed';
}

/** Replaces `from` (which must occur) in a file's text. */
function drop(from: string | RegExp, to = ''): (t: string) => string {
  return (t) => {
    const out = t.replace(from, to);
    if (out === t) throw new Error(`mutation did not apply: ${String(from)}`);
    return out;
  };
}

/** Removes the release points of one function of a generated C file. */
function releasePoints(fn: string): (t: string) => string {
  return (t) => {
    const start = t.search(new RegExp(`^${fn}\\(`, 'm'));
    const end = t.indexOf('\n}\n', start) + 1;
    if (start < 0 || end < 1) throw new Error(`no function ${fn}`);
    const body = t.slice(start, end).replace(/\{ xen_mmu_flush\(\); (return\b[^;]*;) \}/g, '$1').replace(/^\txen_mmu_flush\(\);\t\/\* xenoport step 15: release point \*\/\n/m, '');
    if (body === t.slice(start, end)) throw new Error(`${fn} has no release point`);
    return t.slice(0, start) + body + t.slice(end);
  };
}

const H = 'include/xen/hypervisor.h';
const C = 'i386/xen_hypervisor.c';
/** Functions the rewrite gives release points (a flush where they return), by file. */
const RELEASE_POINTS: Record<string, string[]> = {
  'i386/machdep.c': ['getmemsize'],
  'i386/pmap.c': ['pmap_bootstrap', 'pmap_set_opt', 'get_ptbase', 'pmap_kenter', 'pmap_kremove', 'pmap_qenter', 'pmap_qremove', 'pmap_zero_page', 'pmap_copy_page', 'pmap_pinit', 'pmap_release', 'pmap_allocpte', 'pmap_enter', 'pmap_remove_pte', 'pmap_remove', 'pmap_copy', 'pmap_protect', 'pmap_clear_modify', 'pmap_growkernel', 'pmap_lapic_map'],
  'i386/trap.c': ['trap_pfault'],
  'i386/vm_machdep.c': ['cpu_selftest_switch', 'vmapbuf_pages', 'vunmapbuf_pages', 'cpu_reset'],
};
/*
 * Mutants marked 'absorbed': nothing catches them on this boot and they change its
 * hypercalls, because the next flush point of the same critical section (a release
 * point, or the flush that follows in the queue's order) sends the update before
 * anything uses it, and the TLB is flushed anyway when a table is pinned or a base
 * pointer loaded. They must still boot as the unmutated tree does (docs/batching.md).
 */
const MUTANTS: Mutant[] = [
  ...Object.entries(RELEASE_POINTS).flatMap(([file, fns]) => fns.map((fn) => ({ name: `${fn} release point`, file, mutate: releasePoints(fn), by: 'either' }) as Mutant)),
  { name: 'invlpg only queues its invalidation', file: H, mutate: drop('\txen_invlpg_flush_(va);', '\txen_mmu_queue((va & ~3U) | MMU_EXTENDED_COMMAND, MMUEXT_INVLPG);'), by: 'either' },
  { name: 'invltlb only queues its flush', file: H, mutate: drop(/(MMUEXT_TLB_FLUSH\);\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'absorbed' },
  { name: 'load_cr3 only queues the new base pointer', file: H, mutate: drop(/(MMUEXT_NEW_BASEPTR\);\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'either' },
  // No process runs in user mode before the root mount: nothing takes the ring-1 stack
  // that stack_switch names, and the next flush sends the queued base pointer before
  // the new address space's user half is used. Boot + the suite is what uses them.
  { name: 'switch: the multicall never sent', file: 'i386/swtch.s', mutate: drop(/^\tpushfl; pushal; call xen_mcl_flush; popal; popfl #[^\n]*\n/m), by: 'absorbed' },
  { name: 'switch: stack_switch left out of the multicall', file: C, mutate: drop(/\txen_mcl_queue\(__HYPERVISOR_stack_switch, ss, [^;]*\);\n/), by: 'absorbed' },
  { name: 'invltlb of one queued entry without UVMF_FLUSH_TLB', file: C, mutate: drop('xen_mmu_queue_buf[0].val, UVMF_FLUSH_TLB)', 'xen_mmu_queue_buf[0].val, 0)'), by: 'either' },
  // Before the root mount only pmap_selftest copies a page, and its stale CMAP2 view
  // goes unnoticed; boot + the suite with a lazy TLB is what shows it (docs/batching.md).
  { name: 'invlpg leaves the other queued windows valid but fresh', file: C, mutate: drop(/\t\txen_mmu_queue_invlpg\(v\);\n/), by: 'absorbed' },
  { name: 'netfront gives a page away without a flush', file: '../dev/xen/netfront/netfront.c', mutate: drop(/(gives their frames back\.\n\t \*\/\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'redundant' },
  { name: 'update_va_mapping of a descriptor page without a flush', file: C, mutate: drop(/(overtake queued updates\. \*\/\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'either' },
  { name: 'set_gdt without a flush', file: C, mutate: drop(/(xen_gdt_base = r->base;\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'either' },
  { name: 'block (xen_halt) without a flush', file: H, mutate: drop(/(while the domain sleeps\. \*\/\n)\txen_mmu_flush\(\);\n/, '$1'), by: 'either' },
  { name: 'sti without a flush', file: H, mutate: drop(/\tif \(xen_mmu_queue_idx != 0\)\n\t\txen_mmu_flush\(\);\n/), by: 'either' },
  { name: 'invlpg flushes but never invalidates', file: H, mutate: drop('\txen_invlpg_flush_(va);', '\txen_mmu_flush();'), by: 'absorbed' },
  { name: 'invltlb flushes but never invalidates', file: H, mutate: drop(/\txen_mmu_queue\(MMU_EXTENDED_COMMAND, MMUEXT_TLB_FLUSH\);\n/), by: 'absorbed' },
  { name: 'queue written with events on', file: C, mutate: drop(/(xen_mmu_queue_pte\(unsigned long ptr, unsigned long val, unsigned long va\)\n\{\n\txen_u8 m;\n\n)\tm = xen_events_save\(\);/, '$1\tm = HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask;'), by: 'either' },
];
/** What each mutant's run showed, printed at the end (the table of docs/batching.md). */
const results: string[] = [];

beforeAll(async () => {
  await execa('make', ['-s', '-C', kernel, 'root']);
  module = readFileSync(path.join(kernel, 'build/i386/root.img'));
  const config = loadPipeline(path.join(root, 'xenoport.pipeline.yaml'));
  config.output = clean;
  await runPipeline(config, { mode: 'hypercall', scan: defaultScan, pteUpdates: 'batched' });
  const r = await boot(clean);
  expect(r.races, r.races.join('\n')).toEqual([]);
  expect(r.ok, r.console).toBe(true);
  cleanConsole = r.console;
  cleanCounts = r.counts;
  const lazy = await boot(clean, true);
  expect(lazy.races, lazy.races.join('\n')).toEqual([]);
  expect(lazy.console).toBe(cleanConsole);
  expect(lazy.counts).toEqual(cleanCounts);
}, 600_000);

async function boot(sysDir: string, lazyTlb = false): Promise<{ ok: boolean; races: string[]; console: string; counts: Record<string, number> }> {
  const { build, run } = await bootXenKernel({ sysDir, configFrom: kernel, raceDetect: true, lazyTlb, module, memoryMB: 32, maxSteps: 2e9, cache: unitCacheAt(path.join(work, 'cache')) });
  if (!run) return { ok: false, races: [], console: build.errors.join('\n'), counts: {} };
  return { ok: run.outcome === 'halted' && !run.report, races: run.platform.race?.format() ?? [], console: comparableConsole(run.console), counts: { ...run.counts, 'mmu_update requests': run.platform.mmuStats.requests } };
}

describe('every flush point of the batched tree is needed', () => {
  for (const [i, m] of MUTANTS.entries()) {
    it.runIf(ALL || (ONLY ? ONLY.split('|').some((o) => m.name.includes(o)) : m.name === 'pmap_enter release point'))(`${m.name}: caught by the ${m.by}`, async () => {
      const dir = path.join(work, `m${i}`, 'sys');
      // The generated tree is a symlink to its last atomic write: copy what it points at.
      cpSync(clean, dir, { recursive: true, dereference: true });
      const file = path.join(dir, 'i386-xeno', m.file);
      writeFileSync(file, m.mutate(readFileSync(file, 'latin1')), 'latin1');
      // Booted twice: with the hypervisor's TLB flushed on every table change (the
      // detector sees stale translations), and with a lazy TLB (the run itself uses them).
      const eager = await boot(dir, false);
      const lazy = await boot(dir, true);
      const r = eager.races.length ? eager : lazy;
      const detector = eager.races.length + lazy.races.length > 0;
      const bootCaught = [eager, lazy].some((x) => !x.ok || x.console !== cleanConsole);
      // A mutant nothing catches is equivalent on this boot when its hypercalls are the
      // unmutated boot's, kind for kind, with as many mmu_update requests: the removed
      // flush point only ever met an empty queue (the function's last page-table
      // operation had flushed already).
      const same = [eager, lazy].every((x) => JSON.stringify(x.counts) === JSON.stringify(cleanCounts));
      const who = detector && bootCaught ? 'both' : detector ? 'detector' : bootCaught ? 'boot' : same ? 'redundant' : 'none';
      results.push(`| ${m.name} | ${m.file} | ${who} | ${r.races[0]?.replace(/\S*?\/\.sys\.[0-9a-f]+\//g, '').slice(0, 200) ?? ''} |`);
      if (m.by === 'either') expect(who, 'caught by neither the detector nor the boot, and the boot differs in its hypercalls').not.toBe('none');
      else if (m.by === 'absorbed') expect(who, 'an absorbed mutant is now caught: move it out of ABSORBED').toBe('none');
      else expect(m.by === 'both' ? [who] : [who, 'both']).toContain(m.by);
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }, 600_000);
  }
  it('names a flush point for every function the rewrite gave one', () => {
    const fns = new Set<string>();
    for (const f of readdirSync(path.join(clean, 'i386-xeno', 'i386')).filter((f) => f.endsWith('.c'))) {
      const t = readFileSync(path.join(clean, 'i386-xeno', 'i386', f), 'latin1');
      for (const m of t.matchAll(/xenoport step 15: release point/g)) {
        const def = [...t.slice(0, m.index).matchAll(/^([a-z_]\w*)\(/gm)].pop();
        if (def) fns.add(def[1]!);
      }
    }
    expect(fns.size).toBeGreaterThan(10);
    expect(fns).toContain('pmap_enter');
  });
});
