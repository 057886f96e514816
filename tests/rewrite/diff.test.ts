/*
 * Edits and diffs: overlap errors name both rules, untouched bytes survive
 * (Latin-1, CRLF, comments), duplicate and already-applied edits are no-ops, and
 * every generated diff is accepted by the real `git apply --check` and
 * `patch -p1 --dry-run`, and patch reproduces the rewritten bytes exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { applyEdits, planEdits } from '../../src/rewrite/apply.js';
import { unifiedDiff, unifiedDiffs } from '../../src/rewrite/diff.js';
import type { Edit } from '../../src/rewrite/types.js';
import { RewriteError } from '../../src/errors.js';

function edit(start: number, end: number, replacement: string, ruleId = 'r', file = 'f.c'): Edit {
  return { file, startByte: start, endByte: end, replacement, ruleId, kind: 'hypercall', where: `${file}:1` };
}

async function checkWithTools(files: Parameters<typeof unifiedDiffs>[0]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-diff-'));
  for (const f of files) {
    if (f.before === null) continue;
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.before);
  }
  const patch = Buffer.from(unifiedDiffs(files), 'latin1');
  writeFileSync(path.join(dir, '..', `${path.basename(dir)}.patch`), patch);
  const patchFile = path.join(dir, '..', `${path.basename(dir)}.patch`);
  await execa('git', ['apply', '--check', patchFile], { cwd: dir });
  await execa('patch', ['-p1', '--dry-run', '-i', patchFile], { cwd: dir });
  await execa('patch', ['-p1', '-s', '-i', patchFile], { cwd: dir });
  for (const f of files) {
    if (f.after === null) continue;
    expect(readFileSync(path.join(dir, f.path)).equals(f.after)).toBe(true);
  }
}

describe('planEdits / applyEdits', () => {
  it('applies edits against original bytes, keeping everything else', () => {
    const before = Buffer.from('int x;\r\n/* caf\xe9 */\tcli();\r\nhlt();\n', 'latin1');
    const s1 = before.indexOf('cli()');
    const s2 = before.indexOf('hlt()');
    const r = applyEdits('f.c', before, [edit(s2, s2 + 5, 'xen_halt()', 'cpu-hlt'), edit(s1, s1 + 5, 'xen_cli()', 'cpu-cli')]);
    expect(r.after.toString('latin1')).toBe('int x;\r\n/* caf\xe9 */\txen_cli();\r\nxen_halt();\n');
    expect(r.applied.map((e) => e.ruleId)).toEqual(['cpu-cli', 'cpu-hlt']);
  });

  it('keeps the first of two overlapping edits and skips the other with a note naming both rules, never aborting', () => {
    const edits = [edit(10, 20, 'a', 'rule-one'), edit(15, 25, 'b', 'rule-two')];
    expect(planEdits(edits).map((e) => e.ruleId)).toEqual(['rule-one']);
    const r = applyEdits('f.c', Buffer.from('x'.repeat(30)), edits);
    expect(r.applied.map((e) => e.ruleId)).toEqual(['rule-one']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatch(/rule-two.*overlaps.*rule-one/);
    expect(planEdits([edit(5, 5, 'x', 'ins-a'), edit(5, 5, 'y', 'ins-b')]).map((e) => e.ruleId)).toEqual(['ins-a']);
  });

  it('collapses identical edits and adjacent ranges are fine', () => {
    expect(planEdits([edit(1, 3, 'z'), edit(1, 3, 'z'), edit(3, 4, 'q')])).toHaveLength(2);
  });

  it('recognises an already-applied edit', () => {
    const r = applyEdits('f.c', Buffer.from('xen_cli();'), [edit(0, 9, 'xen_cli()')]);
    expect(r.applied).toHaveLength(0);
    expect(r.alreadyApplied).toHaveLength(1);
    expect(r.after.toString()).toBe('xen_cli();');
  });
});

