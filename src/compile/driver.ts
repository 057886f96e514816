/*
 * The compiler driver, a flat list of passes: cpp (system, via execa) → tree-sitter-c
 * parse → lowering to one IR module per file → link. `compileProgram` adds our libc
 * (src/compile/libc, compiled by this same compiler, cached per process) and links
 * an ordinary program whose entry is the libc's __xeno_start; `compileKernel` links
 * the given files as a kernel image.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import type { IRModule } from '../ir/index.js';
import { preprocess, type CppOptions, type Preprocessed } from './cpp.js';
import { lowerUnit } from './lower.js';
import { parseWithRepairs } from './repair.js';
import { link } from '../ir/index.js';
import { lowerAsmFile } from './asm/index.js';
import type { LinkedImage } from '../ir/index.js';

export interface CompileOptions {
  includeDirs?: string[];
  defines?: string[];
  cppPath?: string;
}

let parser: Parser | undefined;
function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  return parser;
}

/** Parses preprocessed text (exposed for tests and for the dump flags). */
export function parseC(pp: Preprocessed): Parser.Tree {
  return getParser().parse((index: number) => (index < pp.text.length ? pp.text.slice(index, index + 65536) : null));
}

/** Lowers already-preprocessed text to an IR module. */
export function compilePreprocessed(pp: Preprocessed, moduleName = pp.file): IRModule {
  const parsed = parseWithRepairs(pp, parseC);
  return lowerUnit(parsed.pp, parsed.tree, moduleName);
}

/** cpp + parse + lower for one file. Throws CompileError with the original file:line:col. */
export async function compileFile(file: string, opts: CompileOptions = {}): Promise<IRModule> {
  const cppOpts: CppOptions = { includeDirs: opts.includeDirs, defines: opts.defines, cppPath: opts.cppPath, nostdinc: true };
  const pp = await preprocess(file, cppOpts);
  return compilePreprocessed(pp, file);
}

/** The directory holding the libc sources (works from src/ and from dist/src/). */
export function libcDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'libc'), resolve(here, '../../../src/compile/libc')];
  for (const c of candidates) if (existsSync(join(c, 'include', 'stdio.h'))) return c;
  return candidates[0];
}

export const LIBC_FILES = ['crt0.c', 'stdio.c', 'stdlib.c', 'string.c', 'ctype.c'];

let libcCache: Promise<IRModule[]> | undefined;
/** The libc's IR modules, compiled once per process. */
export function libcModules(): Promise<IRModule[]> {
  if (!libcCache) {
    const dir = libcDir();
    libcCache = Promise.all(LIBC_FILES.map((f) => compileFile(join(dir, f), { includeDirs: [join(dir, 'include'), dir] })));
    libcCache.catch(() => { libcCache = undefined; });
  }
  return libcCache;
}

export interface ProgramBuild { modules: IRModule[]; image: LinkedImage }

/** Compiles a user program with our libc headers and links it with the libc. */
export async function compileProgram(files: string[], opts: CompileOptions = {}): Promise<ProgramBuild> {
  const inc = join(libcDir(), 'include');
  const mods = await Promise.all(files.map((f) => compileFile(f, { ...opts, includeDirs: [...(opts.includeDirs ?? []), inc] })));
  const libc = await libcModules();
  const modules = [...mods, ...libc];
  return { modules, image: link(modules, { kind: 'program', entry: '__xeno_start' }) };
}

/**
 * Compiles kernel sources (given -I/-D) and links them as one kernel image. `.s`/`.S`
 * files go to the GAS front end (src/compile/asm), C files to this one.
 */
export async function compileKernel(files: string[], opts: CompileOptions & { entry?: string; link?: boolean } = {}): Promise<{ modules: IRModule[]; image?: LinkedImage }> {
  const modules: IRModule[] = [];
  for (const f of files) {
    if (/\.[sS]$/.test(f)) modules.push(await lowerAsmFile(f, { includeDirs: opts.includeDirs, defines: opts.defines, cppPath: opts.cppPath }));
    else modules.push(await compileFile(f, opts));
  }
  if (opts.link === false) return { modules };
  return { modules, image: link(modules, { kind: 'kernel', entry: opts.entry }) };
}
