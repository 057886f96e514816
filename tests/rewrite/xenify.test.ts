/*
 * `xenify` end to end on the bundled sample kernel with the real scanner, in
 * both modes: the generated sys/i386-xeno compiles with the system gcc (-m32
 * -Werror, through the kernel's own Makefile), the diff applies with
 * `git apply --check` and `patch -p1 --dry-run` and reproduces the tree, a second
 * run changes nothing, rewriting the rewritten tree changes nothing, and the
 * source tree is byte-for-byte what it was.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { defaultScan, parsePipeline, rewriteTree, runPipeline } from '../../src/rewrite/index.js';
import { hashTree, tempDir } from './helpers.js';

const ROOT = path.resolve(__dirname, '..', '..');
const KERNEL = path.join(ROOT, 'sample-kernel');
const haveKernel = existsSync(path.join(KERNEL, 'sys', 'i386', 'i386', 'locore.s')) && existsSync(path.join(KERNEL, 'Makefile'));

function config(dir: string) {
  const text = readFileSync(path.join(ROOT, 'xenoport.pipeline.yaml'), 'utf8')
    .replace(/^source:.*$/m, `source: ${path.join(KERNEL, 'sys')}`)
    .replace(/^output:.*$/m, `output: ${path.join(dir, 'out', 'sys')}`)
    .replace(/^cache:.*$/m, `cache: ${path.join(dir, 'cache')}`)
    .replace(/^rules:.*$/m, `rules: ${path.join(ROOT, 'rules')}`);
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, text);
  return parsePipeline(file, text);
}

/** The kernel's Makefile on the generated tree; the build directory is ours. */
async function buildXeno(sysdir: string, dir: string): Promise<string> {
  const build = path.join(dir, 'build', 'i386-xeno');
  mkdirSync(path.join(build, 'include'), { recursive: true });
  // The Makefile links machine/ relative to its own directory; S is absolute here.
  symlinkSync(path.join(sysdir, 'i386-xeno', 'include'), path.join(build, 'include', 'machine'));
  const r = await execa('make', ['-s', '-C', KERNEL, 'native', 'MACHINE=i386-xeno', `S=${sysdir}`, `BUILD=${build}`], { reject: false, all: true });
  expect(r.all ?? '', `make failed:\n${r.all}`).not.toMatch(/error/i);
  expect(r.exitCode).toBe(0);
  return path.join(build, 'kernel');
}

