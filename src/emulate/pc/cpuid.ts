/*
 * CPUID: the identity QEMU's `-cpu qemu32` model reports (QEMU 7.2, TCG), with the
 * three paging features a paravirtualizer cares about (PSE, PGE, PAE) switchable, as
 * seed step 4 hides them. Leaf 0: max leaf 4, "GenuineIntel"; leaf 1: family 6 model
 * 6 stepping 3 (0x663), EDX = QEMU's PPRO_FEATURES, ECX = SSE3.
 */

export interface CpuFeatures {
  pse: boolean;
  pge: boolean;
  pae: boolean;
}

export const QEMU32_FEATURES: CpuFeatures = { pse: true, pge: true, pae: true };

export const CPUID_FPU = 1 << 0;
export const CPUID_DE = 1 << 2;
export const CPUID_PSE = 1 << 3;
export const CPUID_TSC = 1 << 4;
export const CPUID_MSR = 1 << 5;
export const CPUID_PAE = 1 << 6;
export const CPUID_MCE = 1 << 7;
export const CPUID_CX8 = 1 << 8;
export const CPUID_APIC = 1 << 9;
export const CPUID_SEP = 1 << 11;
export const CPUID_PGE = 1 << 13;
export const CPUID_CMOV = 1 << 15;
export const CPUID_PAT = 1 << 16;
export const CPUID_MMX = 1 << 23;
export const CPUID_FXSR = 1 << 24;
export const CPUID_SSE = 1 << 25;
export const CPUID_SSE2 = 1 << 26;

/** QEMU's PPRO_FEATURES, the qemu32 model's leaf-1 EDX. */
const PPRO_FEATURES =
  CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_MCE | CPUID_CX8 | CPUID_PGE | CPUID_CMOV |
  CPUID_PAT | CPUID_FXSR | CPUID_MMX | CPUID_SSE | CPUID_SSE2 | CPUID_PAE | CPUID_SEP | CPUID_APIC;

/** Leaf-1 EDX for a feature selection. */
export function featureEdx(f: CpuFeatures): number {
  let edx = PPRO_FEATURES;
  if (!f.pse) edx &= ~CPUID_PSE;
  if (!f.pge) edx &= ~CPUID_PGE;
  if (!f.pae) edx &= ~CPUID_PAE;
  return edx | 0;
}

const word = (s: string, k: number): number =>
  s.charCodeAt(k) | (s.charCodeAt(k + 1) << 8) | (s.charCodeAt(k + 2) << 16) | (s.charCodeAt(k + 3) << 24);

/** The four registers CPUID returns for `leaf` (eax in), as [eax, ebx, ecx, edx]. */
export function cpuid(leaf: number, f: CpuFeatures): [number, number, number, number] {
  const l = leaf >>> 0;
  const vendor = 'GenuineIntel';
  switch (l) {
    case 0:
      return [4, word(vendor, 0), word(vendor, 8), word(vendor, 4)];
    case 1:
      // ebx: brand 0, clflush line 8 (x8 bytes), one logical CPU, APIC id 0.
      return [0x663, 0x00000800, 0x00000001, featureEdx(f)];
    case 2:
      return [1, 0, 0, 0x2c307d];
    case 0x80000000:
      return [0x80000004, 0, 0, 0];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const brand = 'QEMU Virtual CPU version 2.5+'.padEnd(48, '\0');
      const o = (l - 0x80000002) * 16;
      return [word(brand, o), word(brand, o + 4), word(brand, o + 8), word(brand, o + 12)];
    }
    default:
      return [0, 0, 0, 0];
  }
}

/**
 * Parses a feature list: names with an optional +/- prefix ('-pse,-pge', 'pse,+pae'),
 * or 'none'/'all'. Names without a prefix switch the feature on. Starts from `base`.
 * Throws an Error naming an unknown feature.
 */
export function parseFeatures(spec: string, base: CpuFeatures = QEMU32_FEATURES): CpuFeatures {
  const f = { ...base };
  for (const raw of spec.split(/[,\s]+/).filter(Boolean)) {
    const item = raw.toLowerCase();
    if (item === 'none') {
      f.pse = f.pge = f.pae = false;
      continue;
    }
    if (item === 'all' || item === 'qemu32') {
      f.pse = f.pge = f.pae = true;
      continue;
    }
    const on = !item.startsWith('-');
    const name = item.replace(/^[+-]/, '');
    if (name !== 'pse' && name !== 'pge' && name !== 'pae') throw new Error(`unknown CPU feature '${raw}' (known: pse, pge, pae)`);
    f[name] = on;
  }
  return f;
}
