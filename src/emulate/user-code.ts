/*
 * The user-code dispatcher: runs XIR code (src/ir/xir.ts) that lives in guest memory,
 * in user mode. It fetches the bytes at eip through the MMU as an instruction fetch
 * at the current privilege (CodeFetch: a missing or supervisor-only page is a #PF
 * delivered by the platform), decodes a block (up to a control transfer, a page end
 * or BLOCK_MAX instructions), compiles it (user-jit.ts) and caches it by the
 * physical address of its first byte; a block that spans two pages remembers the
 * second page's physical address and is recompiled when that mapping differs.
 * Writing a page that blocks were compiled from drops them (CodePages: such pages
 * have no write entry in the TLB views, so every write reaches the memory's slow
 * path) and bumps `gen`, which running blocks check after stores and kernel entries.
 *
 * The dispatcher holds no state of its own: everything is in registers and guest
 * memory, so a context switch or an exit unwinds it freely, and any active
 * dispatcher can continue any process (Machine.runUser). Bytes that are not an
 * instruction raise #UD at their address; a block never throws anything but the
 * machine's own control signals.
 */
import { decodeInstr, XirDecodeError, type XInstr } from '../ir/index.js';
import type { CodePages } from './code-pages.js';
import type { Machine, UserCode } from './machine.js';
import type { CompileContext } from './jit.js';
import type { GuestMemory, TlbView } from './memory.js';
import { endsBlock, generateBlock, type BlockInstr } from './user-jit.js';

/** How the dispatcher reaches code: fetch translation and its fault, and RAM. */
export interface CodeFetch {
  /** Physical address of byte `va` for an instruction fetch at the current privilege, or -1. */
  fetchAddress(va: number): number;
  /** Delivers the fault of fetching `va` for the instruction at `eip`; returns to retry (or never). */
  fetchFault(va: number, eip: number): void;
  /** RAM: physical address k is ram[k]. */
  readonly ram: Uint8Array;
}

/** What compiled blocks bind to: the memory and its inlined fast path. */
export interface BlockMemory {
  mem: GuestMemory;
  ctx: Pick<CompileContext, 'flat' | 'tlb'>;
  u8?: Uint8Array;
  i32?: Int32Array;
  view?: TlbView;
}

/** Instructions per block at most. */
export const BLOCK_MAX = 64;

interface Block {
  va: number;
  pa: number;
  /** Virtual and physical address of the second page when an instruction runs into it, else -1. */
  va2: number;
  pa2: number;
  run: () => number;
  /** Set when its page was written: the block is never run again. */
  dead: boolean;
}

/** Entries of the direct-mapped lookup cache in front of the block map. */
const FAST = 4096;

/** The page could not be fetched while decoding (its address). */
class FetchStop {
  constructor(readonly va: number) {}
}

export class UserCodeDispatcher implements UserCode {
  /** Changes whenever compiled code is dropped; blocks compare it after stores and kernel entries. */
  gen = 0;
  /** Blocks compiled so far (statistics). */
  compiled = 0;
  private readonly blocks = new Map<number, Block>();
  private readonly byPage = new Map<number, Block[]>();
  private readonly fast: (Block | undefined)[] = new Array<Block | undefined>(FAST).fill(undefined);

  constructor(
    private readonly m: Machine,
    private readonly fetch: CodeFetch,
    private readonly code: CodePages,
    private readonly memory: BlockMemory,
  ) {
    code.onWrite = (ppn) => this.dropPage(ppn);
  }

  run(eip: number): never {
    const fetch = this.fetch;
    const view = this.memory.view;
    const fast = this.fast;
    for (;;) {
      // The TLB's read entry for the current privilege is the fetch permission (no NX).
      const e = view !== undefined ? view.rd[eip >>> 12]! : 0;
      const pa = e !== 0 ? (e & -4096) | (eip & 4095) : fetch.fetchAddress(eip);
      if (pa < 0) {
        fetch.fetchFault(eip, eip);
        continue;
      }
      const slot = (pa ^ (pa >>> 12)) & (FAST - 1);
      let b = fast[slot];
      if (b === undefined || b.pa !== pa || b.va !== eip || b.dead || (b.va2 !== -1 && fetch.fetchAddress(b.va2) !== b.pa2)) {
        b = this.blocks.get(pa);
        if (b === undefined || b.va !== eip || (b.va2 !== -1 && fetch.fetchAddress(b.va2) !== b.pa2)) {
          const c = this.compile(eip, pa);
          if (c === undefined) continue;
          b = c;
        }
        fast[slot] = b;
      }
      eip = b.run();
    }
  }

