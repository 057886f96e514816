/*
 * Hypervisor figures for `npm run bench` (the lead wires runHypervisorBench into
 * bench/main.ts as a section named "hypervisor"):
 *  - hypercall throughput of a guest that does nothing else (xen_version in a loop),
 *    and of mmu_update batches that map and unmap a page (validator work);
 *  - the fuzzer's rate with the invariant check after every call;
 *  - hypercalls per boot, by kind, when a kernel image is given (the i386-xeno
 *    sample kernel, once it compiles: pass bootXen's result counts).
 * `node dist/bench/hypervisor.js` runs it alone; `node dist/bench/hypervisor.js fuzz
 * [calls]` runs only the fuzzer (what `npm run fuzz` can call).
 */
import { link } from '../src/ir/index.js';
import { parseModule, verifyModule } from '../src/ir/index.js';
import { formatCounts } from '../src/port/index.js';
import { runHypercallFuzz, runXenImage } from '../src/hypervisor/index.js';

const LOOP = (n: number, body: string): string => `
file 1 "bench.c"
data $buf export align 4096 { z 4096 }
func export $btext() {
@entry
	%i =w copy 0 !1:1
	jmp @loop !1:1
@loop
${body}
	%i =w add %i, 1 !1:3
	%c =w csltw %i, ${n} !1:3
	jnz %c, @loop, @done !1:3
@done
	wrreg eax, 6 !1:4
	wrreg ebx, 2 !1:4
	hypercall !1:4
	ret !1:5
}`;

export interface HypervisorBench {
  name: string;
  hypercalls: number;
  seconds: number;
  perSecond: number;
}

function timeGuest(name: string, text: string): HypervisorBench {
  const img = link([verifyModule(parseModule(text, 'bench.xir'))], { kind: 'kernel' });
  const t0 = performance.now();
  const r = runXenImage(img, { memoryMB: 8, maxSteps: 1e9 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.outcome !== 'shutdown') throw new Error(`${name}: ${r.reportText ?? r.outcome}`);
  return { name, hypercalls: r.hypercalls, seconds, perSecond: r.hypercalls / seconds };
}

/** Throughput figures; `fuzzCalls` hypercalls of fuzzing with the invariant check on every call. */
export function runHypervisorBench(fuzzCalls = 20_000): HypervisorBench[] {
  const out: HypervisorBench[] = [];
  out.push(timeGuest('xen_version loop', LOOP(200_000, '\twrreg eax, 17 !1:2\n\thypercall !1:2')));
  // update_va_mapping of $buf's page: read-only, then writable again (two validated L1 updates).
  out.push(
    timeGuest(
      'update_va_mapping RO/RW',
      LOOP(
        25_000,
        `	%pn =w shr $buf, 12 !1:2
	%off =w shl %pn, 2 !1:2
	%pva =w add %off, 3217031168 !1:2
	%pte =w loadw %pva !1:2
	%ro =w and %pte, -3 !1:2
	wrreg eax, 14 !1:2
	wrreg ebx, %pn !1:2
	wrreg ecx, %ro !1:2
	wrreg edx, 2 !1:2
	hypercall !1:2
	wrreg eax, 14 !1:2
	wrreg ebx, %pn !1:2
	wrreg ecx, %pte !1:2
	wrreg edx, 2 !1:2
	hypercall !1:2`,
      ),
    ),
  );
  const f = runHypercallFuzz({ calls: fuzzCalls, seed: 42 });
  if (f.violations.length || f.hostError) throw new Error(`fuzz: ${f.violations[0] ?? f.hostError}`);
  out.push({ name: 'fuzz + invariants', hypercalls: f.calls, seconds: f.seconds, perSecond: f.calls / f.seconds });
  return out;
}

export function formatHypervisorBench(rs: HypervisorBench[], bootCounts?: Record<string, number>): string[] {
  const lines = rs.map((r) => `${r.name.padEnd(26)} ${String(r.hypercalls).padStart(8)} hypercalls ${r.seconds.toFixed(2).padStart(7)} s ${(r.perSecond / 1000).toFixed(1).padStart(8)} k/s`);
  if (bootCounts) lines.push('hypercalls per boot:', formatCounts(bootCounts));
  return lines;
}

const self = process.argv[1] ?? '';
if (self.endsWith('bench/hypervisor.js')) {
  const args = process.argv.slice(2);
  if (args[0] === 'fuzz') {
    const n = Number(args[1] ?? 1_000_000);
    const r = runHypercallFuzz({ calls: n, seed: Number(process.env.XENOPORT_FUZZ_SEED ?? 0x5eed) });
    process.stdout.write(`fuzz: ${r.calls} hypercalls in ${r.seconds.toFixed(1)} s; results ${JSON.stringify(r.results)}; ${r.mmuRefusals} validator refusals\n`);
    if (r.violations.length || r.hostError) {
      process.stdout.write(`VIOLATION after ${r.culprit}:\n${r.violations.join('\n')}${r.hostError ?? ''}\n`);
      process.exitCode = 1;
    }
  } else for (const l of formatHypervisorBench(runHypervisorBench())) process.stdout.write(`${l}\n`);
}
