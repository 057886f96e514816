/*
 * Struct layout cross-checked with gcc -m32: a C file lists sizeof/offsetof values in
 * an array; gcc -m32 -S gives the numbers it lays out, our front end gives its data
 * bytes; they must agree. Runs over synthetic structs and, when present, over the
 * sample kernel's machine headers (segments.h descriptors with packed bit-fields,
 * tss.h, pcb.h, frame.h, ...).
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { IRModule } from '../../src/ir/index.js';
import { compileText, scratch, writeTree } from './helpers.js';

function dataWords(m: IRModule, name: string): number[] {
  const d = m.data.find((x) => x.name === name)!;
  const bytes = d.items.flatMap((it) => (it.kind === 'string' ? [...it.bytes] : it.kind === 'zero' ? new Array<number>(it.size).fill(0) : []));
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  return out.map((x) => x >>> 0);
}

async function gccWords(src: string, includeDirs: string[]): Promise<number[]> {
  const dir = writeTree({ 'layout.c': src });
  const r = await execa('gcc', ['-m32', '-S', '-o', '-', '-nostdinc', '-D_KERNEL', ...includeDirs.flatMap((d) => ['-I', d]), join(dir, 'layout.c')]);
  return [...String(r.stdout).matchAll(/^\s*\.long\s+(\d+)/gm)].map((m) => Number(m[1]));
}

const synthetic = `
struct a { char c; long long ll; short s; };
struct b { unsigned x:3, y:7, :0, z:20; char tail; };
struct c { char c; int i:12; unsigned char u:4; };
struct d { unsigned lo:16; unsigned mid:24 __attribute__((packed)); unsigned hi:24; };
union e { char c[5]; int i; long long l; };
struct f { char c; union e u; struct a arr[2]; };
struct g { short s; struct { char x; int y; }; char z; };
struct h { char c; } __attribute__((packed));
struct i { int a; char b; } __attribute__((packed));
struct j { char c; } __attribute__((aligned(16)));
struct k { char c; struct j j; };
#define O(t, m) ((unsigned)&((t *)0)->m)
unsigned int layout[] = {
	sizeof(struct a), O(struct a, ll), O(struct a, s),
	sizeof(struct b), O(struct b, tail),
	sizeof(struct c),
	sizeof(struct d), sizeof(union e), sizeof(struct f), O(struct f, u), O(struct f, arr),
	sizeof(struct g), O(struct g, y), O(struct g, z), sizeof(struct h), sizeof(struct i), sizeof(struct j), sizeof(struct k), O(struct k, j),
};
`;

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (x * 1664525 + 1013904223) >>> 0; return x / 4294967296; };
}

/** Random structs (bit-fields, packed members, nested unions) and their sizeof/offsetof list. */
function randomStructs(seed: number): string {
  const r = rng(seed);
  const ints: [string, number][] = [['char', 8], ['unsigned char', 8], ['short', 16], ['unsigned short', 16], ['int', 32], ['unsigned', 32], ['long long', 64]];
  const out: string[] = [];
  const values: string[] = [];
  for (let k = 0; k < 12; k++) {
    const fields: string[] = [];
    const named: string[] = [];
    const n = 1 + Math.floor(r() * 7);
    for (let f = 0; f < n; f++) {
      const [t, bits] = ints[Math.floor(r() * ints.length)];
      const roll = r();
      if (roll < 0.4 && bits <= 32) {
        const w = r() < 0.1 ? 0 : 1 + Math.floor(r() * bits);
        fields.push(w === 0 ? `\t${t} :0;` : `\t${t} b${f}:${w}${r() < 0.2 ? ' __attribute__((packed))' : ''};`);
      } else if (roll < 0.5) {
        fields.push(`\tunion { ${t} x; char c[${1 + Math.floor(r() * 5)}]; } u${f};`);
        named.push(`u${f}`);
      } else {
        fields.push(`\t${t} m${f}${r() < 0.2 ? `[${1 + Math.floor(r() * 3)}]` : ''};`);
        named.push(`m${f}`);
      }
    }
    out.push(`struct s${k} {\n${fields.join('\n')}\n}${r() < 0.15 ? ' __attribute__((packed))' : ''};`);
    values.push(`sizeof(struct s${k})`, ...named.map((m) => `O(struct s${k}, ${m})`));
  }
  return `${out.join('\n')}\n#define O(t, m) ((unsigned)&((t *)0)->m)\nunsigned int layout[] = { ${values.join(', ')} };\n`;
}

describe('struct layout agrees with gcc -m32', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`random structs, seed ${seed}`, async () => {
      const src = randomStructs(seed);
      const ours = dataWords(await compileText(src), 'layout');
      expect(ours).toEqual(await gccWords(src, []));
    });
  }

  it('synthetic structs (long long, bit-fields, packed, unions, anonymous members)', async () => {
    const ours = dataWords(await compileText(synthetic), 'layout');
    expect(ours).toEqual(await gccWords(synthetic, []));
  });

  const sys = resolve('sample-kernel/sys');
  it.runIf(existsSync(join(sys, 'i386/include/segments.h')))('the sample kernel machine headers', async () => {
    const inc = join(scratch, 'machinc');
    mkdirSync(inc, { recursive: true });
    if (!existsSync(join(inc, 'machine'))) symlinkSync(join(sys, 'i386/include'), join(inc, 'machine'));
    const src = `#include <sys/param.h>
#include <sys/types.h>
#include <machine/segments.h>
#include <machine/tss.h>
#include <machine/frame.h>
#include <machine/pcb.h>
unsigned int layout[] = {
	sizeof(struct segment_descriptor), sizeof(struct gate_descriptor), sizeof(struct region_descriptor),
	sizeof(struct soft_segment_descriptor), sizeof(struct i386tss), sizeof(struct trapframe), sizeof(struct pcb),
};
`;
    const includeDirs = [inc, sys, join(sys, 'i386/include')];
    const ours = dataWords(await compileText(src, { includeDirs }), 'layout');
    expect(ours).toEqual(await gccWords(src, includeDirs));
  });
});
