/*
 * The double indirect block, written and freed by the guest's UFS1 code. On a file
 * system of 4 KiB blocks (NINDIR = 1024) a file of 1,088 blocks needs 12 direct
 * blocks, the single indirect block's 1,024 and 52 through the double indirect block
 * and one single indirect block under it. /bin/fswrite writes it, remounts the disk
 * read-only and reads it back; on a second disk it also removes it; on a third it
 * cuts it to 14 blocks with truncate(2) and makes a sparse file of 10,000 bytes with
 * ftruncate(2). The host then reads the images with sleuthkit: icat's bytes are
 * fswrite's pattern (zeros for the sparse file), istat names the indirect blocks, the
 * counts agree everywhere (ufs-image.ts), the fragments used are exactly the files'
 * data and their indirect blocks, and after the removal every fragment is free again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildXirRootImage } from '../../src/port/index.js';
import { bootWithDisks, emptyUfs, expectConsistent, fragsFor, hasTools, pattern, ufsRootImage } from './ufs-image.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-ufsind-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BLOCKS = 'bsize=4096,fsize=512';
const SIZE = 1088 * 4096;
const keep = path.join(work, 'keep.img');
const gone = path.join(work, 'gone.img');
const cut = path.join(work, 'cut.img');
const CUTSIZE = 13 * 4096 + 100;
let dest = '';

/** The inode number of `name` in the image's root directory. */
function inode(img: string, name: string): string {
  const fls = execFileSync('fls', ['-f', 'ufs1', '-u', '-p', img], { encoding: 'utf8' });
  const ino = new RegExp(`^r/r (\\d+):\\t${name}$`, 'm').exec(fls)?.[1];
  expect(ino, fls).toBeDefined();
  return ino!;
}

/** The bytes of `name` in the image's root directory, as sleuthkit reads them. */
const icat = (img: string, name: string): Buffer => execFileSync('icat', ['-f', 'ufs1', img, inode(img, name)], { maxBuffer: 8 << 20 });

beforeAll(async () => {
  if (!hasTools) return;
  const built = await buildXirRootImage(kernel, path.join(work, 'xir'));
  dest = path.join(path.dirname(built.image), 'dest');
  emptyUfs(work, keep, '6m', BLOCKS);
  emptyUfs(work, gone, '6m', BLOCKS);
  emptyUfs(work, cut, '6m', BLOCKS);
}, 900_000);

describe.skipIf(!hasTools)('UFS1 double indirect blocks', () => {
  it('a file past the single indirect block is written, read back, freed whole, and cut short; ftruncate extends a file sparsely', async () => {
    const freeBefore = expectConsistent(keep).freeFrags;
    expect(expectConsistent(gone).freeFrags).toBe(freeBefore);
    const rc = ['fswrite-big\texit:0\t-\t/bin/fswrite big /dev/xbd0', 'fswrite-bigrm\texit:0\t-\t/bin/fswrite bigrm /dev/xbd1', 'fswrite-bigcut\texit:0\t-\t/bin/fswrite bigcut /dev/xbd2', ''].join('\n');
    const { con } = await bootWithDisks(work, ufsRootImage(work, dest, rc, 'big'), [`file:${keep},xbd0,w`, `file:${gone},xbd1,w`, `file:${cut},xbd2,w`]);
    expect(con, con).toMatch(/^PASS fswrite-big\r?$/m);
    expect(con).toMatch(/^PASS fswrite-bigrm\r?$/m);
    expect(con).toMatch(/^PASS fswrite-bigcut\r?$/m);
    expect(con).toMatch(/fswrite: the big file reads back: ok/);
    expect(con).toMatch(/fswrite: remove the big file: ok/);
    expect(con).not.toMatch(/panic|FAILED/);

    const bytes = icat(keep, 'big');
    expect(bytes.length).toBe(SIZE);
    expect(bytes.equals(pattern(SIZE, 21))).toBe(true);
    const ino = inode(keep, 'big');
    // istat lists the indirect blocks' fragments apart from the data ("Indirect
    // Blocks:"): three whole blocks, the single, the double and the one single
    // indirect block under the double, each 8 fragments from a block boundary.
    const ist = execFileSync('istat', ['-f', 'ufs1', keep, ino!], { encoding: 'utf8' });
    const frags = (/Indirect Blocks:\n([\s\S]*?)(?:\n\n|$)/.exec(ist)?.[1]?.trim().split(/\s+/) ?? []).map(Number);
    expect(frags.length, ist).toBe(3 * 8);
    const starts = frags.filter((f) => f % 8 === 0);
    expect(starts.length, ist).toBe(3);
    for (const s of starts) expect(frags.filter((f) => f >= s && f < s + 8).length).toBe(8);
    const after = expectConsistent(keep);
    expect(freeBefore - after.freeFrags).toBe(fragsFor(SIZE, 4096, 512));
    expect(fragsFor(SIZE, 4096, 512)).toBe((1088 + 3) * 8);

    const removed = expectConsistent(gone);
    expect(removed.freeFrags, 'every block of the removed file, indirect ones too, is free again').toBe(freeBefore);
    expect(execFileSync('fls', ['-f', 'ufs1', '-u', '-p', gone], { encoding: 'utf8' })).not.toMatch(/\tbig$/m);

    // Cut to 14 blocks (12 direct, 2 through the single indirect block): the double
    // indirect level is gone; the sparse file holds only its last block's 4 fragments.
    expect(con).toMatch(/fswrite: truncate to a negative length fails with 22: ok/);
    expect(con).toMatch(/fswrite: ftruncate of a read-only descriptor fails with 22: ok/);
    expect(con).toMatch(/fswrite: truncate on a read-only mount fails with 30: ok/);
    expect(icat(cut, 'big').equals(pattern(CUTSIZE, 21))).toBe(true);
    const grown = icat(cut, 'grow');
    expect(grown.length).toBe(10000);
    expect(grown.equals(Buffer.alloc(10000))).toBe(true);
    const cutIndirect = /Indirect Blocks:\n([\s\S]*?)(?:\n\n|$)/.exec(execFileSync('istat', ['-f', 'ufs1', cut, inode(cut, 'big')], { encoding: 'utf8' }))?.[1]?.trim().split(/\s+/) ?? [];
    expect(cutIndirect.length).toBe(8);
    const lastFrags = Math.ceil((10000 - 2 * 4096) / 512);
    expect(freeBefore - expectConsistent(cut).freeFrags).toBe(fragsFor(CUTSIZE, 4096, 512) + lastFrags);
  }, 1_200_000);
});
