/*
 * The front end on pathological input: long operator chains and deep parentheses
 * (which gcc compiles) compile and compute what they say; nesting beyond the budget
 * (MAX_NESTING) is a CompileError naming file:line:col, never a host stack overflow
 * or a hang; huge initializers cost time and memory in proportion to their size.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileError } from '../../src/errors.js';
import { compileFile } from '../../src/compile/index.js';
import { runC } from '../../src/port/index.js';
import { MAX_NESTING } from '../../src/compile/unit.js';
import { compileText, writeTree } from './helpers.js';

const rep = (s: string, n: number): string => s.repeat(n);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function output(src: string): Promise<string> {
  const dir = writeTree({ 'p.c': src });
  const r = await runC([join(dir, 'p.c')], { maxSteps: 5e7 });
  expect(r.outcome, r.fault?.message).toBe('exit');
  return r.stdout.trim();
}

async function compileError(src: string): Promise<CompileError> {
  try {
    await compileText(src, { name: 'deep.c' });
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

const main = (body: string): string => `#include <stdio.h>\nint main(void) {\n\tint a = 1, x = 3, r = 0;\n${body}\n\treturn 0;\n}\n`;

describe('chains that only look deep compile (as with gcc)', () => {
  it('5,000 nested parentheses', async () => {
    expect(await output(main(`\tprintf("%d\\n", ${rep('(', 5000)}a + 41${rep(')', 5000)});`))).toBe('42');
  });
  it('a 2,000-term sum, left-deep, and a right-deep one in parentheses', async () => {
    const left = range(2000).map((i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'x' : '2')).join(' + ');
    const right = `${rep('(a - ', 2000)}0${rep(')', 2000)}`;
    expect(await output(main(`\tprintf("%d %d\\n", ${left}, ${right});`))).toBe(`${667 + 667 * 3 + 666 * 2} 0`);
  });
  it('5,000 unary operators, a 2,000-arm ?: chain, 2,000-term || and && conditions', async () => {
    const ternary = range(2000).map((i) => `x == ${i} ? ${i * 7} : `).join('');
    const ors = range(2000).map((i) => `x == ${i + 10}`).join(' || ');
    const ands = range(2000).map((i) => `x != ${i + 10}`).join(' && ');
    expect(await output(main(`\tprintf("%d %d %d %d\\n", ${rep('-~', 2500)}x, ${ternary}-1, ${ors}, ${ands});`))).toBe('2503 21 0 1');
  });
  it('a 3,000-branch else-if chain, 3,000-term comma and assignment chains', async () => {
    const elif = range(3000).map((i) => `if (r == ${i}) x = ${i * 2};`).join(' else ');
    const vars = range(3000).map((i) => `v${i}`);
    const body = `\tint ${vars.join(', ')};\n\tr = 2999;\n\t${elif}\n\t${vars.join(' = ')} = 5;\n\tr = (${rep('r++, ', 3000)}r);\n\tprintf("%d %d %d %d\\n", x, v0, v2999, r);`;
    expect(await output(main(body))).toBe('5998 5 5 5999');
  });
  it('3,000 braces around a scalar initializer', async () => {
    expect(await output(`#include <stdio.h>\nint g = ${rep('{', 3000)}7${rep('}', 3000)};\nint main(void) { int l = ${rep('{', 3000)}8${rep('}', 3000)}; printf("%d %d\\n", g, l); return 0; }\n`)).toBe('7 8');
  });
});

describe('nesting beyond the budget is a CompileError at the place', () => {
  const cases: [string, string, RegExp][] = [
    ['nested blocks', `int main(void) {\n\tint a = 0;\n\t${rep('{ ', 5000)}a++;${rep(' }', 5000)}\n\treturn a;\n}\n`, /deep\.c:3:\d+: nested too deeply/],
    ['nested calls', `int f(int x) { return x; }\nint main(void) {\n\treturn ${rep('f(', 5000)}1${rep(')', 5000)};\n}\n`, /deep\.c:3:\d+: nested too deeply/],
    ['nested ifs', `int main(void) {\n\tint a = 1;\n\t${rep('if (a) ', 5000)}a++;\n\treturn 0;\n}\n`, /deep\.c:3:\d+: nested too deeply/],
    ['nested struct definitions', `${range(5000).map((i) => `struct s${i} { int a; `).join('\n')}} x${rep(';} x', 4999)};\n`, /deep\.c:\d+:\d+: nested too deeply/],
    ['nested subscripts in a static initializer', `int t[2] = { 0, 1 };\nint *p = &t[${rep('0 + (', 5000)}0${rep(')', 5000)}];\nint y = ${rep('(1 ? ', 5000)}1${rep(' : 0)', 5000)};\n`, /deep\.c:3:\d+: nested too deeply/],
  ];
  for (const [name, src, re] of cases) {
    it(name, async () => {
      const e = await compileError(src);
      expect(e.where()).toMatch(re);
      expect(e.message).toContain(name === 'nested struct definitions' ? 'nested too deeply' : String(MAX_NESTING));
    });
  }
});

describe('huge initializers', () => {
  it('an 80,000-element array, static and local, in time linear in its size', async () => {
    const cpu = async (n: number): Promise<number> => {
      const list = range(n).map((i) => String((i * 7919) % 100003)).join(',');
      const dir = writeTree({ 'big.c': `int g[] = {${list}};\nint f(void) { int l[] = {${list}}; return l[${n - 1}] + g[${n - 1}]; }\n` });
      const t0 = process.cpuUsage();
      const m = await compileFile(join(dir, 'big.c'));
      const t = process.cpuUsage(t0);
      expect(m.data.find((d) => d.name === 'g')).toBeDefined();
      return t.user + t.system;
    };
    const small = await cpu(20_000);
    const big = await cpu(80_000);
    // Linear: 4x the size costs about 4x; a quadratic step would cost 16x.
    expect(big / small).toBeLessThan(9);
  });
  it('a sparse 64 MiB static array costs only the bytes it sets', async () => {
    const m = await compileText('char big[64 << 20] = { [1] = 1, [40 << 20] = 2, [(64 << 20) - 1] = 3 };\n');
    const items = m.data.find((d) => d.name === 'big')!.items;
    expect(items.length).toBeLessThan(10);
    const size = items.reduce((n, it) => n + (it.kind === 'zero' ? it.size : it.kind === 'string' ? it.bytes.length : 4), 0);
    expect(size).toBe(64 << 20);
  });
});