  /** Raises #UD for the instruction at eip and goes on there (the kernel decides what that means). */
  undefinedOpcode(eip: number, why: string): number {
    this.m.raise({ kind: 'invalid-opcode', eip, vector: 6, message: why });
    return eip;
  }

  reset(): void {
    for (const b of this.blocks.values()) b.dead = true;
    this.blocks.clear();
    this.byPage.clear();
    this.fast.fill(undefined);
    this.code.clear();
    this.gen++;
  }

  private dropPage(ppn: number): void {
    const list = this.byPage.get(ppn);
    if (list)
      for (const b of list) {
        b.dead = true;
        if (this.blocks.get(b.pa) === b) this.blocks.delete(b.pa);
      }
    this.byPage.delete(ppn);
    this.gen++;
  }

  /** Decodes and compiles the block at eip (first byte at pa); undefined after delivering a fault for it. */
  private compile(eip: number, pa: number): Block | undefined {
    const page = eip & -4096;
    let va2 = -1;
    let pa2 = -1;
    const ram = this.fetch.ram;
    const read = (va: number): number => {
      if ((va & -4096) === page) return ram[(pa & -4096) | (va & 4095)]!;
      if ((va & -4096) !== ((page + 4096) | 0)) throw new FetchStop(va);
      if (va2 === -1) {
        const p = this.fetch.fetchAddress(va & -4096);
        if (p < 0) throw new FetchStop(va & -4096);
        va2 = va & -4096;
        pa2 = p;
      }
      return ram[pa2 | (va & 4095)]!;
    };
    const xs: BlockInstr[] = [];
    let va = eip | 0;
    while (xs.length < BLOCK_MAX && (va & -4096) === page) {
      const saved = { va2, pa2 };
      let d: { x: XInstr; length: number };
      try {
        d = decodeInstr(read, va);
        if (hasSymbol(d.x)) throw new XirDecodeError('symbolic operand in linked code');
      } catch (e) {
        if (!(e instanceof XirDecodeError) && !(e instanceof FetchStop)) throw e;
        ({ va2, pa2 } = saved);
        if (xs.length > 0) break;
        if (e instanceof FetchStop) this.fetch.fetchFault(e.va, eip);
        else this.undefinedOpcode(eip, `the bytes at ${hex(eip)} are not an XIR instruction (${e.message})`);
        return undefined;
      }
      xs.push({ x: d.x, va, length: d.length });
      va = (va + d.length) | 0;
      if (endsBlock(d.x)) break;
    }
    const body = generateBlock(xs, this.memory.ctx);
    const mm = this.memory;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('S', 'D', 'M', 'R', 'B', 'U8', 'I32', 'T', `return function blk_${(eip >>> 0).toString(16)}() {\n${body}\n};`) as (...a: unknown[]) => () => number;
    const run = factory(this.m, this, mm.mem, this.m.regs, this.m.budget, mm.u8, mm.i32, mm.view);
    const b: Block = { va: eip | 0, pa, va2, pa2, run, dead: false };
    this.code.protect(pa);
    if (pa2 !== -1) this.code.protect(pa2);
    const old = this.blocks.get(pa);
    if (old) old.dead = true;
    this.blocks.set(pa, b);
    for (const p of pa2 === -1 ? [pa >>> 12] : [pa >>> 12, pa2 >>> 12]) {
      const l = this.byPage.get(p);
      if (l) l.push(b);
      else this.byPage.set(p, [b]);
    }
    this.compiled++;
    return b;
  }
}

function hasSymbol(x: XInstr): boolean {
  for (const v of Object.values(x)) {
    if (typeof v !== 'object' || v === null) continue;
    if ((v as { kind?: string }).kind === 'sym') return true;
    if (Array.isArray(v) && v.some((a) => (a as { kind?: string }).kind === 'sym' || (a as { value?: { kind?: string } }).value?.kind === 'sym')) return true;
  }
  return false;
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}
