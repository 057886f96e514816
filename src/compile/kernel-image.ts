/*
 * The whole kernel as one IR image, built the way the native Makefile builds it:
 * - the configuration from the C front end's `kernelConfig` (config.sh's source list
 *   with SYSTEM_SFILES, locore.s, first; the Makefile's include path, -D_KERNEL and
 *   the configuration's COPTS, which the Makefile adds to CFLAGS, not to ASFLAGS);
 * - every C file through the C front end (`compileFile`), every .s file through the
 *   GAS front end (src/compile/asm), in link order;
 * - the link as sys/<machine>/conf/Makefile.<machine>'s LDSCRIPT says: its ENTRY, its
 *   load address (`. = 0xC0100000`) and physical address (`AT(ADDR(.text) - KERNBASE)`),
 *   and its `name = .;` symbols after .text/.data/.bss (etext, edata, end), read from
 *   the script itself (readLdScript).
 * Every file that fails is reported (not just the first): one CompileError listing
 * each failure as file:line:col: message. Undefined or duplicate symbols are the
 * linker's LinkError, naming the symbol and who refers to it or defines it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CompileError, LinkError, XenoportError } from '../errors.js';
import type { IRModule } from '../ir/index.js';
import { lowerAsmFile } from './asm/index.js';
import { compileFile } from './driver.js';
import type { LinkedImage } from '../ir/index.js';
import { kernelConfig } from './kernel-config.js';
import type { UnitCache } from './unit-cache.js';
import { KERNEL_SCRIPT_SYMBOLS, link, type SectionMark } from '../ir/index.js';

export interface KernelImageOptions {
  /** The arch directory under sys/ (default i386). */
  machine?: string;
  /** The configuration under sys/<machine>/conf (default GENERIC). */
  conf?: string;
  cppPath?: string;
  /** Keeps compiled C units between builds (src/compile/unit-cache.ts). */
  cache?: UnitCache;
}

/** What the ld script says about the link. */
export interface KernelLayout {
  /** The script that was read, if any. */
  script?: string;
  entry: string;
  vaddr: number;
  paddr: number;
  /** Symbols the script defines (`name = .;` after an output section). */
  provide: Record<string, SectionMark>;
}

export interface KernelImageBuild {
  /** One module per source file, in link order (locore.s first). */
  modules: IRModule[];
  image: LinkedImage;
  layout: KernelLayout;
  /** The source files, in link order (modules[i] comes from files[i]). */
  files: string[];
  /** -D flags the C files were compiled with (without the leading -D). */
  defines: string[];
}

const DEFAULT_LAYOUT: KernelLayout = { entry: 'btext', vaddr: 0xc0100000, paddr: 0x100000, provide: { ...KERNEL_SCRIPT_SYMBOLS } };

/**
 * Reads the parts of a GNU ld script a kernel image needs (the subset ldscript.i386
 * uses): ENTRY(sym), the first `. = ADDR;`, `AT(ADDR(.text) - OFFSET)`, and `sym = .;`
 * between output sections. Anything it cannot place is a LinkError naming it.
 */
