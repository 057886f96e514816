/*
 * Compiles kernel source files of a real tree with the system's gcc, as a
 * FreeBSD kernel build would, without the tree's own build: `gcc -m32 -c` with
 * -nostdinc, the tree and a scratch directory on the include path, `machine/`
 * and `x86/` pointing at the architecture's include directories, every
 * opt_*.h the files include created empty, and the *_if.h headers generated
 * by the tree's own makeobjops.awk / vnode_if.awk (also those a header
 * includes: a missing one is made and the file compiled again). The opt_*.h
 * headers say what the architecture's GENERIC configuration sets
 * (kernel-config.ts), and assym.s / *_assym.h are made by the tree's
 * genassym.sh from its compiled genassym.c, as the build makes them. gcc is
 * told it is FreeBSD's (`__FreeBSD__`, no `__linux__`), as the tree's own
 * compiler would. Files are compiled in a configuration (`-DXEN` or not); the
 * answer is per file: compiled, or the first error line.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { freebsdMajor, optionHeaderTexts } from './kernel-config.js';

export interface CompileSetup {
  /** The `sys` directory compiled against. */
  sys: string;
  /** Scratch directory: machine/, x86/, opt_*.h, *_if.h. */
  scratch: string;
  arch: string;
  /** opt_*.h name -> its text, from the configuration (absent: empty). */
  options: Map<string, string>;
  /** What the tree's own compiler predefines and a Linux gcc must not. */
  system: string[];
}

const GENERATED = /^(opt_\w+|\w+_if|vnode_if\w*|assym|\w+_assym|acpi_wakecode|acpi_wakedata)\.[hs]$/;

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
    for (const m of text.matchAll(/#\s*include\s+"([\w.]+)"/g)) if (GENERATED.test(m[1]!)) wanted.add(m[1]!);
  }
  const major = freebsdMajor(sys);
  const system = [...(major ? [`-D__FreeBSD__=${major}`] : []), '-U__linux__', '-U__linux', '-Ulinux', '-U__gnu_linux__'];
  const setup: CompileSetup = { sys, scratch, arch, options: optionHeaderTexts(sys, arch), system };
  for (const h of wanted) await provide(setup, h);
  return setup;
}

const interfaces = new Map<string, Map<string, string>>();

/** The genassym.c under sys/<arch> that genassym.sh makes `h` (assym.s, linux_assym.h) from. */
function genassymSource(setup: CompileSetup, h: string): string | undefined {
  const base = path.join(setup.sys, setup.arch);
  const name = `${h.replace(/assym\.[hs]$/, '')}genassym.c`;
  // i386/i386/genassym.c, i386/linux/linux_genassym.c; a port's i386-xeno/i386/ too.
  for (const dir of readdirSync(base, { withFileTypes: true })) {
    const c = path.join(base, dir.name, name);
    if (dir.isDirectory() && existsSync(c)) return c;
  }
  return undefined;
}

/**
 * Makes a generated header the kernel build would have made: `*_if.h` by the
 * tree's makeobjops.awk from its `.m` file, `vnode_if*.h` by vnode_if.awk,
 * `assym.s` and `*_assym.h` by genassym.sh from the compiled genassym.c, and an
 * option header (`opt_*.h`) with what the configuration sets in it. False when
 * `h` is none of those.
 */
async function provide(setup: CompileSetup, h: string): Promise<boolean> {
  const { sys, scratch } = setup;
  const at = path.join(scratch, h);
  if (existsSync(at)) return true;
  if (!GENERATED.test(h)) return false;
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
  if (/assym\.[hs]$/.test(h)) {
    const src = genassymSource(setup, h);
    const obj = path.join(scratch, h.replace(/\.[hs]$/, '.o'));
    // `-o`: the 7.x script writes through /dev/stdout, which a socket (node's pipe) refuses.
    if (src && (await compile(setup, src, [], obj)).ok) {
      const r = await execa('sh', [path.join(sys, 'kern', 'genassym.sh'), '-o', at, obj], { cwd: scratch, reject: false });
      if (r.exitCode === 0 && existsSync(at) && readFileSync(at, 'latin1').includes('#define')) return true;
    }
  }
  if (h === 'acpi_wakecode.h' || h === 'acpi_wakedata.h') {
    const made = await wakecode(setup);
    if (made) {
      writeFileSync(path.join(scratch, 'acpi_wakecode.h'), made.code);
      writeFileSync(path.join(scratch, 'acpi_wakedata.h'), made.data);
      return true;
    }
  }
  writeFileSync(at, h.startsWith('opt_') ? (setup.options.get(h) ?? '') : '');
  return true;
}

