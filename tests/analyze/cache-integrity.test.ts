/*
 * The scanner's cache cannot lie: a pack line whose JSON was damaged (one digit),
 * a whole-tree entry cut short and an entry replaced by parseable JSON of another
 * shape are misses. The warm scan still gives exactly the findings of a cold scan,
 * and nothing crashes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, scan } from '../../src/analyze/index.js';

const FILES: Record<string, string> = {
  'i386/i386/machdep.c': 'void\ncpu_halt(void)\n{\n\t__asm __volatile("cli");\n\tfor (;;)\n\t\t__asm __volatile("hlt");\n}\n',
  'i386/i386/locore.s': '\t.text\n\t.globl btext\nbtext:\n\tcli\n\tmovl %eax,%cr3\n\tlgdt gdtdesc\n',
};

function tree(): { sys: string; cache: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'xeno-scan-cache-'));
  const sys = path.join(dir, 'sys');
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(sys, rel)), { recursive: true });
    writeFileSync(path.join(sys, rel), text);
  }
  return { sys, cache: path.join(dir, 'cache') };
}

const lines = (r: Awaited<ReturnType<typeof scan>>): string[] => r.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.ruleId}`);

function cacheFiles(cache: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk(path.join(d, e.name)) : out.push(path.join(d, e.name)));
  };
  walk(cache);
  return out;
}

describe('scanner cache integrity', () => {
  const rules = loadRules();

  it('damaged pack lines and whole-tree entries are misses: the findings stay exact', async () => {
    const { sys, cache } = tree();
    const cold = lines(await scan({ paths: [sys], rules, cache, workers: 0 }));
    expect(cold.length).toBeGreaterThan(3);
    for (const f of cacheFiles(cache)) {
      const text = readFileSync(f, 'utf8');
      if (path.basename(f).startsWith('pack-')) writeFileSync(f, text.replace(/"line":(\d)/g, (_m, d: string) => `"line":${(Number(d) + 1) % 10}`));
      else if (path.basename(f).startsWith('tree-')) writeFileSync(f, text.slice(0, Math.floor(text.length * 0.7)));
      else if (path.basename(f).startsWith('stat-')) writeFileSync(f, text.replace(/\d/, (d) => String((Number(d) + 3) % 10)));
    }
    expect(lines(await scan({ paths: [sys], rules, cache, workers: 0 }))).toEqual(cold);
  });

  it('an entry replaced by parseable JSON of another shape is a miss, not a crash', async () => {
    const { sys, cache } = tree();
    const cold = lines(await scan({ paths: [sys], rules, cache, workers: 0 }));
    for (const f of cacheFiles(cache)) {
      const name = path.basename(f);
      if (name.startsWith('pack-')) writeFileSync(f, readFileSync(f, 'utf8').split('\n').map((l) => (l ? `${l.split(' ')[0]} 0123456789abcdef {"file":7}` : l)).join('\n'));
      if (name.startsWith('tree-') || name.startsWith('stat-')) writeFileSync(f, '{"findings": "nope", "tree": 3}');
    }
    expect(lines(await scan({ paths: [sys], rules, cache, workers: 0 }))).toEqual(cold);
  });
});
