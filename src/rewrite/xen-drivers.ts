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

/** The files to write: output path -> text, with the guest header directory substituted. */
export function xenDriverFiles(target: string, arch: string, headerDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, text] of Object.entries(driverTexts())) {
    out[placed(rel, target, arch)] = headerDir === 'xen' ? text : text.replaceAll('machine/xen/hypervisor.h', `machine/${headerDir}/hypervisor.h`);
  }
  return out;
}

/** The lines files.<target> gains: the event table, ctrl_if and gnttab always, xn(4) and xbd(4) with their devices. */
export function xenDriverFileList(target: string, arch: string): string {
  return [
    `${target}/${arch}/evtchn.c\t\tstandard`,
    `${target}/${arch}/ctrl_if.c\t\tstandard`,
    'dev/xen/netfront/netfront.c\toptional xn',
    `${target}/${arch}/gnttab.c\t\tstandard`,
    'dev/xen/blkfront/blkfront.c\toptional xbd',
  ].join('\n');
}

/** sha256 of the driver sources: part of the cache key of the stages that write or list them. */
export function xenDriversHash(): string {
  const h = createHash('sha256');
  for (const [rel, text] of Object.entries(driverTexts())) h.update(rel).update('\0').update(text).update('\0');
  return h.digest('hex');
}
