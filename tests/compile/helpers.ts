/* Helpers for the compile tests: compile C text through a temporary file. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFile, type CompileOptions } from '../../src/compile/index.js';
import { printModule, type IRModule } from '../../src/ir/index.js';

export const scratch = mkdtempSync(join(tmpdir(), 'xeno-cc-'));
let n = 0;

/** Writes files (name -> text) into a fresh directory; returns its path. */
export function writeTree(files: Record<string, string>): string {
  const dir = join(scratch, `t${n++}`);
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirp(p);
    writeFileSync(p, text);
  }
  return dir;
}

function mkdirp(file: string): void {
  mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true });
}

export async function compileText(text: string, opts: CompileOptions & { name?: string; headers?: Record<string, string> } = {}): Promise<IRModule> {
  const dir = writeTree({ [opts.name ?? 'test.c']: text, ...(opts.headers ?? {}) });
  return compileFile(join(dir, opts.name ?? 'test.c'), { ...opts, includeDirs: [dir, ...(opts.includeDirs ?? [])] });
}

export async function irOf(text: string, opts: CompileOptions = {}): Promise<string> {
  return printModule(await compileText(text, opts));
}
