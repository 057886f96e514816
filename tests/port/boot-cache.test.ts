// A boot as data (recordBoot: the console, the report, the counts and every event with
// its guest step) and the port loop's build and boot caches: a record read back is the
// record written, under another tree root; keys change with whatever the boot depends
// on; a damaged entry is a miss.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PortCache, recordBoot } from '../../src/port/index.js';
import { imageKey, treeHash } from '../../src/port/boot-cache.js';
import { kernelOf } from '../hypervisor/xen-helpers.js';

const work = mkdtempSync(path.join(tmpdir(), 'xeno-boot-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes "hi\n" `n` times through console_io, then stops at a breakpoint stub. */
function kernel(n: number) {
  const writes = Array.from({ length: n }, () => '\twrreg eax, 18 !1:3\n\twrreg ebx, 0 !1:3\n\twrreg ecx, 3 !1:3\n\twrreg edx, $m !1:3\n\thypercall !1:3').join('\n');
  return kernelOf(`
file 1 "tree/i386-xeno/i386/machdep.c"
data $m { b "hi\\012" }
func export $btext() {
@entry
${writes}
\ttrap "cli-sti sys/i386/i386/machdep.c:9" !1:9
\tret !1:10
}`);
}

describe('recordBoot', () => {
  it('keeps every hypercall as an event at a rising guest step, and the stop as the last', () => {
    const r = recordBoot(kernel(5), { memoryMB: 8, maxSteps: 1e6 });
    expect(r.console).toBe('hi\n'.repeat(5));
    expect(r.report?.kind).toBe('breakpoint-stub');
    const hc = r.events.kinds.filter((k) => k === 'hypercall').length;
    expect(hc).toBe(r.hypercalls);
    expect(r.counts.console_io).toBe(5);
    for (let i = 1; i < r.events.steps.length; i++) expect(r.events.steps[i]).toBeGreaterThanOrEqual(r.events.steps[i - 1]!);
    // The same five instructions (and the hypercall's charge) between two writes: evenly spaced.
    const calls = r.events.steps.filter((_, i) => r.events.kinds[i] === 'hypercall');
    const gaps = calls.slice(1).map((s, i) => s - calls[i]!);
    expect(new Set(gaps).size).toBe(1);
    expect(gaps[0]).toBeGreaterThanOrEqual(5);
    expect(r.events.kinds.at(-1)).toBe('exit');
    expect(r.events.names[r.events.nameIds.at(-1)!]).toBe('breakpoint-stub');
    expect(r.events.steps.at(-1)).toBeLessThanOrEqual(r.steps);
  });
});

describe('the port cache', () => {
  const cache = new PortCache(path.join(work, 'cache'));
  const opts = { memoryMB: 8, maxSteps: 1e6 };

  it('reads back the record it wrote, with the current tree root in its paths', () => {
    const r = recordBoot(kernel(2), opts);
    const withPath = { ...r, reportText: `${r.reportText}\n  generated: build/port/.sys.aaa/i386-xeno/i386/machdep.c:9` };
    const key = cache.bootKey(imageKey(kernel(2), 'build/port/.sys.aaa'), opts, 'm')!;
    cache.writeBoot(key, withPath, 'build/port/.sys.aaa');
    const back = cache.readBoot(key, 'build/port/.sys.bbb')!;
    expect(back.cached).toBe(true);
    expect(back.console).toBe(r.console);
    expect(back.events).toEqual(r.events);
    expect(back.reportText).toContain('generated: build/port/.sys.bbb/i386-xeno/i386/machdep.c:9');
  });

  it('keys a boot by the image, the options, the module bytes and the source map; a traced boot is not cached', () => {
    const k = (img: number, o: object, m = 'm') => cache.bootKey(imageKey(kernel(img), 'r'), { ...opts, ...o }, m);
    const base = k(2, {});
    expect(k(2, {})).toBe(base);
    expect(k(3, {})).not.toBe(base);
    expect(k(2, { memoryMB: 16 })).not.toBe(base);
    expect(k(2, { module: new Uint8Array([1]) })).not.toBe(k(2, { module: new Uint8Array([2]) }));
    expect(k(2, {}, 'other manifest')).not.toBe(base);
    expect(k(2, { debug: true })).toBeUndefined();
  });

  it('keys a tree by every file but the manifest', () => {
    const t = path.join(work, 'tree');
    mkdirSync(path.join(t, 'i386'), { recursive: true });
    writeFileSync(path.join(t, 'i386', 'a.c'), 'int a;\n');
    writeFileSync(path.join(t, '.xenoport-manifest.json'), '{"mtimeMs": 1}');
    const skip = (r: string) => r === '.xenoport-manifest.json';
    const h1 = treeHash(t, skip);
    writeFileSync(path.join(t, '.xenoport-manifest.json'), '{"mtimeMs": 2}');
    expect(treeHash(t, skip)).toBe(h1);
    writeFileSync(path.join(t, 'i386', 'b.h'), '');
    expect(treeHash(t, skip)).not.toBe(h1);
  });

  it('misses on a damaged entry', () => {
    const r = recordBoot(kernel(1), opts);
    const key = cache.bootKey(imageKey(kernel(1), 'r'), opts, 'm')!;
    cache.writeBoot(key, r, 'r');
    const dir = path.join(work, 'cache', 'port-boot');
    const f = readdirSync(dir).find((x) => x.startsWith(key))!;
    writeFileSync(path.join(dir, f), 'xenoport-cache port-boot 1 00\n"{}"');
    expect(cache.readBoot(key, 'r')).toBeUndefined();
  });
});