/**
 * The ACPI wake-up code as the build embeds it: acpi_wakecode.S assembled, its
 * bytes as file2c prints them (`static char wakecode[] = { ... };`), and its
 * symbols' offsets from `nm -n --defined-only` as #defines, in acpi_wakedata.h
 * (9.x) and, where the tree's genwakecode.sh says so, in acpi_wakecode.h too (6.x, 7.x).
 */
async function wakecode(setup: CompileSetup): Promise<{ code: string; data: string } | undefined> {
  const dir = path.join(setup.sys, setup.arch, 'acpica');
  const src = path.join(dir, 'acpi_wakecode.S');
  const obj = path.join(setup.scratch, 'acpi_wakecode.o');
  const bin = path.join(setup.scratch, 'acpi_wakecode.bin');
  if (!existsSync(src) || !(await compile(setup, src, [], obj)).ok) return undefined;
  if ((await execa('objcopy', ['-S', '-O', 'binary', obj, bin], { reject: false })).exitCode !== 0) return undefined;
  const nm = await execa('nm', ['-n', '--defined-only', obj], { reject: false });
  const data = nm.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length === 3).map(([offset, , what]) => `#define\t${what}\t0x${offset}\n`).join('');
  const bytes = [...readFileSync(bin)].join(',');
  const code = `static char wakecode[] = {\n${bytes}\n};\n${existsSync(path.join(dir, 'genwakecode.sh')) ? data : ''}`;
  return { code, data };
}

/*
 * binutils of the 6.x-7.x era (2.15) took an `l` suffix on a move between a
 * segment register and memory and assembled the 16-bit move; today's rejects it
 * ("operand type mismatch for `mov'"). A file that fails so is compiled again
 * with exactly those moves spelled `movw`, in the original and the port alike.
 */
const SEG_TO_MEM = /\bmovl(\s+%[cdefgs]s\s*,\s*)(?=[^%\s])/g;
const MEM_TO_SEG = /\bmovl(\s+[^%\s,;][^,;\n]*,\s*%[cdefgs]s\b)/g;
const oldSegmentMoves = (asm: string): string => asm.replace(SEG_TO_MEM, 'movw$1').replace(MEM_TO_SEG, 'movw$1');

/** Numbers the respelled copies, unique while two compiles run at once. */
let seq = 0;

export interface CompileResult {
  file: string;
  ok: boolean;
  error?: string;
}

/** Compiles one file (C or assembly) with `defines` added, to `out`; never throws. */
export async function compile(setup: CompileSetup, file: string, defines: string[], out = '/dev/null'): Promise<CompileResult> {
  const asm = /\.[sS]$/.test(file);
  const args = [
    ...FLAGS,
    ...setup.system,
    ...(asm ? ['-x', 'assembler-with-cpp', '-DLOCORE'] : ['-include', 'opt_global.h']),
    `-I${setup.scratch}`,
    `-I${setup.sys}`,
    `-I${path.join(setup.sys, 'contrib', 'altq')}`,
    ...defines,
    file,
    '-o',
    out,
  ];
  const gcc = (a: string[]) => execa('gcc', a, { cwd: setup.scratch, reject: false, timeout: 120_000 });
  let r = await gcc(args);
  // A generated header included from a header (sys/bus.h's device_if.h, vm_page.h's
  // opt_vmpage.h): made the way the build makes it, then the file is compiled again.
  for (let tries = 0; r.exitCode !== 0 && tries < 16; tries++) {
    const missing = /fatal error: ([\w.]+): No such file or directory/.exec(String(r.stderr))?.[1];
    if (!missing || !(await provide(setup, missing))) break;
    r = await gcc(args);
  }
  if (r.exitCode !== 0 && String(r.stderr).includes("operand type mismatch for `mov'")) {
    // Preprocessed (assembly) or compiled to assembly (C), the moves respelled, then assembled.
    const tmp = path.join(setup.scratch, `${path.basename(file)}.${process.pid}.${seq++}.s`);
    const first = await gcc([...args.slice(0, -2).map((a) => (a === '-c' ? (asm ? '-E' : '-S') : a)), '-o', tmp]);
    if (first.exitCode === 0) {
      writeFileSync(tmp, oldSegmentMoves(readFileSync(tmp, 'latin1')), 'latin1');
      r = await gcc(['-m32', '-c', '-x', 'assembler', tmp, '-o', out]);
      rmSync(tmp, { force: true });
    }
  }
  if (r.exitCode === 0) return { file, ok: true };
  const first = String(r.stderr).split('\n').find((l) => /error/i.test(l)) ?? String(r.stderr).split('\n')[0];
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
