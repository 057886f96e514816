/*
 * Compiles kernel source files of a real tree with the system's gcc, as a
 * FreeBSD kernel build would, without the tree's own build: `gcc -m32 -c` with
 * -nostdinc, the tree and a scratch directory on the include path, `machine/`
 * and `x86/` pointing at the architecture's include directories, every
 * opt_*.h the files include created empty, and the *_if.h headers generated
 * by the tree's own makeobjops.awk / vnode_if.awk (also those a header
 * includes: a missing one is made and the file compiled again); opt_isa.h
 * says DEV_ISA, as GENERIC's does. Files are compiled in a
 * configuration (`-DXEN` or not); the answer is per file: compiled, or the
 * first error line.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface CompileSetup {
  /** The `sys` directory compiled against. */
  sys: string;
  /** Scratch directory: machine/, x86/, opt_*.h, *_if.h. */
  scratch: string;
  arch: string;
}

const FLAGS = [
  '-m32', '-c', '-O', '-pipe', '-fno-strict-aliasing', '-nostdinc', '-std=gnu99', '-ffreestanding', '-fno-common',
  '-mno-mmx', '-mno-sse', '-msoft-float', '-mpreferred-stack-boundary=2', '-D_KERNEL', '-DHAVE_KERNEL_OPTION_HEADERS',
  // Old sources and a new compiler: what gcc 12 makes an error by default, a 2010 gcc took.
  '-w', '-fcommon', '-fgnu89-inline',
];

/** Every `*.m` interface file of the tree, by base name. */
function interfaceFiles(sys: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name.endsWith('_if.m') && !out.has(e.name)) out.set(e.name, p);
    }
  };
  for (const d of ['kern', 'dev', 'net', 'geom', 'cam', 'opencrypto', 'isa', 'x86', 'vm', 'security']) if (existsSync(path.join(sys, d))) walk(path.join(sys, d), 0);
  return out;
}

/** Prepares the scratch directory for compiling `files` (absolute paths) against `sys`. */
export async function prepare(sys: string, arch: string, scratch: string, files: string[]): Promise<CompileSetup> {
  mkdirSync(scratch, { recursive: true });
  const link = (name: string, to: string): void => {
    const at = path.join(scratch, name);
    if (!existsSync(at) && existsSync(to)) symlinkSync(to, at);
  };
  link('machine', path.join(sys, arch, 'include'));
  link('x86', path.join(sys, 'x86', 'include'));
  const wanted = new Set<string>(['opt_global.h']);
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    for (const m of text.matchAll(/#\s*include\s+"((?:opt_\w+|\w+_if|vnode_if\w*|assym|acpi_wakecode|acpi_wakedata)\.[hs])"/g)) wanted.add(m[1]);
  }
  const setup: CompileSetup = { sys, scratch, arch };
  for (const h of wanted) await provide(setup, h);
  return setup;
}

const interfaces = new Map<string, Map<string, string>>();

/**
 * Makes a generated header the kernel build would have made: `*_if.h` by the
 * tree's makeobjops.awk from its `.m` file, `vnode_if*.h` by vnode_if.awk, and
 * an option header (`opt_*.h`) empty. False when `h` is none of those.
 */
async function provide(setup: CompileSetup, h: string): Promise<boolean> {
  const { sys, scratch } = setup;
  const at = path.join(scratch, h);
  if (existsSync(at)) return true;
  if (!/^(opt_\w+|\w+_if|vnode_if\w*|assym|acpi_wakecode|acpi_wakedata)\.[hs]$/.test(h)) return false;
  if (/^\w+_if\.h$/.test(h)) {
    if (!interfaces.has(sys)) interfaces.set(sys, interfaceFiles(sys));
    const m = interfaces.get(sys)!.get(h.replace(/\.h$/, '.m'));
    if (m) {
      await execa('awk', ['-f', path.join(sys, 'tools', 'makeobjops.awk'), m, '-h'], { cwd: scratch, reject: false });
      if (existsSync(at)) return true;
    }
  }
  if (h.startsWith('vnode_if')) {
    for (const flag of ['-h', '-p', '-q']) await execa('awk', ['-f', path.join(sys, 'tools', 'vnode_if.awk'), path.join(sys, 'kern', 'vnode_if.src'), flag], { cwd: scratch, reject: false });
    if (existsSync(at)) return true;
  }
  // GENERIC's `device isa` (ISA port constants such as IO_RTC are under DEV_ISA); other options off.
  writeFileSync(at, h === 'opt_isa.h' ? '#define\tDEV_ISA\t1\n' : '');
  return true;
}

export interface CompileResult {
  file: string;
  ok: boolean;
  error?: string;
}

/** Compiles one file (C or assembly) with `defines` added; never throws. */
export async function compile(setup: CompileSetup, file: string, defines: string[]): Promise<CompileResult> {
  const asm = /\.[sS]$/.test(file);
  const args = [
    ...FLAGS,
    ...(asm ? ['-x', 'assembler-with-cpp', '-DLOCORE'] : ['-include', 'opt_global.h']),
    `-I${setup.scratch}`,
    `-I${setup.sys}`,
    `-I${path.join(setup.sys, 'contrib', 'altq')}`,
    ...defines,
    file,
    '-o',
    '/dev/null',
  ];
  let r = await execa('gcc', args, { cwd: setup.scratch, reject: false, timeout: 120_000 });
  // A generated header included from a header (sys/bus.h's device_if.h, vm_page.h's
  // opt_vmpage.h): made the way the build makes it, then the file is compiled again.
  for (let tries = 0; r.exitCode !== 0 && tries < 16; tries++) {
    const missing = /fatal error: ([\w.]+): No such file or directory/.exec(String(r.stderr))?.[1];
    if (!missing || !(await provide(setup, missing))) break;
    r = await execa('gcc', args, { cwd: setup.scratch, reject: false, timeout: 120_000 });
  }
  if (r.exitCode === 0) return { file, ok: true };
  const first = String(r.stderr).split('\n').find((l) => /error/.test(l)) ?? String(r.stderr).split('\n')[0];
  return { file, ok: false, error: first?.slice(0, 300) };
}

/** Compiles files two at a time (the machine's two cores). */
export async function compileAll(setup: CompileSetup, files: string[], defines: string[]): Promise<CompileResult[]> {
  const out: CompileResult[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) out[i] = await compile(setup, files[i], defines);
  };
  await Promise.all([worker(), worker()]);
  return out;
}
