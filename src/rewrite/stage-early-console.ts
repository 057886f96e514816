/*
 * Seed step 7, the early console: the console rules' fixes, and cnputc() routed to
 * the Xen console from the first printf in Xen kernels.
 */
import { includeInsertion } from './plan.js';
import { categoryStage } from './stage-findings.js';
import { includeLineFor, emptyResult, type StageInput, type StageResult } from './stage-common.js';

/**
 * Step 7: printf through the console hypercall, before any console
 * initialisation. The console rules' fixes are applied, and the machine-
 * independent cnputc() (which drops output until a console is attached) gets a
 * first branch, compiled only into Xen kernels (-DXENOPORT_XEN, set by the
 * target's Makefile), that writes through console_io from the first printf.
 */
export async function earlyConsole(input: StageInput): Promise<StageResult> {
  const fixed = (await categoryStage(input, ['console'], 'hypercall', 'console output sites through console_io')) ?? {
    ...emptyResult(),
    notes: ['no scanner available: console rules not applied'],
    summary: '0 console sites',
  };
  const { tree } = input;
  let hooked = '';
  for (const f of tree.files) {
    if (!f.endsWith('.c')) continue;
    const text = tree.read(f).toString('latin1');
    // A definition, ANSI or K&R (parameter declarations between `)` and `{`).
    const m = /^cnputc\s*\([^)]*\)[ \t]*\n(?:[ \t]+[^\n;{]*;[ \t]*\n)*\{[ \t]*\n/m.exec(text);
    if (!m) continue;
    const at = m.index + m[0].length;
    const line = text.slice(0, at).split('\n').length;
    fixed.edits.push({
      file: f,
      startByte: at,
      endByte: at,
      replacement: '#ifdef XENOPORT_XEN\n\t/* xenoport step 7: straight to the Xen console, from the first printf. */\n\tif (c == \'\\n\')\n\t\txen_cnputc(\'\\r\');\n\txen_cnputc(c);\n\treturn;\n#endif\n',
      ruleId: 'xenify/early-console',
      kind: 'xenify',
      where: `${f}:${line}`,
    });
    const ins = includeInsertion(tree.read(f), includeLineFor(input.config, tree), m.index);
    if (ins) {
      fixed.edits.push({
        file: f,
        startByte: ins.at,
        endByte: ins.at,
        replacement: `#ifdef XENOPORT_XEN\n${ins.text}#endif\n`,
        ruleId: 'xenify/early-console',
        kind: 'xenify',
        where: `${f}:1`,
      });
    }
    hooked = f;
    break;
  }
  if (hooked) fixed.summary = `${fixed.summary}; cnputc() in ${hooked} writes through console_io under XENOPORT_XEN`;
  else fixed.notes.push('no cnputc() definition found: printf is not routed to the Xen console early');
  return fixed;
}
