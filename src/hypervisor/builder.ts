/*
 * The domain builder (seed step 6), after the shape of Xen 2.0's user-space builder
 * (tools/libxc xc_linux_build.c) run in dom0: it allocates the domain's memory from
 * machine frames in a scrambled order, loads the kernel image at its virtual
 * addresses, lays out [v_start, v_end) as
 *     kernel | module | p2m list (mfn_list) | page-table frames | start_info | boot stack
 * rounded up to 4 MiB with at least 128 KiB spare, builds an L2 and the L1s that map
 * that region to pfns 0.. in order (page-table frames mapped read-only), adds the
 * linear (recursive) map the image asks for, pins the L2, makes it the base
 * pointer, writes the m2p entries, binds the control interface's event channel
 * (domain 0 <-> the guest), fills start_info and returns the registers the
 * guest starts with (ring 1: eip = entry, esp = top of the boot stack, esi =
 * start_info).
 *
 * The module (xc_linux_build's initrd; here the root file system image) follows the
 * kernel at the next page boundary, mapped and counted in the domain's pages like
 * the rest of the boot region; start_info's mod_start is its virtual address and
 * mod_len its length, as Xen 2.0's builder sets them.
 *
 * "The way the guest image asks": the image's __xen_guest string
 * ("GUEST_OS=...,VIRT_BASE=0xC0000000,...") gives v_start; the optional key
 * PTMAP_VA=<va> (an xenoport extension) names where the recursive map goes; without
 * it the builder uses VIRT_BASE - 4 MiB (FreeBSD's PTDPTDI slot, XEN_PTMAP_VA in the
 * guest API); PTMAP_VA=none leaves it out.
 */
import { HypervisorError } from '../errors.js';
import type { LinkedImage } from '../ir/index.js';
import { FLAT_RING1_CS, FLAT_RING1_DS, LAYOUT, MAX_CMDLINE, HYPERVISOR_VIRT_START } from '../xen-abi/index.js';
import { Domain } from './domain.js';
import { bindInterdomain } from './event-channels.js';
import { F_XENHEAP, PAGE, PGT_L2, PGT_WRITABLE, PTE_A, PTE_D, PTE_P, PTE_RW, PTE_US } from './frames.js';
import type { Xen } from './xen.js';

export interface BuildOptions {
  /** Guest memory in MiB (default 32). */
  memoryMB?: number;
  cmdLine?: string;
  /** Override the image's VIRT_BASE. */
  virtBase?: number;
  /** Recursive-map VA (multiple of 4 MiB), or null for none; default from the image. */
  ptmapVa?: number | null;
  /** The boot module (start_info mod_start/mod_len): the root file system image. */
  module?: Uint8Array;
}

export interface BuiltDomain {
  domain: Domain;
  /** Initial registers. */
  regs: { eip: number; esp: number; esi: number; eflags: number; cs: number; ds: number; ss: number };
  layout: {
    vStart: number;
    vKernEnd: number;
    vModStart: number;
    vModEnd: number;
    vPhysmap: number;
    vPt: number;
    vStartInfo: number;
    vStack: number;
    vStackEnd: number;
    vEnd: number;
    ptmapVa: number | null;
    l2Mfn: number;
  };
  /** The image's __xen_guest string, if found. */
  guestString?: string;
}

const roundUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Reads the __xen_guest string ("GUEST_OS=...") from the image's data, if present. */
export function guestString(img: LinkedImage): string | undefined {
  const key = Buffer.from('GUEST_OS=');
  for (const s of img.sections) {
    if (!s.bytes.length) continue;
    const b = Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.length);
    const at = b.indexOf(key);
    if (at < 0) continue;
    const end = b.indexOf(0, at);
    return b.subarray(at, end < 0 ? b.length : end).toString('latin1');
  }
  return undefined;
}

function parseGuestString(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const kv of s.split(',')) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return out;
}

