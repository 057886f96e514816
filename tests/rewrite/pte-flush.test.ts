// Seed step 15's release points: where a function that writes page tables returns,
// the batched queue is flushed; functions that write none are left alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pteFlushEdits } from '../../src/rewrite/pte-flush.js';
import { applyEditsToText } from './pte-flush-apply.js';
import type { Edit } from '../../src/rewrite/types.js';

const SRC = `static int
reader(int *p)
{

	return (*p);
}

void
writer(pt_entry_t *pte, int v)
{

	if (v == 0)
		return;
	*pte = v;	/* a comment: return here is not a statement */
}

int
early(pt_entry_t *pte)
{

	*pte = 0;
	return (1);
}
`;

function writeEdit(text: string, what: string, to: string): Edit {
  const at = text.indexOf(what);
  return { file: 'i386-xeno/i386/x.c', startByte: at, endByte: at + what.length, replacement: to, ruleId: 'pte-write', kind: 'hypercall', where: 'i386/i386/x.c:1' } as Edit;
}

describe('pteFlushEdits', () => {
  const at = SRC.indexOf('*pte = v;');
  const writes = [writeEdit(SRC, '*pte = v', 'xen_pte_set(pte, v)'), { ...writeEdit(SRC.slice(at), '*pte = 0', 'xen_pte_set(pte, 0)'), startByte: SRC.indexOf('*pte = 0'), endByte: SRC.indexOf('*pte = 0') + 8 }];
  const r = pteFlushEdits('i386/i386/x.c', 'i386-xeno/i386/x.c', SRC, writes);
  const out = applyEditsToText(SRC, [...writes, ...r.edits]);

  it('flushes before every return and at the closing brace of a writing function', () => {
    expect(out).toContain('\tif (v == 0)\n\t\t{ xen_mmu_flush(); return; }\n');
    expect(out).toContain('\t{ xen_mmu_flush(); return (1); }\n');
    expect(out.match(/xenoport step 15: release point/g)).toHaveLength(2);
  });

  it('leaves a function without page-table writes and comments alone', () => {
    expect(out).toContain('reader(int *p)\n{\n\n\treturn (*p);\n}');
    expect(out).toContain('/* a comment: return here is not a statement */');
  });

  it('adds nothing to a file the rewrite did not write page tables in', () => {
    expect(pteFlushEdits('i386/i386/x.c', 'i386-xeno/i386/x.c', SRC, []).edits).toEqual([]);
  });
});

describe('pteFlushEdits on FreeBSD 9.3-shaped code', () => {
  // pmap_demote_pde: "return" on a block comment's second line, and a string holding ';'.
  const DEMOTE = `boolean_t
demote(pt_entry_t *pde, int va)
{

	*pde = 0;
	if (va == 0) {
		/*
		 * Invalidate the 2- or 4MB page mapping and return
		 * "failure" if the mapping was never accessed.
		 */
		printf("no; return here\\n");
		return (0);
	}
	return (1);
}
`;
  const w = writeEdit(DEMOTE, '*pde = 0', 'xen_pte_set(pde, 0)');
  const r = pteFlushEdits('i386/i386/x.c', 'i386-xeno/i386/x.c', DEMOTE, [w]);
  const out = applyEditsToText(DEMOTE, [w, ...r.edits]);

  it('wraps the two real returns only, never a word in a comment or a string', () => {
    expect(out.match(/xen_mmu_flush\(\); return/g)).toHaveLength(2);
    expect(out).toContain('\t\t * Invalidate the 2- or 4MB page mapping and return\n');
    expect(out).toContain('printf("no; return here\\n");');
    expect(out).toContain('\t\t{ xen_mmu_flush(); return (0); }\n');
    expect(out).toContain('\t{ xen_mmu_flush(); return (1); }\n');
  });

  it('leaves text that compiles', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xp-flush-'));
    try {
      const c = path.join(dir, 'demote.c');
      writeFileSync(c, `typedef unsigned int pt_entry_t;\ntypedef int boolean_t;\nint printf(const char *, ...);\nvoid xen_pte_set(pt_entry_t *, pt_entry_t);\nvoid xen_mmu_flush(void);\n${out}`);
      const cc = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Werror', c], { encoding: 'utf8' });
      expect(cc.stderr).toBe('');
      expect(cc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
