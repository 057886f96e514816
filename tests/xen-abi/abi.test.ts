/*
 * The Xen 2.0 ABI: the generated C header agrees with the TypeScript declarations
 * (a gcc -m32 probe static-asserts every number, size and offset, with the
 * expected values taken from the RUNTIME TS enums and the layout table), the guest
 * API compiles with -Werror, hypercalls use int $0x82 with eax = number, and the
 * checked-in docs and layout table are current.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import * as abi from '../../src/xen-abi/index.js';
import { loadAbiModel } from '../../src/xen-abi/gen/model.js';
import { renderDocs, renderGuestFiles, renderLayoutTs } from '../../src/xen-abi/gen/generate.js';
import { HypervisorError } from '../../src/errors.js';

const ROOT = path.resolve(__dirname, '..', '..');
const CFLAGS = ['-m32', '-std=gnu99', '-ffreestanding', '-nostdinc', '-Wall', '-Wextra', '-Werror', '-O2'];

function guestTree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-abi-'));
  for (const [rel, text] of Object.entries(abi.guestFiles())) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  symlinkSync('include', path.join(dir, 'machine'));
  return dir;
}

/** [C expression, expected value] pairs from the runtime TypeScript objects. */
function expectations(): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(abi.Hypercall)) if (typeof v === 'number') out.push([`__HYPERVISOR_${k}`, v]);
  const enums: Array<[string, Record<string, string | number>]> = [
    ['MMU_', abi.MmuCmd], ['MMUEXT_', abi.MmuExt], ['UVMF_', abi.Uvmf], ['SCHEDOP_', abi.SchedOp],
    ['SHUTDOWN_', abi.ShutdownReason], ['CONSOLEIO_', abi.ConsoleIO], ['VMASST_', abi.VmAssist],
    ['VIRQ_', abi.Virq], ['EVTCHNOP_', abi.EvtchnOp], ['PHYSDEVOP_', abi.PhysdevOp], ['SIF_', abi.StartInfoFlag],
  ];
  for (const [prefix, e] of enums) for (const [k, v] of Object.entries(e)) if (typeof v === 'number') out.push([`${prefix}${k}`, v]);
  for (const name of ['HYPERVISOR_VIRT_START', 'XEN_HYPERCALL_VECTOR', 'FLAT_RING1_CS', 'FLAT_RING1_DS', 'NR_EVENT_CHANNELS', 'MAX_CMDLINE', 'DOMID_SELF'] as const) {
    out.push([name, abi[name]]);
  }
  for (const [ctype, l] of Object.entries(abi.LAYOUT)) {
    out.push([`sizeof(${ctype})`, l.size]);
    for (const [f, v] of Object.entries(l.fields)) out.push([`__builtin_offsetof(${ctype}, ${f})`, v.offset]);
  }
  return out;
}

describe('Xen 2.0 ABI', () => {
  it('has the Xen 2.0 numbers the port depends on', () => {
    expect(abi.Hypercall.update_va_mapping_otherdomain).toBe(22);
    expect(abi.Hypercall.console_io).toBe(18);
    expect(abi.MmuExt.NEW_BASEPTR).toBe(5);
    expect(abi.HYPERVISOR_VIRT_START).toBe(0xfc000000);
    expect(abi.LAYOUT.start_info_t.size).toBe(320);
    expect(abi.LAYOUT.shared_info_t.fields.evtchn_mask.offset).toBe(136);
    expect(abi.LAYOUT.shared_info_t.fields.wall_timeout.offset).toBe(312);
    expect(abi.LAYOUT.trap_info_t.size).toBe(8);
  });

  it('the checked-in artefacts of `npm run abi` are current (docs, layout table, guest files)', () => {
    const model = loadAbiModel();
    expect(readFileSync(path.join(ROOT, 'docs', 'hypercalls.md'), 'utf8')).toBe(renderDocs(model));
    expect(readFileSync(path.join(ROOT, 'src', 'xen-abi', 'layout.generated.ts'), 'utf8')).toBe(renderLayoutTs(model));
    const guest = renderGuestFiles(model);
    expect(Object.keys(abi.guestFiles()).sort()).toEqual(Object.keys(guest).sort());
    for (const [rel, text] of Object.entries(guest)) expect(abi.guestFiles()[rel], rel).toBe(text);
  });

  it('gcc -m32 -Werror: the header matches the TypeScript values, and the guest API compiles', async () => {
    const dir = guestTree();
    const probe = ['#include <machine/xen/hypervisor.h>'];
    expectations().forEach(([expr, value], i) => {
      probe.push(`_Static_assert((unsigned long long)(${expr}) == ${value}ULL, "probe ${i}: ${expr.replace(/"/g, '')}");`);
    });
    probe.push('int probe_console(void) { return HYPERVISOR_console_io(CONSOLEIO_write, 2, "hi"); }');
    writeFileSync(path.join(dir, 'probe.c'), `${probe.join('\n')}\n`);
    await execa('gcc', [...CFLAGS, '-I.', '-c', 'probe.c', '-o', 'probe.o'], { cwd: dir });
    await execa('gcc', [...CFLAGS, '-I.', '-c', 'i386/xen_hypervisor.c', '-o', 'xh.o'], { cwd: dir });
    const dis = await execa('objdump', ['-d', 'probe.o'], { cwd: dir });
    expect(dis.stdout).toMatch(/mov\s+\$0x12,%eax/);
    expect(dis.stdout).toMatch(/int\s+\$0x82/);
    expect(expectations().length).toBeGreaterThan(100);
  });

  it('the header is also valid in assembler (breakpoint stub, cli/sti as mask writes)', async () => {
    const dir = guestTree();
    writeFileSync(path.join(dir, 't.S'), '#include <machine/xen/hypervisor.h>\n\t.text\nf:\tXENO_BREAKPOINT_ASM("cpu-hlt", "sys/i386/i386/locore.s:9")\n\tXEN_CLI_ASM\n\tXEN_STI_ASM\n\tret\n');
    await execa('gcc', ['-m32', '-I.', '-c', 't.S', '-o', 't.o'], { cwd: dir });
    const dis = await execa('objdump', ['-d', 't.o'], { cwd: dir });
    expect(dis.stdout).toMatch(/int3/);
    expect(dis.stdout).toMatch(/movb\s+\$0x1,0x1\(%eax\)/);
    expect(dis.stdout).toMatch(/call/);
  });

  it('rejects a field without a width, naming the line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-abi-bad-'));
    writeFileSync(path.join(dir, 'types.ts'), readFileSync(path.join(ROOT, 'src/xen-abi/types.ts')));
    writeFileSync(path.join(dir, 'xen2.ts'), 'export enum Hypercall { a = 0 }\n/** @ctype bad_t */\nexport interface Bad {\n  x: number;\n}\n');
    expect(() => loadAbiModel(path.join(dir, 'xen2.ts'))).toThrow(HypervisorError);
    expect(() => loadAbiModel(path.join(dir, 'xen2.ts'))).toThrow(/xen2\.ts:4: field Bad\.x has type number/);
  });
});
