/* The test guests of tests/dom0/guest as Xen guest images, each linked with probe-lib.c (what they share). */
import path from 'node:path';
import { buildGuestProgram } from '../../src/port/index.js';
import type { LinkedImage } from '../../src/ir/index.js';

const GUEST = path.join(__dirname, 'guest');

/** Compiles tests/dom0/guest/`name` with probe-lib.c and `defines` into a guest image. */
export function buildProbeGuest(name: string, defines: string[] = []): Promise<LinkedImage> {
  return buildGuestProgram([path.join(GUEST, name), path.join(GUEST, 'probe-lib.c')], defines, [GUEST]);
}

/** The network front end probe (guest/netfront-probe.c). */
export const buildProbe = (defines: string[] = []): Promise<LinkedImage> => buildProbeGuest('netfront-probe.c', defines);

/** The block front end probe (guest/blkfront-probe.c). */
export const buildBlkProbe = (defines: string[] = []): Promise<LinkedImage> => buildProbeGuest('blkfront-probe.c', defines);
