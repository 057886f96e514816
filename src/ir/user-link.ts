/*
 * The user-program linker: IR modules -> an XIR ELF executable (docs/xir-elf.md), the
 * file a kernel reads from its file system, maps into a process and runs in ring 3.
 * The layout is link()'s (text at 0x08048000 as FreeBSD's static ELF programs, data
 * and bss on their own pages), with each function's .text bytes its XIR encoding
 * (src/ir/xir.ts) and every relocation resolved: a static executable.
 *
 * Rules of the user-mode calling convention checked here (LinkError with the
 * instruction's file:line): a function may not write ebp (it is the frame base of
 * the temps every instruction addresses), and the run-mode sys_* intrinsics do not
 * exist for a program under a kernel (system calls are `int $0x80`).
 */
import { LinkError } from '../errors.js';
import type { IRFunction, IRModule } from './types.js';
import { verifyModule } from './verify.js';
import { frameLayout } from './xir.js';
import { encodeFunction } from './xir-encode.js';
import { PF_R, PF_W, PF_X, writeXirElf, type XirSegment, type XirSymbol } from './xir-elf.js';
import { link } from './link.js';
import type { LinkedImage } from './image.js';

export interface UserLinkOptions {
  /** Entry symbol; default `_start` (FreeBSD's crt1). */
  entry?: string;
  /** Load address of .text; default 0x08048000. */
  vaddr?: number;
}

/** The linked image of a user program (its functions span their XIR bytes) and the ELF file. */
export interface UserProgram {
  image: LinkedImage;
  elf: Uint8Array;
}

/** Links `modules` into an XIR ELF executable. Throws LinkError (with file:line) or IRError. */
export function linkUserProgram(modules: IRModule[], opts: UserLinkOptions = {}): Uint8Array {
  return buildUserProgram(modules, opts).elf;
}

/** linkUserProgram, also returning the linked image (symbol addresses, for tests and reports). */
export function buildUserProgram(modules: IRModule[], opts: UserLinkOptions = {}): UserProgram {
  const problems: string[] = [];
  for (const m of modules) {
    verifyModule(m);
    for (const f of m.funcs) checkUserFunction(m, f, problems);
  }
  if (problems.length) throw new LinkError(problems.length === 1 ? problems[0]! : `${problems.length} errors in user code: ${problems.join('; ')}`);

  // Encoded lengths do not depend on addresses, so they are known before layout.
  const lengths = new Map<IRFunction, number>();
  for (const m of modules) for (const f of m.funcs) lengths.set(f, encodeFunction(f, { kind: 'linked', addressOf: () => 0 }).bytes.length);
  const image = link(modules, {
    kind: 'program',
    entry: opts.entry ?? '_start',
    vaddr: opts.vaddr ?? 0x08048000,
    functionSize: (f) => lengths.get(f)!,
  });

  const [text, data, bss] = image.sections as [LinkedImage['sections'][number], LinkedImage['sections'][number], LinkedImage['sections'][number]];
  const textBytes = text.bytes.slice();
  for (const f of image.functions) {
    const { bytes } = encodeFunction(f.fn, { kind: 'linked', addressOf: (name) => f.refs.get(name)! }, frameLayout(f.fn));
    textBytes.set(bytes, (f.addr >>> 0) - (text.vaddr >>> 0));
  }
  const segments: XirSegment[] = [{ vaddr: text.vaddr, memsz: textBytes.length, flags: PF_R | PF_X, bytes: textBytes, section: '.text' }];
  const end = (bss.vaddr >>> 0) + bss.size;
  if (end > (data.vaddr >>> 0)) segments.push({ vaddr: data.vaddr, memsz: end - (data.vaddr >>> 0), flags: PF_R | PF_W, bytes: data.bytes, section: '.data', bssSize: bss.size || undefined });
  const symbols: XirSymbol[] = image.symbols.map((s) => ({
    name: s.name,
    value: s.addr,
    size: s.size,
    kind: s.kind === 'func' ? 'func' : 'object',
    global: s.exported,
    segment: s.section === '*ABS*' ? -1 : s.section === '.text' ? 0 : 1,
    bss: s.section === '.bss',
  }));
  return { image, elf: writeXirElf({ entry: image.entry, segments, symbols }) };
}

function checkUserFunction(m: IRModule, f: IRFunction, problems: string[]): void {
  for (const b of f.blocks)
    for (const i of b.instrs) {
      const where = `${(i.loc.file > 0 && m.files[i.loc.file - 1]) || m.name}:${i.loc.line}`;
      if (i.kind === 'wrreg' && i.reg === 'ebp')
        problems.push(`${where}: $${f.name} writes ebp, which user code may not do (ebp is the frame base of the function's temps in the user-mode calling convention)`);
      if (i.kind === 'intr' && i.name.startsWith('sys_'))
        problems.push(`${where}: $${f.name} uses the run-mode intrinsic ${i.name}; a program under a kernel makes system calls with \`intr int 128\` (int $0x80)`);
    }
}
