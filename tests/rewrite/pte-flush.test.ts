// Seed step 15's release points: where a function that writes page tables returns,
// the batched queue is flushed; functions that write none are left alone.
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
