/*
 * The native sample kernel through xenoport's own pipeline: config.sh's source list,
 * the C files through the C front end, the .s files through the GAS front end, linked
 * at 0xC0100000 virtual / 0x100000 physical with entry btext. Every failing file is
 * collected (not just the first) so a report can say precisely what is missing.
 *
 * Two things the linker does not do yet are done here after linking: the assembly's
 * `.globl` absolute symbols (`.set PTmap, ...`) and the linker script's etext, edata
 * and end (ldscript.i386: end of .text, of .data and of .bss, 4-aligned). They are
 * linked as zero-size placeholders, then every reference (function refs, data
 * relocations, the symbol table) is patched to the real value. (Wanted in link.ts:
 * absolute symbols in the IR or LinkOptions, and script symbols.)
 */
import { readFileSync, existsSync } from 'node:fs';
import { execa } from 'execa';
import { join, resolve } from 'node:path';
// The compiler is loaded on first use: src/compile imports the engine (run mode), so a
// static import here would make emulate/index.ts -> pc -> compile -> emulate a cycle.
import { link } from '../../compile/link.js';
import type { LinkedImage } from '../../compile/image.js';
import { dataItemSize, type IRModule } from '../../ir/index.js';
import { CompileError } from '../../errors.js';

export interface KernelBuild {
  image?: LinkedImage;
  modules: IRModule[];
  /** One line per file that did not compile, or the link error. */
  errors: string[];
  /** `.globl` absolute symbols of the assembly (PTmap, PTD...), which the IR cannot define. */
  absolutes: { name: string; value: number }[];
}

function describe(file: string, e: unknown): string {
  if (e instanceof CompileError || (e instanceof Error && 'where' in e && typeof (e as { where: unknown }).where === 'function')) {
    return (e as CompileError).where();
  }
  return `${file}: ${e instanceof Error ? e.message : String(e)}`;
}

/** COPTS of config.sh (-DDEV_SIO for "device sio", -DX=v for "options X=v"), as NAME[=VALUE]. */
async function configOptions(kernelDir: string, machine: string, conf: string): Promise<string[]> {
  const dir = resolve(kernelDir);
  const r = await execa('sh', [join(dir, 'config.sh'), join(dir, 'sys'), machine, conf], { reject: false, cwd: dir });
  const m = /^COPTS\s*=\s*(.*)$/m.exec(String(r.stdout));
  if (!m) return [];
  return m[1]!.trim().split(/\s+/).filter((o) => o.startsWith('-D')).map((o) => o.slice(2));
}

/** SYSTEM_SFILES of sys/<machine>/conf/Makefile.<machine> (locore.s: linked first, not in config.sh's list). */
function systemSFiles(kernelDir: string, machine: string): string[] {
  const sys = join(resolve(kernelDir), 'sys');
  const mk = join(sys, machine, 'conf', `Makefile.${machine}`);
  if (!existsSync(mk)) return [];
  const m = /^SYSTEM_SFILES\s*=\s*(.*)$/m.exec(readFileSync(mk, 'utf8'));
  if (!m) return [];
  return m[1]!.trim().split(/\s+/).map((f) => f.replace(/^\$S\//, sys + '/'));
}

/** Compiles and links the kernel in `kernelDir` (a directory with config.sh and sys/). Never throws for compile errors. */
export async function buildKernelImage(kernelDir: string, machine = 'i386', conf = 'GENERIC'): Promise<KernelBuild> {
  const { compileKernel, kernelConfig } = await import('../../compile/index.js');
  const { lowerAsmFileDetailed } = await import('../../compile/asm/index.js');
  const cfg = await kernelConfig(kernelDir, machine, conf);
  const modules: IRModule[] = [];
  const errors: string[] = [];
  const absolutes: { name: string; value: number }[] = [];
  const copts = await configOptions(kernelDir, machine, conf);
  for (const f of [...systemSFiles(kernelDir, machine), ...cfg.asmFiles]) {
    try {
      const r = await lowerAsmFileDetailed(f, { arch: machine, defines: copts });
      modules.push(r.module);
      absolutes.push(...r.absolutes.map((a) => ({ name: a.name, value: a.value })));
    } catch (e) {
      errors.push(describe(f, e));
    }
  }
  for (const f of cfg.cFiles) {
    try {
      const r = await compileKernel([f], { includeDirs: cfg.includeDirs, defines: [...cfg.defines, ...copts], link: false });
      modules.push(...r.modules);
    } catch (e) {
      errors.push(describe(f, e));
    }
  }
  if (errors.length) return { modules, errors, absolutes };
  try {
    return { image: linkWithScriptSymbols(modules, absolutes), modules, errors, absolutes };
  } catch (e) {
    return { modules, errors: [describe('link', e)], absolutes };
  }
}

/** Links with placeholders for absolute and linker-script symbols, then patches their values in. */
export function linkWithScriptSymbols(modules: IRModule[], absolutes: { name: string; value: number }[]): LinkedImage {
  const defined = new Set(modules.flatMap((m) => [...m.funcs.filter((f) => f.export).map((f) => f.name), ...m.data.filter((d) => d.export).map((d) => d.name)]));
  const names = [...new Set([...absolutes.map((a) => a.name), 'etext', 'edata', 'end'])].filter((n) => !defined.has(n));
  const synth: IRModule = {
    name: '<linker script>',
    files: [],
    funcs: [],
    data: names.map((name) => ({ name, export: true, align: 1, items: [{ kind: 'zero' as const, size: 0 }] })),
  };
  const img = link([...modules, synth], { kind: 'kernel' });
  const text = img.sections.find((s) => s.name === '.text')!;
  const data = img.sections.find((s) => s.name === '.data')!;
  const align4 = (x: number): number => Math.ceil(x / 4) * 4;
  const values = new Map<string, number>();
  for (const a of absolutes) if (names.includes(a.name)) values.set(a.name, a.value | 0);
  if (names.includes('etext')) values.set('etext', (text.vaddr + text.size) | 0);
  if (names.includes('edata')) values.set('edata', align4(data.vaddr + data.size) | 0);
  if (names.includes('end')) values.set('end', align4(img.vend) | 0);
  for (const f of img.functions) for (const [n, v] of values) if (f.refs.has(n)) f.refs.set(n, v);
  for (const sym of img.symbols) if (sym.module === synth.name && values.has(sym.name)) sym.addr = values.get(sym.name)!;
  // Data relocations naming a patched symbol (module-local definitions would shadow; none do here).
  for (const m of modules) {
    for (const d of m.data) {
      if (!d.items.some((it) => it.kind === 'symbol' && values.has(it.name))) continue;
      const sym = img.symbols.find((s) => s.name === d.name && s.module === m.name && s.kind === 'data');
      const sec = sym && img.sections.find((s) => s.name === sym.section);
      if (!sym || !sec) continue;
      const dv = new DataView(sec.bytes.buffer, sec.bytes.byteOffset, sec.bytes.length);
      let off = (sym.addr >>> 0) - (sec.vaddr >>> 0);
      for (const it of d.items) {
        if (it.kind === 'symbol' && values.has(it.name)) dv.setUint32(off, (values.get(it.name)! + it.offset) >>> 0, true);
        off += dataItemSize(it);
      }
    }
  }
  return img;
}