export function readLdScript(file: string): KernelLayout {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const num = (s: string): number => Number(s) >>> 0;
  const entry = /\bENTRY\s*\(\s*([A-Za-z_.$][\w.$]*)\s*\)/.exec(text)?.[1] ?? DEFAULT_LAYOUT.entry;
  const dot = /(?:^|[;{}\s])\.\s*=\s*(0[xX][0-9a-fA-F]+|\d+)\s*;/.exec(text);
  const vaddr = dot ? num(dot[1]!) : DEFAULT_LAYOUT.vaddr;
  const at = /\.text\s*:\s*AT\s*\(\s*ADDR\s*\(\s*\.text\s*\)\s*-\s*(0[xX][0-9a-fA-F]+|\d+)\s*\)/.exec(text);
  const paddr = at ? (vaddr - num(at[1]!)) >>> 0 : vaddr;
  // Walk SECTIONS at brace depth 1: output section headers and `name = .;` assignments.
  const provide: Record<string, SectionMark> = {};
  const secStart = /\bSECTIONS\s*\{/.exec(text);
  if (secStart) {
    let depth = 1;
    let last: string | undefined;
    const lineOf = (i: number): number => text.slice(0, i).split('\n').length;
    const re = /([{}])|(\/DISCARD\/|\.[A-Za-z_][\w.]*)\s*:|\b([A-Za-z_][\w]*)\s*=\s*\.\s*;/g;
    re.lastIndex = secStart.index + secStart[0].length;
    for (let m; depth > 0 && (m = re.exec(text)); ) {
      if (m[1] === '{') depth++;
      else if (m[1] === '}') depth--;
      else if (m[2] && depth === 1) last = m[2];
      else if (m[3] && depth === 1) {
        const mark: SectionMark | undefined =
          last === undefined ? 'text-start' : last === '.text' ? 'text-end' : last === '.data' ? 'data-end' : last === '.bss' ? 'bss-end' : undefined;
        if (!mark) throw new LinkError(`ld script symbol ${m[3]} follows output section ${last}, which the IR image has no end of`, { span: { file, line: lineOf(m.index), col: 1 } });
        provide[m[3]] = mark;
      }
    }
  }
  return { script: file, entry, vaddr, paddr, provide: Object.keys(provide).length ? provide : { ...DEFAULT_LAYOUT.provide } };
}

/** The LDSCRIPT named by sys/<machine>/conf/Makefile.<machine> (`$S/...`), if it exists. */
function ldScriptOf(sys: string, machine: string): string | undefined {
  const mk = path.join(sys, machine, 'conf', `Makefile.${machine}`);
  if (!existsSync(mk)) return undefined;
  const m = /^LDSCRIPT\s*=\s*(\S+)/m.exec(readFileSync(mk, 'utf8'));
  const f = m?.[1]?.replace(/^\$S\//, `${sys}/`).replace(/^\$\{S\}\//, `${sys}/`);
  return f && existsSync(f) ? f : undefined;
}

function describe(file: string, e: unknown): string {
  if (e instanceof XenoportError) return e.span ? e.where() : `${file}: ${e.message}`;
  return `${file}: ${e instanceof Error ? e.message : String(e)}`;
}

/** What every source of the kernel compiled to, and the files that failed. */
async function compileSources(kernelDir: string, opts: KernelImageOptions) {
  const machine = opts.machine ?? 'i386';
  const conf = opts.conf ?? 'GENERIC';
  const sys = path.join(path.resolve(kernelDir), 'sys');
  const cfg = await kernelConfig(kernelDir, machine, conf);
  const files = cfg.sources;
  const defines = cfg.defines;
  const modules: IRModule[] = [];
  const failures: { file: string; error: XenoportError }[] = [];
  const session = opts.cache && (await opts.cache.session(sys));
  const cOpts = { includeDirs: cfg.includeDirs, defines, cppPath: opts.cppPath };
  const asmOpts = { sysDir: sys, arch: machine, cppPath: opts.cppPath };
  // A few files at a time: one file's cpp runs while another is lowered; results in file order.
  const results: ({ m: IRModule } | { e: XenoportError })[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < files.length; k = next++) {
      const f = files[k]!;
      try {
        if (/\.[sS]$/.test(f)) results[k] = { m: session ? await session.compileAsm(f, asmOpts) : await lowerAsmFile(f, asmOpts) };
        else results[k] = { m: session ? await session.compile(f, cOpts) : await compileFile(f, cOpts) };
      } catch (e) {
        if (!(e instanceof XenoportError)) throw e;
        results[k] = { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, worker));
  results.forEach((r, k) => ('m' in r ? modules.push(r.m) : failures.push({ file: files[k]!, error: r.e })));
  return { sys, machine, files, defines, modules, failures };
}

function linkKernel(sys: string, machine: string, modules: IRModule[]): { image: LinkedImage; layout: KernelLayout } {
  const script = ldScriptOf(sys, machine);
  const layout = script ? readLdScript(script) : DEFAULT_LAYOUT;
  const image = link(modules, { kind: 'kernel', entry: layout.entry, vaddr: layout.vaddr, paddr: layout.paddr, provide: layout.provide });
  return { image, layout };
}

/**
 * Compiles and links the kernel in `kernelDir` (a directory with config.sh and sys/).
 * Throws CompileError listing every file that failed, or LinkError.
 */
export async function compileKernelImage(kernelDir: string, opts: KernelImageOptions = {}): Promise<KernelImageBuild> {
  const { sys, machine, files, defines, modules, failures } = await compileSources(kernelDir, opts);
  if (failures.length === 1) throw failures[0]!.error;
  if (failures.length) throw new CompileError(`${failures.length} files failed: ${failures.map((x) => describe(x.file, x.error)).join('; ')}`);
  const { image, layout } = linkKernel(sys, machine, modules);
  return { modules, image, layout, files, defines };
}

/** A kernel build that never throws for the kernel's own mistakes: the image, or every error. */
export interface KernelBuild {
  image?: LinkedImage;
  modules: IRModule[];
  /** One line per file that did not compile (file:line:col: message), or the link error. */
  errors: string[];
}

/** compileKernelImage for callers that report rather than stop (boot, the port loop). */
export async function buildKernelImage(kernelDir: string, machine = 'i386', conf = 'GENERIC', cache?: UnitCache): Promise<KernelBuild> {
  const { sys, modules, failures } = await compileSources(kernelDir, { machine, conf, cache });
  if (failures.length) return { modules, errors: failures.map((x) => describe(x.file, x.error)) };
  try {
    return { image: linkKernel(sys, machine, modules).image, modules, errors: [] };
  } catch (e) {
    if (!(e instanceof XenoportError)) throw e;
    return { modules, errors: [e.where()] };
  }
}
