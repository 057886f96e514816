// --trace-json: a boot's events in the Chrome trace-event format. The file is checked
// against the format's rules (the JSON Object Format of the Trace Event Format
// document: traceEvents; each event's name, ph, pid, tid, ts in microseconds; dur for
// complete events; the scope of instant events; the metadata events' names and args),
// strictly, and against the boot it came from: one instant per hypercall, by name.
// Then an independent reader loads it: the trace engine of Chrome DevTools' performance
// panel (@paulirish/trace_engine, the same code DevTools runs on a trace file).
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as DevTools from '@paulirish/trace_engine';
import { afterAll, describe, expect, it } from 'vitest';
import { recordBoot } from '../../src/port/index.js';
import { writeTrace, type TraceBoot } from '../../src/report/index.js';
import { kernelOf } from '../hypervisor/xen-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-trace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'O', 'N', 'D', 'M', 'R', 'c']);
const METADATA: Record<string, string> = { process_name: 'name', process_labels: 'labels', process_sort_index: 'sort_index', thread_name: 'name', thread_sort_index: 'sort_index' };

/** Every rule of the format this file could break; the list of violations. */
function violations(text: string): string[] {
  const out: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [`not JSON: ${e}`];
  }
  const d = doc as Record<string, unknown>;
  if (typeof d !== 'object' || d === null || !Array.isArray(d.traceEvents)) return ['no traceEvents array'];
  if (d.displayTimeUnit !== undefined && d.displayTimeUnit !== 'ms' && d.displayTimeUnit !== 'ns') out.push(`displayTimeUnit ${String(d.displayTimeUnit)}`);
  if (d.otherData !== undefined && (typeof d.otherData !== 'object' || d.otherData === null)) out.push('otherData is not an object');
  (d.traceEvents as Record<string, unknown>[]).forEach((e, i) => {
    const bad = (what: string): number => out.push(`event ${i}: ${what}`);
    if (typeof e.name !== 'string') bad('name is not a string');
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) bad(`unknown ph ${String(e.ph)}`);
    for (const k of ['pid', 'tid']) if (!Number.isInteger(e[k])) bad(`${k} is not an integer`);
    if (e.cat !== undefined && typeof e.cat !== 'string') bad('cat is not a string');
    if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null || Array.isArray(e.args))) bad('args is not an object');
    if (e.ph === 'M') {
      const key = METADATA[e.name as string];
      if (!key) bad(`unknown metadata event ${String(e.name)}`);
      else if ((e.args as Record<string, unknown> | undefined)?.[key] === undefined) bad(`metadata ${String(e.name)} without args.${key}`);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) bad('ts is not a time in microseconds');
    if (e.ph === 'X' && (typeof e.dur !== 'number' || e.dur < 0)) bad('complete event without dur');
    if ((e.ph === 'i' || e.ph === 'I') && e.s !== undefined && !['g', 'p', 't'].includes(e.s as string)) bad(`instant scope ${String(e.s)}`);
  });
  return out;
}

function kernel() {
  return kernelOf(`
file 1 "sys/i386-xeno/i386/machdep.c"
data $m { b "hi\\012" }
func export $btext() {
@entry
${'\twrreg eax, 18 !1:3\n\twrreg ebx, 0 !1:3\n\twrreg ecx, 3 !1:3\n\twrreg edx, $m !1:3\n\thypercall !1:3\n'.repeat(4)}
\twrreg eax, 17 !1:4
\thypercall !1:4
\ttrap "cli sys/i386/i386/machdep.c:9" !1:9
\tret !1:10
}`);
}

describe('the Chrome trace-event file', () => {
  it('follows the format and holds every hypercall of the boot, at rising times', () => {
    const r = recordBoot(kernel(), { memoryMB: 8, maxSteps: 1e6 });
    const boots: TraceBoot[] = [{ name: 'boot 1', ...r.events, total: r.steps }, { name: 'boot 2', ...r.events, total: r.steps }];
    const file = path.join(work, 'trace.json');
    writeTrace(file, boots);
    const text = readFileSync(file, 'utf8');
    expect(violations(text)).toEqual([]);
    const events = (JSON.parse(text) as { traceEvents: { name: string; ph: string; pid: number; cat?: string; ts?: number; dur?: number }[] }).traceEvents;
    const mine = events.filter((e) => e.pid === 1);
    const calls = mine.filter((e) => e.cat === 'hypercall');
    const byName: Record<string, number> = {};
    for (const c of calls) byName[c.name] = (byName[c.name] ?? 0) + 1;
    expect(byName).toEqual(r.counts);
    expect(calls.length).toBe(r.hypercalls);
    const ts = mine.filter((e) => e.ph === 'i').map((e) => e.ts!);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    const whole = mine.find((e) => e.ph === 'X')!;
    expect(whole.dur).toBeGreaterThanOrEqual(ts.at(-1)!);
    expect(mine.filter((e) => e.cat === 'exit').map((e) => e.name)).toEqual(['breakpoint-stub']);
    expect(events.filter((e) => e.name === 'process_name').length).toBe(2);
  });

  it('loads in Chrome DevTools\' trace engine, which keeps every event, names every thread and sees the boot\'s span', async () => {
    const r = recordBoot(kernel(), { memoryMB: 8, maxSteps: 1e6 });
    const file = path.join(work, 'devtools.json');
    writeTrace(file, [{ name: 'boot 1', ...r.events, total: r.steps }]);
    const written = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: { name: string; ph: string; tid: number; cat?: string; ts?: number; dur?: number; args?: { name?: string } }[] }).traceEvents;
    const model = DevTools.TraceModel.Model.createWithAllHandlers();
    await model.parse(written as unknown as DevTools.Types.Events.Event[]);
    const parsed = model.parsedTrace()!;
    expect(parsed.traceEvents.length).toBe(written.length);
    const read = parsed.traceEvents.filter((e) => e.cat === 'hypercall');
    expect(read.length).toBe(r.hypercalls);
    // Thread names come from the metadata events, as the engine reads them.
    const threads = parsed.data.Meta.threadsInProcess.get(1 as DevTools.Types.Events.ProcessID)!;
    const names = [...threads.values()].map((e) => (e.args as { name?: string }).name);
    expect(names).toEqual(written.filter((e) => e.name === 'thread_name').map((e) => e.args!.name));
    // The whole boot is a complete event on the guest's thread, with the span written.
    const whole = written.find((e) => e.ph === 'X')!;
    const entries = [...parsed.data.Renderer.processes.get(1 as DevTools.Types.Events.ProcessID)!.threads.values()].flatMap((t) => t.entries);
    expect(entries.map((e) => [e.name, e.ts, e.dur])).toEqual([[whole.name, whole.ts, whole.dur]]);
  });

  it('finds what the checker is for: a broken file is reported', () => {
    expect(violations('{"traceEvents":[{"name":"x","ph":"X","pid":1,"tid":1,"ts":-1}]}')).toEqual(['event 0: ts is not a time in microseconds', 'event 0: complete event without dur']);
    expect(violations('[]')).toEqual(['no traceEvents array']);
  });

  it('is refused with --native, where there is no hypervisor to record', async () => {
    const r = await execa('node', [path.join(root, 'dist/src/cli/main.js'), 'boot', '--native', '--trace-json', path.join(work, 'x.json')], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toContain('--trace-json records the hypervisor');
    expect(String(r.stderr)).not.toMatch(/\n\s+at /);
  });
});
