// The JIT's inlined TLB fast path for paged guest memory (a GuestMemory exposing a
// TlbView): hits never call the memory's methods, misses and page-crossing accesses
// do, a privilege swap and an invlpg are seen by code compiled before them, and random
// load/store programs give the same results as in flat memory.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { link } from '../../src/ir/index.js';
import { findSymbol, type LinkedImage } from '../../src/ir/index.js';
import { parseModule, verifyModule } from '../../src/ir/index.js';
import { generateFunctionSource } from '../../src/emulate/index.js';
import { load, loadBoth, PTE_P, PTE_U, PTE_W, TestTlbMemory } from './tlb-memory.js';

const ACCESSORS = `
data $buf export align 4096 { z 16384 }
func export $ld32(w %a) : w {
@entry
	%v =w loadw %a !0:1
	ret %v !0:1
}
func export $ld16u(w %a) : w {
@entry
	%v =w loaduh %a !0:2
	ret %v !0:2
}
func export $ld16s(w %a) : w {
@entry
	%v =w loadsh %a !0:3
	ret %v !0:3
}
func export $ld8u(w %a) : w {
@entry
	%v =w loadub %a !0:4
	ret %v !0:4
}
func export $ld8s(w %a) : w {
@entry
	%v =w loadsb %a !0:5
	ret %v !0:5
}
func export $st32(w %a, w %v) : w {
@entry
	storew %v, %a !0:6
	ret 0 !0:6
}
func export $st16(w %a, w %v) : w {
@entry
	storeh %v, %a !0:7
	ret 0 !0:7
}
func export $st8(w %a, w %v) : w {
@entry
	storeb %v, %a !0:8
	ret 0 !0:8
}
func export $sum(w %a, w %n) : w {
@entry
	%s =w copy 0 !0:9
	%i =w copy 0 !0:9
	jmp @loop !0:9
@loop
	%v =w loadw %a !0:10
	%s =w add %s, %v !0:10
	storew %s, %a !0:10
	%i =w add %i, 1 !0:11
	%c =w csltw %i, %n !0:11
	jnz %c, @loop, @done !0:11
@done
	ret %s !0:12
}
`;

const linkText = (text: string, entry = 'ld32'): LinkedImage => link([verifyModule(parseModule(text, 't.xir'))], { kind: 'program', entry });

/** The accessor program in a TestTlbMemory; `buf` is the page-aligned data area (4 pages). */
function setup(opts: { fill?: boolean; flags?: (page: number) => number } = {}) {
  const img = linkText(ACCESSORS);
  const buf = findSymbol(img, 'buf')!.addr >>> 0;
  const base = (img.vbase >>> 0) & -4096;
  const size = buf + 16384 - base + 65536;
  const mem = new TestTlbMemory(size + 8192);
  const pages = size / 4096;
  // Virtual page k at physical page 1 + (k ^ 1): neighbours are not adjacent in RAM.
  for (let k = 0; k < pages; k++) mem.map(base + k * 4096, 4096 * (1 + ((k ^ 1) < pages ? k ^ 1 : k)), 1, opts.flags?.(base + k * 4096) ?? PTE_P | PTE_W | PTE_U);
  if (opts.fill) mem.fillAll();
  const L = load(img, mem, base + size - 64);
  /** Slow-path calls on the data area since the last look (stack accesses of the host's pushes are not counted). */
  const slowOnBuf = (): string[] => {
    const s = mem.slow.filter((c) => c.addr >= buf && c.addr < buf + 16384).map((c) => `${c.op} +${c.addr - buf}`);
    mem.slow.length = 0;
    return s;
  };
  const call = (name: string, ...args: number[]): number => {
    const r = L.call(name, args);
    if (r.stop) throw new Error(`${name}: ${JSON.stringify(r.stop)}`);
    return r.eax;
  };
  return { img, mem, buf, L, call, slowOnBuf };
}