/** Builds a domain running `img`. Throws HypervisorError when the image does not fit. */
export function buildDomain(xen: Xen, img: LinkedImage, opts: BuildOptions = {}): BuiltDomain {
  const nrPages = Math.floor(((opts.memoryMB ?? 32) << 20) / PAGE);
  const gs = guestString(img);
  const kv = parseGuestString(gs);
  const vStart = (opts.virtBase ?? (kv.VIRT_BASE ? Number(kv.VIRT_BASE) : (img.vbase - img.pbase) >>> 0)) >>> 0;
  if (!Number.isFinite(vStart) || vStart % (4 << 20) !== 0) throw new HypervisorError(`VIRT_BASE ${kv.VIRT_BASE} is not a multiple of 4 MiB`);
  let ptmapVa: number | null =
    opts.ptmapVa !== undefined ? opts.ptmapVa : kv.PTMAP_VA === 'none' ? null : kv.PTMAP_VA ? Number(kv.PTMAP_VA) >>> 0 : (vStart - (4 << 20)) >>> 0;
  if (ptmapVa !== null && (ptmapVa % (4 << 20) !== 0 || ptmapVa >= HYPERVISOR_VIRT_START)) throw new HypervisorError(`PTMAP_VA ${ptmapVa} is not a 4 MiB slot below the hole`);
  const lowest = Math.min(...img.sections.map((s) => s.vaddr >>> 0));
  if (lowest < vStart) throw new HypervisorError(`image starts at 0x${lowest.toString(16)}, below VIRT_BASE 0x${vStart.toString(16)}`);

  const vKernEnd = roundUp(img.vend >>> 0, PAGE);
  const modLen = opts.module?.length ?? 0;
  const vModStart = vKernEnd;
  const vModEnd = vModStart + modLen;
  const vPhysmap = roundUp(vModEnd, PAGE);
  const vPhysmapEnd = vPhysmap + nrPages * 4;
  const vPt = roundUp(vPhysmapEnd, PAGE);
  let nrPt = 2;
  let vStartInfo = 0, vStack = 0, vStackEnd = 0, vEnd = 0;
  for (;; nrPt++) {
    const vPtEnd = vPt + nrPt * PAGE;
    vStartInfo = vPtEnd;
    vStack = vStartInfo + PAGE;
    vStackEnd = vStack + PAGE;
    vEnd = roundUp(vStackEnd, 4 << 20);
    if (vEnd - vStackEnd < 128 << 10) vEnd += 4 << 20;
    if (Math.ceil((vEnd - vStart) / (4 << 20)) + 1 <= nrPt) break;
  }
  const mapped = (vEnd - vStart) / PAGE;
  if (mapped > nrPages) throw new HypervisorError(`the kernel needs ${(vEnd - vStart) >> 20} MiB mapped at boot but the domain has ${nrPages >> 8} MiB`);
  if (vEnd > HYPERVISOR_VIRT_START || vEnd <= vStart) throw new HypervisorError('the boot region runs into the hypervisor hole');

  // Memory: scrambled machine frames.
  const p2m = xen.scrambledFrames(nrPages);
  const id = xen.newDomid();
  const d = new Domain(id, p2m);
  for (const mfn of p2m) xen.assign(mfn, id);
  xen.domains.set(id, d);
  const mem = xen.mem;
  const maOf = (va: number): number => p2m[(va - vStart) >>> 12]! * PAGE + (va & 0xfff);

  // Kernel image.
  for (const s of img.sections) {
    for (let off = 0; off < s.bytes.length; ) {
      const va = (s.vaddr + off) >>> 0;
      const n = Math.min(PAGE - (va & 0xfff), s.bytes.length - off);
      mem.u8.set(s.bytes.subarray(off, off + n), maOf(va));
      off += n;
    }
  }
  // The module.
  if (opts.module) {
    for (let off = 0; off < modLen; ) {
      const va = vModStart + off;
      const n = Math.min(PAGE - (va & 0xfff), modLen - off);
      mem.u8.set(opts.module.subarray(off, off + n), maOf(va));
      off += n;
    }
  }
  // p2m list and m2p entries.
  for (let pfn = 0; pfn < nrPages; pfn++) {
    mem.dv.setUint32(maOf(vPhysmap + pfn * 4), p2m[pfn]!, true);
    xen.setM2p(p2m[pfn]!, pfn);
  }

  // Page tables: the first pt frame is the L2, the next ones L1s in VA order.
  const ptPfn0 = (vPt - vStart) / PAGE;
  const l2Mfn = p2m[ptPfn0]!;
  let nextPt = ptPfn0 + 1;
  const L1_PROT = PTE_P | PTE_RW | PTE_A;
  const L2_PROT = PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US;
  const ptLo = ptPfn0, ptHi = ptPfn0 + nrPt;
  for (let k = 0; k < mapped; k++) {
    const va = vStart + k * PAGE;
    const slot = va >>> 22;
    let l2e = mem.entry(l2Mfn, slot);
    if (!(l2e & PTE_P)) {
      if (nextPt >= ptHi) throw new Error('internal error: builder ran out of page-table frames');
      l2e = (p2m[nextPt++]! * PAGE) | L2_PROT;
      mem.setEntry(l2Mfn, slot, l2e);
    }
    let pte = (p2m[k]! * PAGE) | L1_PROT;
    if (k >= ptLo && k < ptHi) pte &= ~PTE_RW;
    mem.setEntry(l2e >>> 12, (va >>> 12) & 1023, pte);
  }
  if (ptmapVa !== null) mem.setEntry(l2Mfn, ptmapVa >>> 22, (l2Mfn * PAGE) | PTE_P | PTE_A);

  // Pin the L2 and load it: this validates every table and takes the references.
  if (!xen.mm.pin(l2Mfn, PGT_L2, d)) throw new HypervisorError(`the initial page tables were refused: ${xen.mm.log.at(-1)}`);
  if (!xen.mm.newBaseptr(l2Mfn, d)) throw new HypervisorError(`the initial base pointer was refused: ${xen.mm.log.at(-1)}`);

  // shared_info: a frame of the domain's, not in its pseudo-physical map.
  const [si] = xen.scrambledFrames(1);
  xen.assign(si!, id);
  mem.typeCount[si!] = 1;
  mem.type[si!] = PGT_WRITABLE;
  mem.flags[si!]! |= F_XENHEAP;
  d.sharedInfoMfn = si!;
  mem.u8[si! * PAGE + 1] = 1; // evtchn_upcall_mask: events off until the guest is ready

  // start_info.
  const S = LAYOUT.start_info_t.fields;
  const siMa = maOf(vStartInfo);
  const put = (f: { offset: number }, v: number): void => mem.dv.setUint32(siMa + f.offset, v >>> 0, true);
  put(S.nr_pages, nrPages);
  put(S.shared_info, si! * PAGE);
  put(S.flags, 0);
  put(S.pt_base, vPt);
  put(S.nr_pt_frames, nrPt);
  put(S.mfn_list, vPhysmap);
  put(S.mod_start, modLen ? vModStart : 0);
  put(S.mod_len, modLen);
  // The control interface's channel, bound by domain 0 before the build as Xen
  // 2.0's xcs does (xc_evtchn_bind_interdomain, then xc_linux_build with its port).
  const ctl = bindInterdomain(xen, 0, true, 0, 0, id, 0);
  if (ctl.rc < 0) throw new HypervisorError(`cannot bind the control channel of domain ${id} (${ctl.rc})`);
  d.controlEvtchn = ctl.port2;
  mem.dv.setUint16(siMa + S.domain_controller_evtchn.offset, ctl.port2, true);
  const cmd = Buffer.from(opts.cmdLine ?? '', 'latin1').subarray(0, MAX_CMDLINE - 1);
  mem.u8.set(cmd, siMa + S.cmd_line.offset);

  d.startInfoVa = vStartInfo;
  d.mfnListVa = vPhysmap;
  d.ptBaseVa = vPt;
  d.nrPtFrames = nrPt;
  d.cmdLine = opts.cmdLine ?? '';
  d.kernelSs = FLAT_RING1_DS;
  d.kernelEsp = vStackEnd;
  return {
    domain: d,
    regs: { eip: img.entry >>> 0, esp: vStackEnd, esi: vStartInfo, eflags: (1 << 9) | 2, cs: FLAT_RING1_CS, ds: FLAT_RING1_DS, ss: FLAT_RING1_DS },
    layout: { vStart, vKernEnd, vModStart, vModEnd, vPhysmap, vPt, vStartInfo, vStack, vStackEnd, vEnd, ptmapVa, l2Mfn },
    guestString: gs,
  };
}
