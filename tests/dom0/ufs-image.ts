/*
 * A UFS1 image as the host sees it, for the tests of the guest's file system writing:
 * empty images made by makefs, the pattern fswrite writes, and the consistency checks
 * (the superblock's totals, the summary area, the one cylinder group, its bitmaps and
 * fsstat all agree; the fragments a file of a given size holds).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { SuiteReport } from '../../src/port/index.js';
import { offThread } from '../support/off-thread.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pipelineFile = path.join(root, 'xenoport.pipeline.yaml');
const kernel = path.join(root, 'sample-kernel');
export const hasTools = ['makefs', 'fsstat', 'fls', 'tsk_recover'].every((t) => {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`]);
    return true;
  } catch {
    return false;
  }
});

export const TSTAMP = '1049328000';

/** An empty UFS1 file system of `size` (makefs's size syntax), 8 KiB blocks and 1 KiB fragments unless told; `scratch` holds its empty source directory. */
export function emptyUfs(scratch: string, img: string, size: string, blocks = 'bsize=8192,fsize=1024'): void {
  const dir = path.join(scratch, `empty-${path.basename(img)}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('makefs', ['-t', 'ffs', '-B', 'le', '-o', `version=1,${blocks},density=4096`, '-s', size, '-T', TSTAMP, img, dir], { stdio: 'pipe' });
}

/** Byte i of a file fswrite makes with key k. */
export function pattern(size: number, key: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + Math.floor(i / 251) + key) & 0xff;
  return b;
}


/** The superblock's fields the checks need (struct fs of <ufs/ffs/fs.h>, at SBOFF 8192). */
export function superblock(img: Buffer) {
  const sb = 8192;
  const i32 = (off: number) => img.readInt32LE(sb + off);
  return {
    cblkno: i32(12), dblkno: i32(20), size: i32(36), dsize: i32(40), ncg: i32(44), bsize: i32(48), fsize: i32(52), frag: i32(56),
    csaddr: i32(152), cgsize: i32(160), ipg: i32(184), fpg: i32(188),
    cstotal: { ndir: i32(192), nbfree: i32(196), nifree: i32(200), nffree: i32(204) },
    clean: img.readInt8(sb + 209),
  };
}

/** The one cylinder group's counts and what its bitmaps say (struct cg: cg_cs at 24, cg_iusedoff 92, cg_freeoff 96). */
export function cylinderGroup(img: Buffer) {
  const fs = superblock(img);
  expect(fs.ncg).toBe(1);
  const cg = fs.cblkno * fs.fsize;
  const i32 = (off: number) => img.readInt32LE(cg + off);
  expect(i32(4)).toBe(0x090255);
  const cs = { ndir: i32(24), nbfree: i32(28), nifree: i32(32), nffree: i32(36) };
  const ndblk = i32(20);
  const iused = cg + i32(92);
  const bfree = cg + i32(96);
  const bit = (base: number, n: number) => (img[base + (n >> 3)]! >> (n & 7)) & 1;
  let nbfree = 0;
  let nffree = 0;
  for (let b = 0; b * fs.frag < ndblk; b++) {
    let free = 0;
    for (let f = 0; f < fs.frag; f++) free += bit(bfree, b * fs.frag + f);
    if (free === fs.frag) nbfree++;
    else nffree += free;
  }
  let nifree = 0;
  for (let n = 0; n < fs.ipg; n++) nifree += bit(iused, n) ? 0 : 1;
  // cg_frsum: the free runs shorter than a block, as the bitmap has them.
  const frsum = Array.from({ length: fs.frag }, (_, k) => i32(52 + 4 * k));
  const runs = new Array<number>(fs.frag).fill(0);
  for (let b = 0; b * fs.frag < ndblk; b++) {
    let run = 0;
    for (let f = 0; f <= fs.frag; f++) {
      if (f < fs.frag && bit(bfree, b * fs.frag + f)) run++;
      else {
        if (run > 0 && run < fs.frag) runs[run]!++;
        run = 0;
      }
    }
  }
  // The cluster map (cg_clusteroff) marks exactly the free blocks, and
  // cg_clustersum counts its runs (capped at fs_contigsumsize).
  const contig = img.readInt32LE(8192 + 1316);
  const clusters = cg + i32(108);
  const nclusterblks = i32(112);
  const clustersum = Array.from({ length: contig }, (_, k) => i32(i32(104) + 4 * (k + 1)));
  const clusterRuns = new Array<number>(contig).fill(0);
  let mapWrong = 0;
  let crun = 0;
  for (let b = 0; b <= nclusterblks; b++) {
    const set = b < nclusterblks && bit(clusters, b) === 1;
    if (b < nclusterblks) {
      let free = 0;
      for (let f = 0; f < fs.frag; f++) free += bit(bfree, b * fs.frag + f);
      if ((free === fs.frag) !== set) mapWrong++;
    }
    if (set) crun++;
    else {
      if (crun > 0) clusterRuns[Math.min(crun, contig) - 1]!++;
      crun = 0;
    }
  }
  expect(contig).toBeGreaterThan(0);
  expect(mapWrong, 'cluster map against the block map').toBe(0);
  expect(clustersum, 'cg_clustersum').toEqual(clusterRuns);
  expect(frsum.slice(1), 'cg_frsum').toEqual(runs.slice(1));
  const summary = { ndir: img.readInt32LE(fs.csaddr * fs.fsize), nbfree: img.readInt32LE(fs.csaddr * fs.fsize + 4), nifree: img.readInt32LE(fs.csaddr * fs.fsize + 8), nffree: img.readInt32LE(fs.csaddr * fs.fsize + 12) };
  return { fs, cs, summary, bitmap: { nbfree, nffree, nifree } };
}

/** fsstat's free counts: the totals, the summary area's and the group's. */
export function fsstatCounts(imgPath: string) {
  const out = execFileSync('fsstat', ['-f', 'ufs1', imgPath], { encoding: 'utf8' });
  const all = (re: RegExp) => [...out.matchAll(re)].map((m) => Number(m[1]));
  return {
    out,
    blocks: all(/Num of Avail (?:Full )?Blocks: (\d+)/g),
    frags: all(/Num of Avail (?:Fragments|Frags): (\d+)/g),
    inodes: all(/Num of Avail Inodes: (\d+)/g),
    dirs: all(/Num of Dir(?:ectorie)?s: (\d+)/g),
  };
}

/** Every file system count agrees: superblock totals, summary area, cylinder group, bitmaps, fsstat. */
export function expectConsistent(imgPath: string) {
  const img = readFileSync(imgPath);
  const { fs, cs, summary, bitmap } = cylinderGroup(img);
  expect(fs.clean, 'the superblock is marked clean').toBe(1);
  expect(cs).toEqual(fs.cstotal);
  expect(summary).toEqual(fs.cstotal);
  expect({ nbfree: bitmap.nbfree, nffree: bitmap.nffree, nifree: bitmap.nifree }).toEqual({ nbfree: cs.nbfree, nffree: cs.nffree, nifree: cs.nifree });
  const st = fsstatCounts(imgPath);
  for (const n of st.blocks) expect(n).toBe(fs.cstotal.nbfree);
  for (const n of st.frags) expect(n).toBe(fs.cstotal.nffree);
  for (const n of st.inodes) expect(n).toBe(fs.cstotal.nifree);
  for (const n of st.dirs) expect(n).toBe(fs.cstotal.ndir);
  return { fs, freeFrags: fs.cstotal.nbfree * fs.frag + fs.cstotal.nffree };
}

/** Fragments a file or directory of `size` bytes holds: fragments for a short last direct block, whole blocks and indirect blocks past it. */
export function fragsFor(size: number, bsize = 8192, fsize = 1024): number {
  const frag = bsize / fsize;
  const nindir = bsize / 4;
  const nblocks = Math.ceil(size / bsize);
  if (nblocks === 0) return 0;
  if (nblocks <= 12) return (nblocks - 1) * frag + Math.ceil((size - (nblocks - 1) * bsize) / fsize);
  let frags = nblocks * frag + frag; // data, the single indirect block
  if (nblocks > 12 + nindir) frags += frag * (1 + Math.ceil((nblocks - 12 - nindir) / nindir));
  return frags;
}

/** The XIR userland in `dest` with this `rc` as /etc/rc and /mnt, /mnt2, /mnt3, as a UFS1 root image (the boot module). */
export function ufsRootImage(scratch: string, dest: string, rc: string, name: string): Uint8Array {
  const tree = path.join(scratch, `root-${name}`);
  rmSync(tree, { recursive: true, force: true });
  cpSync(dest, tree, { recursive: true });
  mkdirSync(path.join(tree, 'etc'), { recursive: true });
  mkdirSync(path.join(tree, 'mnt'), { recursive: true });
  mkdirSync(path.join(tree, 'mnt2'), { recursive: true });
  mkdirSync(path.join(tree, 'mnt3'), { recursive: true });
  writeFileSync(path.join(tree, 'etc/rc'), rc);
  const img = path.join(scratch, `root-${name}.img`);
  execFileSync('makefs', ['-t', 'ffs', '-o', 'version=1,bsize=8192,fsize=1024', '-T', TSTAMP, '-s', '4m', img, tree], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(img));
}

/** Boots the xenified sample kernel with `module` as its root and these disks, in a worker thread (a boot is one synchronous stretch, tests/support/off-thread.ts). */
export async function bootWithDisks(scratch: string, module: Uint8Array, disks: string[]) {
  const r = await offThread('suiteXen', { mode: 'hypercall', pipelineFile, configFrom: kernel, output: path.join(scratch, 'xeno', 'sys'), memoryMB: 32, maxSteps: 4e9, module, disks });
  return { con: r.boot.run?.console ?? r.boot.summary, summary: r.boot.summary, run: r.boot.run, report: r.report as SuiteReport | undefined };
}
