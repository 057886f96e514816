/*
 * The Xen 2.0 guest ABI, the bottom of the stack: numbers and structure layouts
 * declared once in TypeScript (xen2.ts), their byte layouts as data
 * (layout.generated.ts), and the guest files generated from them for every
 * i386-xeno tree (generated/, read from the package at run time). The generator
 * (gen/, ts-morph) runs only at build time, through `npm run abi`; nothing here
 * imports it. Other modules import only this file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export * from './xen2.js';
export { LAYOUT, ABI_SOURCE_SHA256 } from './layout.generated.js';

/** Where each generated guest file goes, relative to an i386-xeno arch directory. */
const GUEST_FILES: Readonly<Record<string, string>> = {
  'include/xen/hypervisor.h': 'hypervisor.h',
  'i386/xen_hypervisor.c': 'xen_hypervisor.c',
};

let loaded: Record<string, string> | undefined;

/**
 * The guest's hypervisor.h and xen_hypervisor.c by their path in an i386-xeno
 * directory: the texts `npm run abi` generated, shipped beside this module (the
 * build copies generated/ into dist/).
 */
export function guestFiles(): Readonly<Record<string, string>> {
  loaded ??= Object.fromEntries(
    Object.entries(GUEST_FILES).map(([rel, name]) => [rel, readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8')]),
  );
  return loaded;
}

/** sha256 of the guest files' texts: the cache key of every stage that writes them. */
export function guestFilesHash(): string {
  const h = createHash('sha256');
  for (const [rel, text] of Object.entries(guestFiles())) h.update(rel).update('\0').update(text).update('\0');
  return h.digest('hex');
}
