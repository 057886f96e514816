/* The test guest tests/dom0/guest/netfront-probe.c as a Xen guest image. */
import path from 'node:path';
import { buildGuestProgram } from '../../src/port/index.js';
import type { LinkedImage } from '../../src/ir/index.js';

export function buildProbe(defines: string[] = []): Promise<LinkedImage> {
  return buildGuestProgram([path.join(__dirname, 'guest', 'netfront-probe.c')], defines);
}
