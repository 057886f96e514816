/*
 * The va-hole resolver reads an invocation's argument texts only when the
 * macro may have a value (mayHaveValue); a macro it passes over must be one no
 * arguments can give a value.
 */
import { describe, expect, it } from 'vitest';
import { evaluateMacro, mayHaveValue, type MacroTable } from '../../src/analyze/macro-eval.js';
import type { MacroDef } from '../../src/analyze/summary.js';

function table(defs: Array<[string, string[] | null, string]>): MacroTable {
  const t: MacroTable = new Map();
  for (const [name, params, body] of defs) t.set(name, { name, params, body, bodyStart: 0, lang: 'c' } satisfies MacroDef);
  return t;
}

const T = table([
  ['KVA', null, '0xffc00000'],
  ['VADDR', ['pdi', 'pti'], '((vm_offset_t)(((pdi) << 22) | ((pti) << 12)))'],
  ['ADD', ['a'], 'KVA + (a)'],
  ['ARG', ['a'], 'a'],
  ['NEG', ['a'], '-(a)'],
  ['SIZE', ['t'], 'sizeof (t)'],
  ['VIA', ['a'], 'ADD(a)'],
  ['mtx_lock', ['m'], '_mtx_lock_flags((m), 0)'],
  ['LOCK', ['m'], 'mtx_lock(m)'],
  ['LOOP', ['x'], 'for (;;) x'],
  ['STR', ['x'], '"x"'],
  ['EMPTY', ['x'], ''],
  ['CLOSE', ['x'], ') x'],
  ['ping', ['x'], 'pong(x)'],
  ['pong', ['x'], 'ping(x)'],
  ['OBJ', null, 'foo'],
  ['USEOBJ', ['x'], 'OBJ + x'],
]);

describe('mayHaveValue', () => {
  it('keeps macros whose body can begin an operand', () => {
    for (const n of ['VADDR', 'ADD', 'ARG', 'NEG', 'SIZE', 'VIA']) expect(mayHaveValue(n, T), n).toBe(true);
    expect(evaluateMacro('VADDR', T, ['0x3ff', '0'])).toBe(0xffc00000);
    expect(evaluateMacro('VIA', T, ['0x1000'])).toBe(0xffc01000);
  });

  it('passes over macros no arguments can give a value, which evaluate to nothing', () => {
    for (const n of ['mtx_lock', 'LOCK', 'LOOP', 'STR', 'EMPTY', 'CLOSE', 'ping', 'pong', 'USEOBJ', 'KVA', 'nosuch']) {
      expect(mayHaveValue(n, T), n).toBe(false);
      if (T.get(n)?.params) for (const args of [['1'], ['0x1000'], ['(2)'], ['']]) expect(evaluateMacro(n, T, args), `${n}(${args})`).toBeUndefined();
    }
  });
});