describe.skipIf(!haveKernel)('xenify on the sample kernel', () => {
  for (const mode of ['hypercall', 'breakpoint'] as const) {
    it(`${mode} mode: compiles with gcc -m32 -Werror, diff applies, reruns change nothing`, async () => {
      const dir = tempDir('xeno-xenify-');
      const cfg = config(dir);
      const srcHash = hashTree(cfg.source);
      const first = await runPipeline(cfg, { scan: defaultScan, mode, diff: true });
      expect(first.changed).toBe(true);
      const sysdir = first.output;

      // Seed steps, visible in the result.
      const locore = readFileSync(path.join(sysdir, 'i386-xeno/i386/locore.s'), 'latin1');
      expect(locore).toContain('jmp\txen_start');
      expect(readFileSync(path.join(sysdir, 'i386-xeno/conf/files.i386-xeno'), 'latin1')).toMatch(/^i386-xeno\/i386\/pmap\.c/m);
      expect(readFileSync(path.join(sysdir, 'i386-xeno/include/pmap.h'), 'latin1')).toContain('XEN_HOLE_PDES');
      expect(readFileSync(path.join(sysdir, 'kern/tty_cons.c'), 'latin1')).toContain('xen_cnputc(c);');
      const pmap = readFileSync(path.join(sysdir, 'i386-xeno/i386/pmap.c'), 'latin1');
      if (mode === 'hypercall') expect(pmap).toMatch(/xen_pte_set\(/);
      else expect(pmap).toMatch(/XENO_BREAKPOINT\("pte-write", "sys\/i386\/i386\/pmap\.c:\d+"\)/);

      if (mode === 'hypercall') {
        // The clock runs on VIRQ_TIMER; the sites left trapping are the ones docs/pipeline.md lists.
        // Page tables pinned at the pmap's interface points; the linear map read-only; RMW through xen_pte_load.
        expect(pmap).toContain('xen_pt_pin(pmap->pm_pdir, 2);');
        expect(pmap).toMatch(/pmap_zero_page\(ptepa\);\n\txen_pt_pin_pa\(ptepa, 1\);/);
        expect(pmap).toContain('xen_pte_set(&APTDpde, (pd_entry_t)(frame | PG_V));');
        expect(pmap).toContain('xen_pt_copy(pmap->pm_pdir + KPTDI, PTD + KPTDI,');
        expect(pmap).not.toMatch(/xen_pte_set\(pte, \*pte/);
        expect(readFileSync(path.join(sysdir, 'i386-xeno/conf/GENERIC'), 'latin1')).toMatch(/^options \tXENOPORT_XEN$/m);
        const clock = readFileSync(path.join(sysdir, 'i386-xeno/isa/clock.c'), 'latin1');
        expect(clock).toContain('xen_timer_port = xen_bind_virq(VIRQ_TIMER);');
        expect(clock).toMatch(/cpu_initclocks\(\)\n\{\n#ifdef XENOPORT_XEN\n[^]*xen_clock_start\(\);\n\treturn;\n#endif\n/);
        const stubs = (first.stages.find((s) => s.kind === 'rewrite')?.notes ?? [])
          .filter((n) => n.includes('keeps a breakpoint stub'))
          .map((n) => n.split(': ').slice(0, 2).join(' '));
        expect(stubs).toEqual([
          'sys/i386/i386/locore.s:172 segment-load-stack',
          'sys/i386/i386/locore.s:176 far-transfer',
          'sys/i386/i386/locore.s:190 mov-to-cr0',
          'sys/i386/i386/locore.s:204 mov-to-cr4',
          'sys/i386/i386/support.s:389 segment-load-stack',
          'sys/i386/i386/support.s:397 far-transfer',
        ]);
      }

      const kernel = await buildXeno(sysdir, dir);
      expect(existsSync(kernel)).toBe(true);

      if (mode === 'hypercall') {
        // Step 3's check: put the alternate map back in the top slot and the build fails.
        const work = path.join(dir, 'vacheck');
        cpSync(sysdir, work, { recursive: true, dereference: true });
        const pmapH = path.join(work, 'i386-xeno/include/pmap.h');
        writeFileSync(pmapH, readFileSync(pmapH, 'latin1').replace(/(#define\s+APTDPTDI\s+)[^\n]*/, '$1(NPDEPG-1)'), 'latin1');
        mkdirSync(path.join(dir, 'vinc'), { recursive: true });
        symlinkSync(path.join(work, 'i386-xeno', 'include'), path.join(dir, 'vinc', 'machine'));
        const cc = await execa('gcc', ['-m32', '-ffreestanding', '-nostdinc', '-D_KERNEL', `-I${path.join(dir, 'vinc')}`, `-I${work}`, '-c', path.join(work, 'i386-xeno/i386/xen_vacheck.c'), '-o', path.join(dir, 'v.o')], { reject: false, all: true });
        expect(cc.exitCode).not.toBe(0);
        expect(cc.all).toMatch(/alternate page-table map lies in Xen\\?'s top 64 MB/);
      }

      // The diff creates i386-xeno and edits kern/: git and patch accept it in a copy.
      const copy = path.join(dir, 'copy');
      cpSync(path.join(KERNEL, 'sys'), path.join(copy, 'sys'), { recursive: true });
      const patchFile = path.join(dir, 'xeno.patch');
      writeFileSync(patchFile, Buffer.from(first.diff ?? '', 'latin1'));
      await execa('git', ['apply', '--check', patchFile], { cwd: copy });
      await execa('patch', ['-p1', '--dry-run', '-s', '-i', patchFile], { cwd: copy });
      await execa('patch', ['-p1', '-s', '-i', patchFile], { cwd: copy });
      const a = hashTree(path.join(copy, 'sys', 'i386-xeno'));
      expect(a).toBe(hashTree(path.join(sysdir, 'i386-xeno')));

      // Idempotent: the same run again changes nothing; rewriting the result changes nothing.
      const before = hashTree(sysdir);
      const second = await runPipeline(cfg, { scan: defaultScan, mode });
      expect(second.changed).toBe(false);
      expect(second.stages.filter((s) => s.ran)).toEqual([]);
      expect(hashTree(sysdir)).toBe(before);
      // SEL_KPL stays 0 in xenify's output: its guest API raises DPL 0 to 1 when it loads
      // the GDT (xen_lgdt_), so the selector rule is `rewrite`'s alone.
      const again = await rewriteTree({ root: sysdir, rules: cfg.rules, mode, ruleModes: { 'kernel-selector-privilege': 'leave' } });
      expect(again.changedFiles.filter((f) => f.startsWith('i386-xeno/'))).toEqual([]);

      expect(hashTree(cfg.source)).toBe(srcHash);
    }, 300_000);
  }
});