describe('inlined TLB fast path', () => {
  it('compiles loads and stores to a TLB lookup with a method call as the slow path', () => {
    const img = linkText(ACCESSORS);
    const f = img.functions.find((g) => g.name === 'sum')!;
    const paged = generateFunctionSource(f, { functionIndexAt: () => undefined, tlb: true });
    expect(paged).toContain('let sp0 = 0, o = 0, e = 0, ');
    expect(paged).toContain('v4 = (((e = T.rd[v0 >>> 12]) !== 0 && (v0 & 3) === 0) ? I32[((e & -4096) | (v0 & 4095)) >>> 2] : M.ld32(v0, ');
    expect(paged).toContain('if ((e = T.wr[v0 >>> 12]) !== 0 && (v0 & 3) === 0) I32[((e & -4096) | (v0 & 4095)) >>> 2] = v2; else M.st32(v0, v2, ');
    // Flat memory keeps its own path; no TLB.
    const flat = generateFunctionSource(f, { functionIndexAt: () => undefined, flat: { base: 0x08048000, size: 1 << 20 } });
    expect(flat).not.toContain('T.');
    expect(flat).toContain('I32[o >>> 2]');
    // Neither: every access is a call.
    const plain = generateFunctionSource(f, { functionIndexAt: () => undefined });
    expect(plain).not.toMatch(/T\.|I32|U8/);
  });

  it('hits do not call the memory; a miss walks once and then hits', () => {
    const { call, slowOnBuf, buf, mem } = setup();
    const p = buf + 4096 + 8;
    mem.write(p, new Uint8Array([1, 2, 3, 4]));
    expect(call('ld32', p)).toBe(0x04030201);
    expect(slowOnBuf()).toEqual(['ld32 +4104']); // miss: walk, fill
    expect(call('ld32', p)).toBe(0x04030201);
    expect(call('ld8u', p + 3)).toBe(4);
    expect(call('ld16u', p + 2)).toBe(0x0403);
    expect(slowOnBuf()).toEqual([]);
    // The page is clean: no write entry yet, so the first store walks (sets dirty), the next hits.
    call('st32', p, -2);
    expect(slowOnBuf()).toEqual(['st32 +4104']);
    call('st32', p + 4, 7);
    call('st8', p + 9, 0x1ff);
    call('st16', p + 10, 0x12345);
    expect(slowOnBuf()).toEqual([]);
    expect(call('ld32', p)).toBe(-2);
    expect(call('ld32', p + 4)).toBe(7);
    expect(call('ld8s', p + 9)).toBe(-1);
    expect(call('ld16s', p + 10)).toBe(0x2345);
    expect(call('ld16s', p)).toBe(-2);
    expect([...mem.read(p + 8, 4)]).toEqual([0, 0xff, 0x45, 0x23]);
    expect(slowOnBuf()).toEqual([]);
    // A loop of 31 loads and stores on a fresh page: one walk for each kind, then hits.
    mem.write(buf + 64, new Uint8Array([1, 0, 0, 0]));
    expect(call('sum', buf + 64, 31)).toBe(2 ** 30);
    expect(slowOnBuf()).toEqual(['ld32 +64', 'st32 +64']);
    expect(call('ld32', buf + 64)).toBe(2 ** 30);
    expect(slowOnBuf()).toEqual([]);
  });

  it('page-crossing accesses go to the slow path and read/write both physical pages', () => {
    const { call, slowOnBuf, buf, mem } = setup({ fill: true });
    const edge = buf + 8192; // a page boundary; the pages on either side are not adjacent in RAM
    mem.write(edge - 4, new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]));
    expect(call('ld32', edge - 2)).toBe(0x66554433);
    expect(call('ld32', edge - 1)).toBe(0x77665544);
    expect(call('ld32', edge - 3)).toBe(0x55443322);
    expect(call('ld16u', edge - 1)).toBe(0x5544);
    expect(call('ld16s', edge - 1)).toBe(0x5544);
    expect(slowOnBuf()).toEqual(['ld32 +8190', 'ld32 +8191', 'ld32 +8189', 'ld16u +8191', 'ld16s +8191']);
    // Not crossing: fast, right at the edges.
    expect(call('ld16u', edge - 2)).toBe(0x4433);
    expect(call('ld32', edge - 4)).toBe(0x44332211 | 0);
    expect(call('ld32', edge)).toBe(0x88776655 | 0);
    expect(call('ld8u', edge - 1)).toBe(0x44);
    expect(call('ld8u', edge)).toBe(0x55);
    expect(slowOnBuf()).toEqual([]);
    call('st32', edge - 2, 0x0a0b0c0d);
    call('st16', edge - 1, 0xeeff);
    expect(slowOnBuf()).toEqual(['st32 +8190', 'st16 +8191']);
    expect([...mem.read(edge - 4, 8)]).toEqual([0x11, 0x22, 0x0d, 0xff, 0xee, 0x0a, 0x77, 0x88]);
    // An unaligned 32-bit access inside a page also takes the method (documented).
    call('ld32', buf + 1);
    expect(slowOnBuf()).toEqual(['ld32 +1']);
  });

  it('a privilege change (rd/wr swapped) is seen by already-compiled code', () => {
    const s = setup({ fill: true });
    // Make the first buf page supervisor-only, the second read-only for everyone.
    const kpage = s.buf;
    const ropage = s.buf + 4096;
    s.mem.map(kpage, s.mem.pt[kpage >>> 12]! & -4096, 1, PTE_P | PTE_W);
    s.mem.map(ropage, s.mem.pt[ropage >>> 12]! & -4096, 1, PTE_P | PTE_U);
    s.mem.invlpg(kpage);
    s.mem.invlpg(ropage);
    s.mem.write(kpage, new Uint8Array([42, 0, 0, 0]));
    s.mem.write(ropage, new Uint8Array([43, 0, 0, 0]));
    // Ring 0: both readable (this compiles ld32).
    expect(s.call('ld32', kpage)).toBe(42);
    expect(s.call('ld32', ropage)).toBe(43);
    s.call('st32', kpage + 4, 5);
    s.slowOnBuf();
    expect(s.call('ld32', kpage + 4)).toBe(5);
    expect(s.slowOnBuf()).toEqual([]);
    // Ring 3: the same compiled ld32 now faults on the supervisor page...
    s.mem.setUser(true);
    const r = s.L.call('ld32', [kpage]);
    expect(r.stop).toMatchObject({ outcome: 'fault', fault: { kind: 'memory', address: kpage, access: 'read' } });
    expect(s.slowOnBuf()).toEqual([`ld32 +0`]);
    // ...reads the user page through its (already filled) user entry...
    expect(s.call('ld32', ropage)).toBe(43);
    expect(s.slowOnBuf()).toEqual([]);
    // ...and a store to the read-only page faults in compiled st32.
    const w = s.L.call('st32', [ropage, 1]);
    expect(w.stop).toMatchObject({ outcome: 'fault', fault: { kind: 'memory', address: ropage, access: 'write' } });
    // Back to ring 0: the supervisor entries are still there, no walk.
    s.mem.setUser(false);
    s.mem.slow.length = 0;
    expect(s.call('ld32', kpage)).toBe(42);
    expect(s.slowOnBuf()).toEqual([]);
  });

  it('invlpg makes the next access slow again, then it hits', () => {
    const { call, slowOnBuf, buf, mem } = setup({ fill: true });
    mem.write(buf + 12288 + 40, new Uint8Array([9, 0, 0, 0]));
    expect(call('ld32', buf + 12288 + 40)).toBe(9);
    expect(slowOnBuf()).toEqual([]);
    mem.invlpg(buf + 12288);
    const walks = mem.walks;
    expect(call('ld32', buf + 12288 + 40)).toBe(9);
    expect(slowOnBuf()).toEqual(['ld32 +12328']);
    expect(mem.walks).toBe(walks + 1);
    expect(call('ld8u', buf + 12288 + 40)).toBe(9);
    expect(slowOnBuf()).toEqual([]);
    // A changed mapping is not seen until the flush (TLB semantics), then it is.
    const old = mem.pt[(buf + 12288) >>> 12]! & -4096;
    const other = mem.pt[(buf + 8192) >>> 12]! & -4096;
    mem.map(buf + 12288, other, 1);
    expect(call('ld32', buf + 12288 + 40)).toBe(9);
    mem.invlpg(buf + 12288);
    mem.ram32[(other + 40) >>> 2] = 77;
    expect(call('ld32', buf + 12288 + 40)).toBe(77);
    mem.map(buf + 12288, old, 1);
    mem.invlpg(buf + 12288);
  });

  it('an unmapped page faults from compiled code with the faulting address', () => {
    const { L, buf, mem } = setup({ fill: true });
    mem.pt[(buf + 4096) >>> 12] = 0;
    mem.invlpg(buf + 4096);
    const r = L.call('st8', [buf + 4096 + 7, 1]);
    expect(r.stop).toMatchObject({ outcome: 'fault', fault: { kind: 'memory', address: buf + 4096 + 7, access: 'write', size: 1 } });
  });
});

