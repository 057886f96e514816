/* The test guest tests/dom0/guest/blkfront-probe.c as a Xen guest image. */
import path from 'node:path';
import { buildGuestProgram } from '../../src/port/index.js';
import type { LinkedImage } from '../../src/ir/index.js';

export function buildBlkProbe(defines: string[] = []): Promise<LinkedImage> {
  return buildGuestProgram([path.join(__dirname, 'guest', 'blkfront-probe.c')], defines);
}
