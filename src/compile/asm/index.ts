/*
 * The GAS-subset front end's public face: AT&T assembly (`.s` files in the
 * `gcc -x assembler-with-cpp` style) -> IR module. `lowerAsm` takes text that is
 * already preprocessed (or needs no preprocessing); `lowerAsmFile` runs the system cpp
 * first, with the kernel's include layout (`machine/` -> sys/<arch>/include), and maps
 * every instruction back to the ORIGINAL file:line through cpp's line markers.
 * The supported subset and the lowering scheme are described in lower.ts.
 */
import { runTool } from '../tool-runner.js';
import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { makeTempDir, removeTempDir } from '../../temp-dir.js';
import path from 'node:path';
import { CompileError } from '../../errors.js';
import type { IRModule } from '../../ir/index.js';
import { verifyModule } from '../../ir/index.js';
import { mapLineMarkers, type Preprocessed } from '../cpp.js';
import { lowerStatements, type AbsoluteSymbol, type AsmLowerResult } from './lower.js';
import { parseStatements } from './syntax.js';

export type { AbsoluteSymbol, AsmLowerResult } from './lower.js';
export { parseStatements } from './syntax.js';
export type { Stmt, AsmOperand, Expr } from './ast.js';

export interface AsmOptions {
  /** Extra -I directories (searched after the kernel's). */
  includeDirs?: string[];
  /** -D NAME[=VALUE]; LOCORE and _KERNEL are always defined. */
  defines?: string[];
  /**
   * The kernel's `sys` directory (e.g. sample-kernel/sys): adds `-I sys`,
   * `-I sys/<arch>/include` and the `machine/` include prefix. Default: found by
   * walking up from the file to a directory named `sys`.
   */
  sysDir?: string;
  /** The MACHINE under sys/ (e.g. i386-xeno for the port); default: sys/<m>/ of the file, else i386. */
  arch?: string;
  cppPath?: string;
  /** Verify the module (default true). */
  verify?: boolean;
}

/** Lowers already-preprocessed text (lines map 1:1 to `fileName` unless `locOfLine` says otherwise). */
export function lowerAsmDetailed(text: string, fileName: string, locOfLine?: (line0: number) => { file: string; line: number }): AsmLowerResult {
  const stmts = parseStatements(text, locOfLine ?? ((l) => ({ file: fileName, line: l + 1 })));
  return lowerStatements(stmts, fileName);
}

/** Lowers preprocessed assembly text to a verified IR module. Throws CompileError with file:line:col. */
export function lowerAsm(text: string, fileName: string): IRModule {
  return verifyModule(lowerAsmDetailed(text, fileName).module);
}

function findSysDir(file: string): string | undefined {
  let d = path.dirname(path.resolve(file));
  for (;;) {
    if (path.basename(d) === 'sys') return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** The MACHINE a file under sys/ belongs to: sys/<m>/... when sys/<m>/include exists. */
function archOf(sys: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(sys), path.resolve(file)).split(path.sep);
  if (rel.length < 2 || rel[0] === '..') return undefined;
  return existsSync(path.join(sys, rel[0], 'include')) ? rel[0] : undefined;
}

/** Runs cpp in assembler-with-cpp mode with the kernel include layout. */
export async function preprocessAsm(file: string, opts: AsmOptions = {}): Promise<Preprocessed> {
  const sys = opts.sysDir ?? findSysDir(file);
  const arch = opts.arch ?? (sys ? archOf(sys, file) : undefined) ?? 'i386';
  const tmp = makeTempDir('xenoport-asm-');
  try {
    const args = ['-x', 'assembler-with-cpp', '-m32', '-nostdinc', '-D__XENOPORT__=1', '-DLOCORE', '-D_KERNEL'];
    let machineDir: string | undefined;
    if (sys) {
      machineDir = path.join(sys, arch, 'include');
      await symlink(path.resolve(machineDir), path.join(tmp, 'machine'));
      // As sample-kernel/Makefile: -I build/include (holding the machine link) -I sys -I sys/<arch>/include.
      args.push('-I', tmp, '-I', sys, '-I', machineDir);
    }
    for (const d of opts.includeDirs ?? []) args.push('-I', d);
    for (const d of opts.defines ?? []) args.push('-D', d);
    args.push(file);
    const r = await runTool(opts.cppPath ?? 'cpp', args);
    if (r.exitCode !== 0 || r.failed) {
      const first = (r.stderr || r.shortMessage || 'cpp failed').split('\n').find((l) => /error/.test(l)) ?? String(r.stderr);
      const m = /^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$/.exec(first ?? '');
      if (m) throw new CompileError(`preprocessor: ${m[4]}`, { span: { file: m[1], line: Number(m[2]), col: Number(m[3]) } });
      throw new CompileError(`preprocessor failed on ${file}: ${first}`, { span: { file, line: 1, col: 1 } });
    }
    const pre = mapLineMarkers(file, String(r.stdout));
    if (!machineDir) return pre;
    // Files reached through the temporary `machine` link are named by their real path.
    const prefix = path.join(tmp, 'machine') + path.sep;
    return {
      ...pre,
      locOfLine(l: number) {
        const loc = pre.locOfLine(l);
        return loc.file.startsWith(prefix) ? { file: path.join(machineDir!, loc.file.slice(prefix.length)), line: loc.line } : loc;
      },
    };
  } finally {
    removeTempDir(tmp);
  }
}

/** Preprocesses and lowers one .s file (the `.globl` absolute symbols are the module's `abs` definitions). */
export async function lowerAsmFileDetailed(file: string, opts: AsmOptions = {}): Promise<AsmLowerResult> {
  const pre = await preprocessAsm(file, opts);
  const r = lowerAsmDetailed(pre.text, file, (l) => pre.locOfLine(l));
  if (opts.verify ?? true) verifyModule(r.module);
  return r;
}

/** Preprocesses and lowers one .s file to a verified IR module. */
export async function lowerAsmFile(file: string, opts: AsmOptions = {}): Promise<IRModule> {
  return (await lowerAsmFileDetailed(file, opts)).module;
}

export type { AbsoluteSymbol as AsmAbsoluteSymbol };
