/*
 * The native sample kernel through xenoport's own pipeline: config.sh's source list,
 * the C files through the C front end, the .s files through the GAS front end, linked
 * at 0xC0100000 virtual / 0x100000 physical with entry btext. Every failing file is
 * collected (not just the first) so a report can say precisely what is missing.
 */
import { readFileSync, existsSync } from 'node:fs';
import { execa } from 'execa';
import { join, resolve } from 'node:path';
// The compiler is loaded on first use: src/compile imports the engine (run mode), so a
// static import here would make emulate/index.ts -> pc -> compile -> emulate a cycle.
import { link } from '../../compile/link.js';
import type { LinkedImage } from '../../compile/image.js';
import type { IRModule } from '../../ir/index.js';
import { CompileError } from '../../errors.js';

export interface KernelBuild {
  image?: LinkedImage;
  modules: IRModule[];
  /** One line per file that did not compile, or the link error. */
  errors: string[];
  /** Deprecated (always empty): the assembly's absolute symbols are now in module.absolutes. */
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
    return { image: link(modules, { kind: 'kernel' }), modules, errors, absolutes };
  } catch (e) {
    return { modules, errors: [describe('link', e)], absolutes };
  }
}
