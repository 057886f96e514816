/*
 * Seed step 2, the arch tree: copy `<arch>/` to the target, then retarget the
 * makefiles, kernel configs, linker script and include paths to it (and append the
 * minimal OS's files and the Xen build options).
 */
import path from 'node:path';
import { PipelineError } from '../errors.js';
import { emptyResult, replaceAll, type StageInput, type StageResult } from './stage-common.js';
import { frontEnds, xenDriverFileList } from './xen-drivers.js';

/** Step 2: copy the arch tree. */
export function copyArch(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = emptyResult();
  for (const f of tree.files) {
    if (f.startsWith(`${config.arch}/`)) r.copies.push({ from: f, to: `${config.target}/${f.slice(config.arch.length + 1)}` });
  }
  if (r.copies.length === 0) throw new PipelineError(`the source tree has no ${config.arch}/ directory to copy`, { span: { file: config.file, line: input.stage.line, col: 1 } });
  r.summary = `copied ${r.copies.length} files from ${config.arch}/ to ${config.target}/`;
  return r;
}

/**
 * Step 2: makefiles, kernel config and include paths. files.<arch> becomes
 * files.<target> with the target's paths; `machine <arch>` becomes the target;
 * `<arch>/` paths in the target's conf files and Makefiles, and `#include`s of
 * `<arch>/...` in its sources, point at the target.
 */
export function makefiles(input: StageInput): StageResult {
  const { config, tree } = input;
  // The split-driver front ends this tree takes (xen-drivers.ts): listed and configured only those.
  const fronts = frontEnds(tree).paths;
  const { arch, target } = config;
  const r = emptyResult();
  const esc = arch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // An arch path at the start of a path token, optionally after $S/ or ${S}/.
  const pathRe = () => new RegExp(`((?:^|[\\s"'=(:,])(?:\\$\\{?S\\}?/)?)${esc}/`, 'gm');
  const nameRe = () => new RegExp(`\\b(ldscript|files|Makefile|options)\\.${esc}\\b(?!-)`, 'g');
  for (const f of tree.files) {
    const base = path.posix.basename(f);
    const archFile = f.startsWith(`${arch}/`) ? `${target}/${f.slice(arch.length + 1)}` : null;
    const renamed = nameRe().test(base);
    if (renamed || (archFile && f.startsWith(`${arch}/conf/`))) {
      const dest = archFile ?? f;
      const to = renamed ? path.posix.join(path.posix.dirname(dest), base.replace(nameRe(), `$1.${target}`)) : dest;
      if (renamed) r.copies.push({ from: f, to });
      const text = tree.read(f);
      r.edits.push(...replaceAll(to, text, pathRe(), (m) => `${m[1]}${target}/`, 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, nameRe(), (m) => `${m[1]}.${target}`, 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, /^(\s*machine\s+)"?([\w.-]+)"?/gm, (m) => (m[2] === arch ? `${m[1]}${target}` : m[0]), 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, /^(\s*(?:MACHINE|MACHINE_ARCH|ARCH)\s*[?:]?=\s*)([\w.-]+)/gm, (m) => (m[2] === arch ? `${m[1]}${target}` : m[0]), 'xenify/makefiles'));
      const s = text.toString('latin1');
      if (base === `files.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the minimal OS and the generated Xen guest API (seed steps 3, 5, 10)\n${target}/${arch}/xen_locore.s\t\tstandard\n${target}/${arch}/xen_minios.c\t\tstandard\n${target}/${arch}/xen_hypervisor.c\tstandard\n${target}/${arch}/xen_vacheck.c\t\tstandard\n# xenoport: the split-driver front ends (seed step 12)\n${xenDriverFileList(target, arch, fronts)}\n`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (base === `Makefile.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the rewrite leaves the native privileged wrappers defined but\n# unused, and locals only a stubbed instruction used; keep -Werror for the rest.\nMACHINE_CFLAGS+=\t-Wno-unused-function -Wno-unused-variable -Wno-unused-but-set-variable\n# Code compiled only into the Xen kernel (the step-7 console path).\nMACHINE_CFLAGS+=\t-DXENOPORT_XEN\n`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (archFile && f.startsWith(`${arch}/conf/`) && /^ident\s/m.test(s)) {
        // A kernel configuration: config.sh turns its options into -D flags for
        // gcc and for xenoport's compiler alike.
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        const events = config.stages.some((x) => x.kind === 'xen-timer')
          ? 'options \tXENOPORT_XEN_EVENTS\t# the kernel defines xen_handle_event() (xen-timer stage)\n' +
            (fronts.has('dev/xen/netfront/netfront.c') ? 'device\t\txn\t\t# Xen network front end (seed step 12)\n' : '') +
            (fronts.has('dev/xen/blkfront/blkfront.c') ? 'device\t\txbd\t\t# Xen block front end (seed step 14)\n' : '')
          : '';
        const batched = config.pteUpdates === 'batched'
          ? 'options \tXENOPORT_PTE_BATCHED\t# page-table updates queued until a flush point (step 15)\n'
          : '';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the Xen paths (step 7 console, step 10 clock) are compiled in\noptions \tXENOPORT_XEN\n${events}${batched}`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (base === `ldscript.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        const limit = `0x${(input.config.stages.find((x) => x.kind === 'va-hole')?.limit ?? 0xfc000000).toString(16)}`;
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}/* xenoport step 3: Xen 2.0 owns ${limit} and up. */\nASSERT(end <= ${limit}, "xenoport: the kernel reaches into the hypervisor's top 64 MB")\n`,
          ruleId: 'xenify/va-hole-check',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      continue;
    }
    if (!archFile) continue;
    if (/\.(c|h|s|S)$/.test(base)) {
      r.edits.push(...replaceAll(archFile, tree.read(f), new RegExp(`(#\\s*include\\s*[<"])${esc}/`, 'g'), (m) => `${m[1]}${target}/`, 'xenify/makefiles'));
    }
  }
  const files = new Set(r.edits.map((e) => e.file));
  r.summary = `${r.edits.length} edits in ${files.size} files${r.copies.length ? `; ${r.copies.map((c) => c.to).join(', ')}` : ''}`;
  if (r.edits.length === 0) r.notes.push('no makefile, kernel config or arch include path needed a change');
  return r;
}
