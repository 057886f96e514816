/*
 * The house is a stack (docs/ARCHITECTURE.md): every import in src/ is read and
 * checked against the table of allowed arrows in that page. An upward or sideways
 * arrow, an import of another module's internals, a dynamic import() outside src/cli
 * or of anything but a string literal, and a cycle in the table each fail, naming the
 * file and the import. The CLI's lazy imports (a string literal each) are read as
 * arrows like static ones, so nothing is hidden.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

/** module -> the modules it may import, from the table in docs/ARCHITECTURE.md. */
function allowedArrows(): Map<string, Set<string>> {
  const text = readFileSync(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const rows = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^\| `([a-z0-9-]+)` \| [^|]+ \| ([^|]+) \|$/gm)) {
    rows.set(m[1]!, new Set(m[2]!.split(',').map((s) => s.trim()).filter(Boolean)));
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The module a file of src/ belongs to: its top-level directory, or `base`. */
function moduleOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? 'base' : rel[0]!;
}

interface Arrow { file: string; line: number; spec: string; from: string; to: string; target: string }

function imports(): { arrows: Arrow[]; dynamic: string[] } {
  const arrows: Arrow[] = [];
  const dynamic: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    const inCli = moduleOf(file) === 'cli';
    text.split('\n').forEach((l, k) => {
      if (/^\s*(\/\/|\*)/.test(l)) return;
      // In src/cli, import('literal') is a lazy arrow (read below); anything else is hidden.
      const rest = inCli ? l.replace(/\bimport\(\s*'[^']+'\s*\)/g, '') : l;
      if (/\bimport\s*\(/.test(rest)) dynamic.push(`${rel}:${k + 1}: ${l.trim()}`);
    });
    const lazy = inCli ? [...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)] : [];
    for (const m of [...text.matchAll(/(?:^|;)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gm), ...lazy]) {
      const spec = m[1]!;
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      const line = text.slice(0, m.index).split('\n').length;
      arrows.push({ file: rel, line, spec, from: moduleOf(file), to: moduleOf(target), target: path.relative(SRC, target) });
    }
  }
  return { arrows, dynamic };
}

describe('the module stack (docs/ARCHITECTURE.md)', () => {
  const table = allowedArrows();
  const { arrows, dynamic } = imports();

  it('the table names every module of src/ and draws no cycle', () => {
    const modules = new Set(readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    expect([...modules].filter((m) => !table.has(m)), 'modules missing from docs/ARCHITECTURE.md').toEqual([]);
    // Depth-first search for a back edge.
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (m: string, trail: string[]): void => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(m)), m].join(' -> '));
        return;
      }
      state.set(m, 'open');
      for (const n of table.get(m) ?? []) if (n !== 'base') visit(n, [...trail, m]);
      state.set(m, 'done');
    };
    for (const m of table.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it('every import between modules is an allowed arrow', () => {
    const bad = arrows
      .filter((a) => a.from !== a.to && a.from !== 'base' && !table.get(a.from)?.has(a.to))
      .map((a) => `${a.file}:${a.line}: ${a.from} -> ${a.to} ('${a.spec}')`);
    const fromBase = arrows.filter((a) => a.from === 'base' && a.to !== 'base').map((a) => `${a.file}:${a.line}: base imports ${a.spec}`);
    expect([...bad, ...fromBase]).toEqual([]);
  });

  it("another module is reached only through its public face (an index.ts)", () => {
    const bad = arrows
      .filter((a) => a.from !== a.to && a.to !== 'base' && !/(^|\/)index\.ts$/.test(a.target))
      .map((a) => `${a.file}:${a.line}: imports ${a.target}, not a public face`);
    expect(bad).toEqual([]);
  });

  it('no dynamic import() hides an arrow (src/cli may import a string literal lazily; it is checked as an arrow)', () => {
    expect(dynamic).toEqual([]);
  });

  it('the checker itself sees arrows (it is not vacuous)', () => {
    expect(arrows.length).toBeGreaterThan(300);
    expect(arrows.some((a) => a.from === 'port' && a.to === 'hypervisor')).toBe(true);
    expect(arrows.some((a) => a.from === 'cli' && a.to === 'port')).toBe(true);
    expect(arrows.some((a) => a.file.endsWith('commands/scan.ts') && a.to === 'analyze'), 'a lazy import is an arrow').toBe(true);
  });
});