describe('unified diff', () => {
  it('is empty for identical files', () => {
    expect(unifiedDiff({ path: 'a', before: Buffer.from('x\n'), after: Buffer.from('x\n') })).toBe('');
  });

  it('handles a created file, no trailing newline, CRLF and Latin-1', async () => {
    await checkWithTools([
      { path: 'sys/i386-xeno/include/xen/hypervisor.h', before: null, after: Buffer.from('#define A 1\n') },
      { path: 'sys/i386/a.c', before: Buffer.from('a\r\nb\r\nc'), after: Buffer.from('a\r\nB\r\nc') },
      { path: 'sys/i386/b.c', before: Buffer.from('caf\xe9\n1\n2\n3\n4\n5\n6\n7\n8\n9\n', 'latin1'), after: Buffer.from('caf\xe9 2\n1\n2\n3\n4\n5\n6\n7\n8\n9\nend', 'latin1') },
    ]);
  });

  it('property: random edits give diffs that git and patch accept and reproduce', async () => {
    const line = fc.stringMatching(/^[a-z \t();*\/]{0,12}$/);
    const arb = fc.record({
      lines: fc.array(line, { minLength: 0, maxLength: 40 }),
      trailingNewline: fc.boolean(),
      ops: fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.array(line, { maxLength: 3 })), { maxLength: 6 }),
    });
    const samples = fc.sample(arb, { numRuns: 25, seed: 42 });
    const files = samples.map((s, i) => {
      const beforeLines = s.lines.map((l) => `${l}\n`);
      let afterLines = [...beforeLines];
      for (const [at, del, ins] of s.ops) {
        const p = afterLines.length ? at % (afterLines.length + 1) : 0;
        afterLines.splice(p, del, ...ins.map((l) => `${l}\n`));
      }
      const trim = (arr: string[]) => {
        const t = arr.join('');
        return s.trailingNewline || !t.endsWith('\n') ? t : t.slice(0, -1);
      };
      return { path: `d/f${i}.c`, before: Buffer.from(trim(beforeLines)), after: Buffer.from(trim(afterLines)) };
    });
    await checkWithTools(files.filter((f) => f.before.length > 0));
  });

  it('a large file changed without regions (40,000 lines, 4,000 changes, Latin-1, no final newline) is diffed by git in seconds, and applies', async () => {
    const before = Array.from({ length: 40_000 }, (_, k) => (k % 10 === 6 ? '\t__asm __volatile("cli");\n' : `\tx${k} = ${k}; /* caf\xe9 */\n`)).join('');
    const b = Buffer.from(before.slice(0, -1), 'latin1');
    const a = Buffer.from(before.replace(/__asm __volatile\("cli"\);/g, 'xen_cli();').slice(0, -1), 'latin1');
    const t = performance.now();
    const d = unifiedDiff({ path: 'sys/big.c', before: b, after: a });
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(d.split('\n').filter((l) => l.startsWith('+\txen_cli')).length).toBe(4000);
    await checkWithTools([{ path: 'sys/big.c', before: b, after: a }]);
  }, 60_000);

  it('property: diffs made from the edits themselves (with and without #ifdef guards) apply and reproduce', async () => {
    const chunk = fc.stringMatching(/^[a-z \t();*\n]{0,10}$/);
    const arb = fc.record({
      text: fc.array(chunk, { minLength: 1, maxLength: 30 }).map((a) => a.join('')),
      guard: fc.boolean(),
      edits: fc.array(fc.tuple(fc.nat(), fc.nat(8), chunk), { maxLength: 8 }),
    });
    const samples = fc.sample(arb, { numRuns: 60, seed: 7 });
    const files = samples.flatMap((s, i) => {
      const before = Buffer.from(s.text, 'latin1');
      const edits = s.edits.map(([at, len, text]) => {
        const start = at % (before.length + 1);
        return edit(start, Math.min(before.length, start + len), text);
      });
      const r = applyEdits(`f${i}.c`, before, edits, s.guard ? 'XEN' : undefined);
      return r.after.equals(before) ? [] : [{ path: `d/f${i}.c`, before, after: r.after, regions: r.regions }];
    });
    expect(files.length).toBeGreaterThan(20);
    await checkWithTools(files);
  });

  it('applying and diffing 20,000 edits in one file takes time linear in the file, not in edits squared', () => {
    const make = (n: number) => {
      const before = Buffer.from('/* a comment */\n' + '\t__asm __volatile("cli");\n'.repeat(n), 'latin1');
      const edits = Array.from({ length: n }, (_, k) => edit(16 + k * 26 + 1, 16 + k * 26 + 25, 'xen_cli()'));
      let t = performance.now();
      const r = applyEdits('f.c', before, edits, 'XEN');
      const apply = performance.now() - t;
      t = performance.now();
      const d = unifiedDiff({ path: 'f.c', before, after: r.after, regions: r.regions });
      return { apply, diff: performance.now() - t, lines: d.split('\n').length };
    };
    make(2000);
    const small = make(5000);
    const big = make(20000);
    expect(big.lines).toBeGreaterThan(80000);
    // Four times the edits: well under sixteen times the time (both were quadratic:
    // 20,000 edits took 9 s to apply and 35 s to diff).
    expect(big.apply, `apply ${small.apply.toFixed(0)} ms -> ${big.apply.toFixed(0)} ms`).toBeLessThan(Math.max(1500, small.apply * 8));
    expect(big.diff, `diff ${small.diff.toFixed(0)} ms -> ${big.diff.toFixed(0)} ms`).toBeLessThan(Math.max(1500, small.diff * 8));
  });
});
