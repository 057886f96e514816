// Rules are validated on load; an error names the file, line and column.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, parseRuleFile } from '../../src/analyze/index.js';
import { RuleError } from '../../src/errors.js';

const good = `rules:
  - id: halt
    category: privileged-instruction
    severity: error
    message: use xen_halt()
    match:
      asm: { mnemonic: [hlt] }
    fix: { xen: hypercall, hypercall: 'xen_halt()' }
    docs: idle
    tests:
      match: [{ asm: hlt }]
`;

function errorOf(text: string): RuleError {
  try {
    parseRuleFile('rules/t.yaml', text);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleError);
    return err as RuleError;
  }
  throw new Error('no error');
}

describe('rule validation', () => {
  it('accepts a good rule', () => {
    expect(parseRuleFile('t.yaml', good)).toHaveLength(1);
  });

  const bad: Array<[string, string, number, number, RegExp]> = [
    ['unknown category', good.replace('privileged-instruction', 'privileged'), 3, 15, /category.*must be one of/],
    ['unknown field', good.replace('    docs: idle', '    docs: idle\n    colour: red'), 10, 5, /unknown field 'colour'/],
    ['missing message', good.replace('    message: use xen_halt()\n', ''), 2, 5, /missing field 'message'/],
    ['bad query', good.replace("asm: { mnemonic: [hlt] }", "c: { query: '(call_expression @x' }"), 7, 19, /bad tree-sitter query/],
    ['bad regex', good.replace('mnemonic: [hlt]', "mnemonic: [hlt], dst: '(%cr3'"), 7, 36, /must match format "regex"/],
    ['hypercall without template', good.replace(", hypercall: 'xen_halt()'", ''), 8, 10, /no hypercall template/],
    ['bad YAML', good.replace('  - id: halt', '  - id: [halt'), 3, 5, /invalid YAML/],
  ];
  for (const [name, text, line, col, msg] of bad) {
    it(`reports ${name} at its line and column`, () => {
      const e = errorOf(text);
      expect(e.message).toMatch(msg);
      expect(e.span?.file).toBe('rules/t.yaml');
      expect([e.span?.line, e.span?.col]).toEqual([line, col]);
    });
  }

  it('stops loading a directory on the first bad file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-rules-'));
    writeFileSync(path.join(dir, 'a.yaml'), good);
    writeFileSync(path.join(dir, 'b.yaml'), good.replace('error', 'fatal'));
    expect(() => loadRules(dir)).toThrow(RuleError);
  });

  it('rejects duplicate ids and dangling instruction references', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-rules-'));
    writeFileSync(path.join(dir, 'a.yaml'), good);
    writeFileSync(path.join(dir, 'b.yaml'), good);
    expect(() => loadRules(dir)).toThrow(/duplicate rule id 'halt'/);
    const dir2 = mkdtempSync(path.join(os.tmpdir(), 'xenoport-rules-'));
    writeFileSync(path.join(dir2, 'a.yaml'), good.replace("asm: { mnemonic: [hlt] }", 'wrapper: { any: [nosuch] }').replace('[{ asm: hlt }]', "['x']"));
    expect(() => loadRules(dir2)).toThrow(/refers to 'nosuch'/);
  });

  it('the bundled rules load', () => {
    const { rules, hash } = loadRules();
    expect(rules.length).toBeGreaterThan(30);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
  });
});
