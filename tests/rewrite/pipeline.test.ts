/*
 * The declarative pipeline on a small fixture tree with a fake scanner: schema
 * errors at file:line:col, the content-hash cache (a no-op rerun runs nothing and
 * writes nothing), --explain naming the changed input, --dry-run, the manifest
 * with hand-edit detection and --force, and the source tree left untouched.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePipeline, readManifest, runPipeline } from '../../src/rewrite/index.js';
import { PipelineError } from '../../src/errors.js';
import { fakeScan, hashTree, workspace } from './helpers.js';

const bad: Array<[string, string, RegExp, number, number]> = [
  ['unknown key', 'version: 1\nsource: a\noutput: b\nstages:\n  - name: x\n    kind: copy-arch\n    colour: red\n', /unknown key 'colour'/, 5, 5],
  ['bad kind', 'version: 1\nsource: a\noutput: b\nstages:\n  - name: x\n    kind: frobnicate\n', /must be one of/, 6, 11],
  ['bad mode', 'version: 1\nsource: a\noutput: b\nmode: fast\nstages:\n  - { name: x, kind: rewrite }\n', /mode: must be one of/, 4, 7],
  ['missing stages', 'version: 1\nsource: a\noutput: b\n', /missing key 'stages'/, 1, 1],
  ['duplicate name', 'version: 1\nsource: a\noutput: b\nstages:\n  - { name: x, kind: rewrite }\n  - { name: x, kind: copy-arch }\n', /used twice/, 6, 13],
  ['yaml syntax', 'version: 1\nsource: [a\n', /invalid YAML/, 3, 1],
];

describe('pipeline file validation', () => {
  for (const [name, text, msg, line, col] of bad) {
    it(`${name}: error at file:line:col`, () => {
      try {
        parsePipeline('p.yaml', text);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(PipelineError);
        const e = err as PipelineError;
        expect(e.message).toMatch(msg);
        expect(e.span?.file).toBe('p.yaml');
        expect([e.span?.line, e.span?.col]).toEqual([line, col]);
      }
    });
  }

  it('the repository pipeline file is valid', () => {
    const file = path.resolve(__dirname, '..', '..', 'xenoport.pipeline.yaml');
    const cfg = parsePipeline(file, readFileSync(file, 'utf8'));
    expect(cfg.stages.map((s) => s.kind)).toEqual(['copy-arch', 'makefiles', 'va-hole', 'cpu-features', 'minimal-os', 'early-console', 'rewrite', 'xen-timer']);
  });
});

describe('pipeline runs', () => {
  it('builds the target, then a rerun is a no-op; the source is never written', async () => {
    const { dir, config } = workspace();
    const src = path.join(dir, 'src', 'sys');
    const before = hashTree(src);
    const first = await runPipeline(config, { scan: fakeScan });
    expect(first.changed).toBe(true);
    expect(first.stages.every((s) => s.ran)).toBe(true);
    expect(lstatSync(config.output).isSymbolicLink()).toBe(true);
    const machdep = readFileSync(path.join(config.output, 'i386-xeno/i386/machdep.c'), 'latin1');
    expect(machdep).toContain('\txen_cli();\n');
    expect(machdep).toContain('\t\txen_halt();\n');
    expect(machdep).toContain('xen_pte_set(pte, v);');
    expect(machdep).toContain('/* caf\xe9 */');
    expect(machdep).toContain('#include <machine/xen/hypervisor.h>\n');
    expect(readFileSync(path.join(config.output, 'i386-xeno/i386/locore.s'), 'latin1')).toContain('jmp\txen_start');
    expect(readFileSync(path.join(config.output, 'i386-xeno/conf/files.i386-xeno'), 'latin1')).toMatch(/^i386-xeno\/i386\/machdep\.c\t\tstandard\n/m);
    expect(readFileSync(path.join(config.output, 'i386-xeno/conf/files.i386-xeno'), 'latin1')).toContain('i386-xeno/i386/xen_hypervisor.c\tstandard');
    const mk = readFileSync(path.join(config.output, 'i386-xeno/conf/Makefile.i386-xeno'), 'latin1');
    expect(mk).toContain('SYSTEM_SFILES=\t$S/i386-xeno/i386/locore.s\nLDSCRIPT=\t$S/i386-xeno/conf/ldscript.i386-xeno\n');
    expect(mk).toContain('-DXENOPORT_XEN');
    expect(readFileSync(path.join(config.output, 'i386-xeno/conf/GENERIC'), 'latin1')).toContain('machine\t\ti386-xeno\n');
    expect(existsSync(path.join(config.output, 'i386/conf/Makefile.i386'))).toBe(true);
    expect(readFileSync(path.join(config.output, 'kern/tty_cons.c'), 'latin1')).toContain('xen_cnputc(c);');
    expect(existsSync(path.join(config.output, 'i386-xeno/include/xen/hypervisor.h'))).toBe(true);
    const treeBytes = hashTree(config.output);

    const second = await runPipeline(config, { scan: fakeScan });
    expect(second.changed).toBe(false);
    expect(second.stages.some((s) => s.ran)).toBe(false);
    expect(hashTree(config.output)).toBe(treeBytes);
    expect(hashTree(src)).toBe(before);
  });

  it('--explain names the input that changed; other stages stay cached', async () => {
    const { dir, config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    writeFileSync(path.join(dir, 'src/sys/i386/i386/machdep.c'), readFileSync(path.join(dir, 'src/sys/i386/i386/machdep.c'), 'latin1') + '\nvoid\nidle(void)\n{\n\thlt();\n}\n', 'latin1');
    const r = await runPipeline(config, { scan: fakeScan });
    const rw = r.stages.find((s) => s.name === 'rewrite');
    expect(rw?.ran).toBe(true);
    expect(rw?.reasons.join(' ')).toMatch(/changed i386\/i386\/machdep\.c/);
    expect(r.stages.find((s) => s.name === 'minimal-os')?.ran).toBe(false);
    expect(readFileSync(path.join(config.output, 'i386-xeno/i386/machdep.c'), 'latin1')).toMatch(/idle\(void\)\n\{\n\txen_halt\(\);/);
  });

  it('--mode changes the rewrite stage only, and says so', async () => {
    const { config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    const r = await runPipeline(config, { scan: fakeScan, mode: 'breakpoint' });
    expect(r.stages.filter((s) => s.ran).map((s) => s.name)).toEqual(['rewrite']);
    expect(r.stages.find((s) => s.name === 'rewrite')?.reasons.join(' ')).toMatch(/stage definition changed/);
    const machdep = readFileSync(path.join(config.output, 'i386-xeno/i386/machdep.c'), 'latin1');
    expect(machdep).toContain('XENO_BREAKPOINT("cpu-cli", "sys/i386/i386/machdep.c:7");');
    expect(readFileSync(path.join(config.output, 'i386-xeno/i386/locore.s'), 'latin1')).toContain('XENO_BREAKPOINT_ASM(cpu-cli, sys/i386/i386/locore.s:4)');
  });

  it('--dry-run writes nothing', async () => {
    const { config } = workspace();
    const r = await runPipeline(config, { scan: fakeScan, dryRun: true });
    expect(r.changed).toBe(true);
    expect(r.stages.every((s) => s.ran && s.summary === 'would run')).toBe(true);
    expect(existsSync(config.output)).toBe(false);
    expect(existsSync(config.cache)).toBe(false);
  });

  it('a hand edit in the generated tree is detected and kept unless --force', async () => {
    const { config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    const f = path.join(config.output, 'i386-xeno/i386/machdep.c');
    writeFileSync(f, `${readFileSync(f, 'latin1')}/* mine */\n`, 'latin1');
    const manifest = readManifest(config.output);
    expect(manifest?.files['i386-xeno/i386/machdep.c'].rules).toEqual(['cpu-cli', 'cpu-hlt', 'pte-write', 'xenify/include-hypervisor-h', 'xenify/pte-flush']);
    expect(manifest?.files['i386-xeno/i386/machdep.c'].source).toBe('i386/i386/machdep.c');
    await expect(runPipeline(config, { scan: fakeScan, mode: 'breakpoint' })).rejects.toThrow(/edited by hand.*\n.*modified: i386-xeno\/i386\/machdep\.c/);
    expect(readFileSync(f, 'latin1')).toContain('/* mine */');
    const forced = await runPipeline(config, { scan: fakeScan, mode: 'breakpoint', force: true });
    expect(forced.changed).toBe(true);
    expect(readFileSync(f, 'latin1')).not.toContain('/* mine */');
  });

  it('a hand edit is reported even when nothing else changed, and --force restores the file', async () => {
    const { config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    const f = path.join(config.output, 'kern/tty_cons.c');
    writeFileSync(f, 'oops\n');
    await expect(runPipeline(config, { scan: fakeScan })).rejects.toThrow(/modified: kern\/tty_cons\.c/);
    await runPipeline(config, { scan: fakeScan, force: true });
    expect(readFileSync(f, 'latin1')).toContain('xen_cnputc(c);');
  });
});
