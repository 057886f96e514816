/*
 * `xenoport compile`: compiles kernel sources, C with xenoport's C front end (system
 * cpp, tree-sitter-c, lowering to IR) and .s with the GAS front end, and links them
 * into one IR image. The sources
 * come either from the command line (with gcc-style -I/-D) or, with --kernel, from
 * the kernel's own configuration (config.sh + the native Makefile's include path).
 * --emit ir prints the IR text; --no-link stops after compiling.
 */
import type { CommandModule } from 'yargs';
import { listOption } from '../options.js';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compileKernel, compileKernelImage, kernelConfig } from '../../compile/index.js';
import { UsageError } from '../../errors.js';
import { printModule, printModules, type IRModule } from '../../ir/index.js';

/** A kernel directory: one that holds its own config(8) stand-in. */
function isKernelDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory() && existsSync(path.join(p, 'config.sh'));
}

function countInstructions(modules: IRModule[]): { fns: number; ins: number } {
  const fns = modules.reduce((n, m) => n + m.funcs.length, 0);
  const ins = modules.reduce((n, m) => n + m.funcs.reduce((k, f) => k + f.blocks.reduce((j, b) => j + b.instrs.length, 0), 0), 0);
  return { fns, ins };
}

interface CompileArgs {
  files?: string[];
  I: string[];
  D: string[];
  kernel?: string;
  machine: string;
  conf: string;
  emit?: string;
  link?: boolean;
  entry?: string;
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile [files..]',
  describe: 'Compile kernel C files to IR (system cpp + xenoport C front end) and link them',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'C (and .s) source files' })
      .option('I', { ...listOption({ describe: 'include directory' }), default: [] })
      .option('D', { ...listOption({ describe: 'preprocessor define NAME[=VALUE]' }), default: [] })
      .option('kernel', { type: 'string', describe: 'kernel directory with config.sh and sys/ (takes its C files and include path)' })
      .option('machine', { type: 'string', default: 'i386', describe: 'with --kernel: the arch directory under sys/' })
      .option('conf', { type: 'string', default: 'GENERIC', describe: 'with --kernel: the kernel configuration' })
      .option('emit', { type: 'string', choices: ['ir'], describe: 'print the IR text' })
      .option('link', { type: 'boolean', describe: 'link the modules into one image (--no-link: compile only)' })
      .option('entry', { type: 'string', describe: 'entry symbol of the linked image (default btext)' })
      .example('$0 compile sample-kernel', 'compile and link the whole sample kernel (C and .s) into one IR image')
      .example('$0 compile sample-kernel --emit ir', 'print the linked kernel\'s IR text (it parses back identically)')
      .example('$0 compile -I sample-kernel/sys -I build/i386/include -D _KERNEL sys/kern/subr_prf.c --no-link', 'compile one file') as never,
  handler: async (args) => {
    const kernelDir = args.kernel ?? (args.files?.length === 1 && isKernelDir(args.files[0]!) ? args.files[0] : undefined);
    if (kernelDir && (args.link ?? true) && args.I.length === 0 && args.D.length === 0) {
      // The whole kernel, C and assembly, laid out by its own ld script.
      const build = await compileKernelImage(kernelDir, { machine: args.machine, conf: args.conf });
      if (args.emit === 'ir') {
        process.stdout.write(printModules(build.modules));
        return;
      }
      const { fns, ins } = countInstructions(build.modules);
      process.stdout.write(
        `compiled ${build.modules.length} files (C and assembly): ${fns} functions, ${ins} IR instructions, ` +
          `linked at 0x${(build.image.vbase >>> 0).toString(16)} virtual, 0x${(build.image.pbase >>> 0).toString(16)} physical (entry ${build.image.entryName})\n`,
      );
      return;
    }
    let files = args.files ?? [];
    let includeDirs = args.I;
    let defines = args.D;
    if (args.kernel) {
      const cfg = await kernelConfig(args.kernel, args.machine, args.conf);
      files = [...cfg.sources, ...files];
      includeDirs = [...cfg.includeDirs, ...includeDirs];
      defines = [...cfg.defines, ...defines];
    }
    if (files.length === 0) throw new UsageError('name C files to compile, or a kernel directory with --kernel');
    const link = args.link ?? true;
    const r = await compileKernel(files, { includeDirs, defines, link, entry: args.entry });
    if (args.emit === 'ir') {
      process.stdout.write(r.modules.length === 1 ? printModule(r.modules[0]!) : printModules(r.modules));
      return;
    }
    const { fns, ins } = countInstructions(r.modules);
    process.stdout.write(`compiled ${r.modules.length} files: ${fns} functions, ${ins} IR instructions${r.image ? `, linked (entry ${r.image.entryName})` : ''}\n`);
  },
};