// ---- property: random load/store programs agree with flat memory ----

type Op =
  | { kind: 'load'; op: 'loadw' | 'loadsh' | 'loaduh' | 'loadsb' | 'loadub' | 'loadl'; off: number; via: 'global' | 'temp' | 'frame' }
  | { kind: 'store'; op: 'storeb' | 'storeh' | 'storew' | 'storel'; off: number; value: number; via: 'global' | 'temp' | 'frame' };

// Offsets into the 4-page $buf, biased to the page boundaries.
const offArb = fc.oneof(
  fc.integer({ min: 0, max: 16384 - 8 }),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -7, max: 4 })).map(([p, d]) => p * 4096 + d),
);
const viaArb = fc.constantFrom('global' as const, 'temp' as const, 'temp' as const, 'frame' as const);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('load' as const), op: fc.constantFrom('loadw' as const, 'loadsh' as const, 'loaduh' as const, 'loadsb' as const, 'loadub' as const, 'loadl' as const), off: offArb, via: viaArb }),
  fc.record({ kind: fc.constant('store' as const), op: fc.constantFrom('storeb' as const, 'storeh' as const, 'storew' as const, 'storel' as const), off: offArb, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), via: viaArb }),
);

function program(ops: Op[]): string {
  const lines: string[] = [];
  const L = (s: string): number => lines.push(`\t${s} !0:1`);
  // %fr: a 4-aligned stack frame (the JIT knows its alignment); %fo escapes it, so it stays in memory.
  L('%fr =w alloc 64, 4');
  L('%fo =w add %fr, 0');
  L('%s =w copy 0');
  ops.forEach((o, k) => {
    let addr: string;
    if (o.via === 'frame') {
      const fo = o.off & 56; // 0..56, multiple of 8
      if (fo === 0 && (o.op === 'loadw' || o.op === 'storew')) addr = '%fr';
      else {
        L(`%p${k} =w add %fo, ${fo}`);
        addr = `%p${k}`;
      }
    } else if (o.via === 'global') addr = `$buf+${o.off}`;
    else {
      L(`%p${k} =w add $buf, ${o.off}`);
      addr = `%p${k}`;
    }
    if (o.kind === 'load') {
      if (o.op === 'loadl') {
        L(`%l${k} =l loadl ${addr}`);
        L(`%h${k} =l shr %l${k}, 29`);
        L(`%t${k} =w trunc %h${k}`);
      } else L(`%t${k} =w ${o.op} ${addr}`);
      L(`%s =w mul %s, 31`);
      L(`%s =w add %s, %t${k}`);
    } else if (o.op === 'storel') {
      L(`%v${k} =l extsw ${o.value}`);
      L(`%v${k} =l mul %v${k}, 2654435761`);
      L(`storel %v${k}, ${addr}`);
    } else L(`${o.op} ${o.value}, ${addr}`);
  });
  L('%fs =w loadw %fo');
  L('%s =w xor %s, %fs');
  L('ret %s');
  return `data $buf export align 4096 { z 16384 }\nfunc export $run() : w {\n@entry\n${lines.join('\n')}\n}\n`;
}

describe('inlined TLB fast path: same results as flat memory', () => {
  it('random load/store programs (TLB empty or full)', () => {
    const reuse = new TestTlbMemory((1 << 20) + 8192);
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), (ops, seed, fill) => {
        const img = linkText(program(ops), 'run');
        const buf = findSymbol(img, 'buf')!.addr >>> 0;
        const { flat, paged } = loadBoth(img, 1 << 20, fill, reuse);
        // The same pseudo-random initial contents in both.
        const init = new Uint8Array(16384).map((_, k) => seed[k & 63]! ^ (k * 7));
        flat.write(buf, init);
        paged.write(buf, init);
        const a = flat.call('run');
        const b = paged.call('run');
        expect(a.stop).toBeUndefined();
        expect(b.stop).toBeUndefined();
        expect(b.eax).toBe(a.eax);
        const pb = paged.read(buf, 16384);
        const fb = flat.read(buf, 16384);
        if (Buffer.compare(pb, fb) !== 0) expect(pb).toEqual(fb);
        expect(paged.machine.regs[4]).toBe(flat.machine.regs[4]);
      }),
      { numRuns: 100 },
    );
  });
});
