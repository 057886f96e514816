/*
 * Seed steps 12 and 14, the Xen split-driver front ends a xenified kernel
 * carries: the event-channel table, the control interface to the domain
 * controller (ctrl_if), the grant table (gnttab), the network front end xn(4)
 * and the block front end xbd(4), as C under guest/ (paths as in
 * FreeBSD-xen: i386-xen/i386-xen/*.c, i386-xen/include/*.h,
 * dev/xen/netfront/*.c). The minimal-os stage writes them into the target
 * tree, the makefiles stage lists them in files.<target> and adds
 * `device xn` and `device xbd` to a kernel configuration whose clock dispatches events
 * (XENOPORT_XEN_EVENTS). Generic network code (sys/net, sys/netinet) is the
 * kernel's own, not here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The driver sources, by their path under guest/. */
const DRIVER_SOURCES = [
  'i386-xen/include/evtchn.h',
  'i386-xen/include/ctrl_if.h',
  'i386-xen/i386-xen/evtchn.c',
  'i386-xen/i386-xen/ctrl_if.c',
  'dev/xen/netfront/netfront.c',
  'i386-xen/include/gnttab.h',
  'i386-xen/i386-xen/gnttab.c',
  'dev/xen/blkfront/blkfront.c',
] as const;

/**
 * The front ends placed outside the target directory, each with the driver
 * interface of the sample kernel it is written against (FreeBSD 5's): a struct
 * arpcom holding its ifnet (ac_if), the d_psize_t disk entry. A real tree
 * with other interfaces (FreeBSD 6 and later allocate the ifnet apart) or with
 * front ends of its own at these paths (FreeBSD 9's Xen port) keeps its own
 * files; the pipeline never overwrites them with ones that do not compile there.
 */
const FRONT_ENDS = [
  { path: 'dev/xen/netfront/netfront.c', device: 'xn', kpi: 'a struct arpcom holding its ifnet (ac_if)', headers: ['netinet/if_ether.h', 'net/if_arp.h'], test: /\bstruct\s+ifnet\s+ac_if\s*;/ },
  { path: 'dev/xen/blkfront/blkfront.c', device: 'xbd', kpi: 'the d_psize_t disk entry', headers: ['sys/conf.h'], test: /\bd_psize_t\b/ },
] as const;

/** The source files the choice of front ends reads (part of the stages' inputs). */
export const FRONT_END_INPUTS: string[] = FRONT_ENDS.flatMap((f) => [f.path, ...f.headers]);

/** The part of a source tree the choice reads. */
export interface TreeFiles {
  has(rel: string): boolean;
  read(rel: string): Buffer;
}

/** The front ends (their paths) this tree takes, and a note for each it does not. */
export function frontEnds(tree: TreeFiles): { paths: Set<string>; notes: string[] } {
  const paths = new Set<string>();
  const notes: string[] = [];
  for (const f of FRONT_ENDS) {
    if (tree.has(f.path)) notes.push(`${f.path}: the tree has its own; ${f.device}(4) is not generated`);
    else if (!f.headers.some((h) => tree.has(h) && f.test.test(tree.read(h).toString('latin1'))))
      notes.push(`${f.path}: not generated, ${f.device}(4) is written for ${f.kpi} and the tree's ${f.headers.join(' / ')} has none`);
    else paths.add(f.path);
  }
  return { paths, notes };
}

const isFrontEnd = (rel: string): boolean => FRONT_ENDS.some((f) => f.path === rel);

let texts: Record<string, string> | undefined;
function driverTexts(): Record<string, string> {
  texts ??= Object.fromEntries(DRIVER_SOURCES.map((rel) => [rel, readFileSync(new URL(`./guest/${rel}`, import.meta.url), 'utf8')]));
  return texts;
}

/** Where a driver source lands in the output tree (relative to `sys`). */
function placed(rel: string, target: string, arch: string): string {
  if (rel.startsWith('i386-xen/include/')) return `${target}/include/${rel.slice('i386-xen/include/'.length)}`;
  if (rel.startsWith('i386-xen/i386-xen/')) return `${target}/${arch}/${rel.slice('i386-xen/i386-xen/'.length)}`;
  return rel;
}

/** The files to write: output path -> text, with the guest header directory substituted; front ends only those in `fronts`. */
export function xenDriverFiles(target: string, arch: string, headerDir: string, fronts: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, text] of Object.entries(driverTexts())) {
    const to = placed(rel, target, arch);
    if (isFrontEnd(to) && !fronts.has(to)) continue;
    out[to] = headerDir === 'xen' ? text : text.replaceAll('machine/xen/hypervisor.h', `machine/${headerDir}/hypervisor.h`);
  }
  return out;
}

/** The lines files.<target> gains: the event table, ctrl_if and gnttab always, xn(4) and xbd(4) (those in `fronts`) with their devices. */
export function xenDriverFileList(target: string, arch: string, fronts: Set<string>): string {
  return [
    `${target}/${arch}/evtchn.c\t\tstandard`,
    `${target}/${arch}/ctrl_if.c\t\tstandard`,
    ...(fronts.has('dev/xen/netfront/netfront.c') ? ['dev/xen/netfront/netfront.c\toptional xn'] : []),
    `${target}/${arch}/gnttab.c\t\tstandard`,
    ...(fronts.has('dev/xen/blkfront/blkfront.c') ? ['dev/xen/blkfront/blkfront.c\toptional xbd'] : []),
  ].join('\n');
}

/** sha256 of the driver sources: part of the cache key of the stages that write or list them. */
export function xenDriversHash(): string {
  const h = createHash('sha256');
  for (const [rel, text] of Object.entries(driverTexts())) h.update(rel).update('\0').update(text).update('\0');
  return h.digest('hex');
}
