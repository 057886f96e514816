/*
 * UFS1 writing in the xenified sample kernel, checked by the host's own tools.
 * The root is a UFS1 image of the XIR userland with an /etc/rc of this test's
 * (the boot module, root on md0); empty UFS1 images made by makefs are the
 * domain's disks. /bin/fswrite mounts xbd0 read-write on /mnt with mount(2),
 * makes a known tree, removes, renames and truncates some of it and unmounts;
 * then sleuthkit reads the image: fsstat parses it and its three copies of the
 * free counts (superblock totals, summary area, cylinder group) agree with each
 * other and with the cylinder group's bitmaps as counted here (the fragment run
 * counts and the cluster map and its run counts too), fls lists exactly
 * the expected tree, tsk_recover's bytes equal the pattern, and the fragments in
 * use equal what the files' and directories' sizes need (computed here from the
 * sizes alone). A second boot mounts the image read-only and reads it back; a
 * read-only disk refuses a read-write mount with EROFS; a small disk fills up
 * with ENOSPC and stays consistent; a damaged cylinder group makes allocation
 * fail (ENOSPC, a console line), not a fault. The 1 MiB write is timed per program, and
 * its disk, left mounted, is unmounted clean by the shutdown.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildXirRootImage, type SuiteReport } from '../../src/port/index.js';
import { bootWithDisks, emptyUfs as makeEmptyUfs, expectConsistent, fragsFor, hasTools, pattern, superblock, ufsRootImage } from './ufs-image.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pipelineFile = path.join(root, 'xenoport.pipeline.yaml');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-ufsw-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const emptyUfs = (img: string, size: string): void => makeEmptyUfs(work, img, size);

/** The tree fswrite leaves on xbd0: regular files with their pattern keys. */
const FILES: Record<string, { size: number; key: number } | Buffer> = {
  empty: { size: 0, key: 1 },
  one: { size: 1, key: 2 },
  'd1/k1.moved': { size: 1024, key: 3 },
  'd1/d2/k8': { size: 8192, key: 4 },
  k100: { size: 102400, key: 5 },
  m1: { size: 1048576, key: 6 },
  'd3moved/leaf': { size: 3000, key: 7 },
  old: { size: 300, key: 8 },
  frag: { size: 2500, key: 9 },
  trunc: Buffer.from('truncated\n'),
};
for (let i = 0; i < 40; i++) if (i % 3 !== 0) FILES[`d1/many/entry-with-a-longer-name-${String(i).padStart(2, '0')}`] = { size: i * 10, key: 10 + i };
const DIRS = ['d1', 'd1/d2', 'd1/many', 'd3moved'];
const LINKS: Record<string, string> = { link1: 'one', link2: 'x'.repeat(119) };

const rootImage = (dest: string, rc: string, name: string): Uint8Array => ufsRootImage(work, dest, rc, name);
const boot = (module: Uint8Array, disks: string[]) => bootWithDisks(work, module, disks);

let dest = '';
const disk = path.join(work, 'disk.img');
const rodisk = path.join(work, 'rodisk.img');
const small = path.join(work, 'small.img');
let freeBefore = 0;
let first: Awaited<ReturnType<typeof boot>> | undefined;

beforeAll(async () => {
  if (!hasTools) return;
  const built = await buildXirRootImage(kernel, path.join(work, 'xir'));
  dest = path.join(path.dirname(built.image), 'dest');
  emptyUfs(disk, '4m');
  emptyUfs(rodisk, '1m');
  emptyUfs(small, '512k');
  freeBefore = expectConsistent(disk).freeFrags;
}, 900_000);

describe.skipIf(!hasTools)('UFS1 writing through mount(2)', () => {
  it('fswrite makes its tree on xbd0, and the host finds exactly it, consistent', async () => {
    const rc = ['fswrite-write\texit:0\t-\t/bin/fswrite write /dev/xbd0', 'fswrite-rodev\texit:0\t-\t/bin/fswrite rodev /dev/xbd1', 'fswrite-fill\texit:0\t-\t/bin/fswrite fill /dev/xbd2', ''].join('\n');
    first = await boot(rootImage(dest, rc, 'write'), [`file:${disk},xbd0,w`, `file:${rodisk},xbd1,r`, `file:${small},xbd2,w`]);
    const { con } = first;
    if (process.env.UFSW_KEEP) { cpSync(disk, '/tmp/ufsw-disk.img'); writeFileSync('/tmp/ufsw-con.txt', con); }
    expect(con, con).toMatch(/^PASS fswrite-write\r?$/m);
    expect(con).toMatch(/^PASS fswrite-rodev\r?$/m);
    expect(con).toMatch(/^PASS fswrite-fill\r?$/m);
    expect(con).toMatch(/^validation: 3\/3 passed\r?$/m);
    expect(con).toMatch(/fswrite: read-write mount of a read-only disk fails with 30: ok/);
    expect(con).toMatch(/fswrite: write on a full disk fails with 28: ok/);
    expect(con).not.toMatch(/panic|FAILED/);

    // The tree, as sleuthkit lists it: exactly what fswrite left.
    const fls = execFileSync('fls', ['-f', 'ufs1', '-r', '-p', '-l', '-u', disk], { encoding: 'utf8' });
    const listed = new Map<string, { type: string; ino: number; size: number }>();
    for (const line of fls.trim().split('\n')) {
      const m = /^(\S+) \*?\s*(\d+)(?:\(realloc\))?:\t([^\t]+)\t(?:[^\t]*\t){4}(\d+)/.exec(line);
      if (!m || m[3] === '$OrphanFiles') continue;
      listed.set(m[3]!, { type: m[1]!, ino: Number(m[2]), size: Number(m[4]) });
    }
    const want = [...Object.keys(FILES), ...DIRS, ...Object.keys(LINKS)].sort();
    expect([...listed.keys()].sort()).toEqual(want);
    for (const d of DIRS) expect(listed.get(d)!.type).toBe('d/d');
    for (const l of Object.keys(LINKS)) expect(listed.get(l)!.type).toBe('l/l');

    // The bytes: tsk_recover's copy of every file equals the pattern (it
    // leaves empty files out), and so does icat's of each inode.
    const out = path.join(work, 'recovered');
    execFileSync('tsk_recover', ['-a', '-f', 'ufs1', disk, out], { stdio: 'pipe' });
    for (const [rel, f] of Object.entries(FILES)) {
      const wantBytes = Buffer.isBuffer(f) ? f : pattern(f.size, f.key);
      if (wantBytes.length > 0) expect(readFileSync(path.join(out, rel)).equals(wantBytes), rel).toBe(true);
      const got = execFileSync('icat', ['-f', 'ufs1', disk, String(listed.get(rel)!.ino)], { maxBuffer: 4 << 20 });
      expect(got.length, rel).toBe(wantBytes.length);
      expect(got.equals(wantBytes), rel).toBe(true);
    }
    // Symbolic links (tsk_recover's known exception): istat names the target.
    for (const [l, target] of Object.entries(LINKS)) {
      const ist = execFileSync('istat', ['-f', 'ufs1', disk, String(listed.get(l)!.ino)], { encoding: 'utf8' });
      expect(/^symbolic link to: (.*)$/m.exec(ist)?.[1], l).toBe(target);
      expect(listed.get(l)!.size).toBe(target.length);
    }
    expect(readdirSync(path.join(out, 'd1/many')).length).toBe(26);
    // chmod(2) reached the inode.
    expect(execFileSync('istat', ['-f', 'ufs1', disk, String(listed.get('one')!.ino)], { encoding: 'utf8' })).toMatch(/^mode: [r-]rw-------$/m);

    // The counts: every copy agrees, and the fragments in use are exactly what
    // the sizes need (the root directory's growth included, from its size).
    const after = expectConsistent(disk);
    const rootSize = Number(/size: (\d+)/.exec(execFileSync('istat', ['-f', 'ufs1', disk, '2'], { encoding: 'utf8' }))![1]);
    let used = fragsFor(rootSize) - 1; // the root had one fragment before
    for (const [rel, v] of listed) used += v.type === 'l/l' && v.size < 60 ? 0 : fragsFor(v.size);
    expect(freeBefore - after.freeFrags).toBe(used);
    expect(after.fs.cstotal.ndir).toBe(1 + DIRS.length);
    expect(statSync(disk).size).toBe(4 << 20);

    // The full disk: no block or inode left, and consistent too.
    const full = expectConsistent(small);
    expect(full.fs.cstotal.nbfree).toBe(0);
    expect(full.fs.cstotal.nifree).toBe(0);
    expectConsistent(rodisk);
  }, 1_200_000);

  it('a second boot mounts the disk read-only and reads back what the first wrote; writes there fail with EROFS', async () => {
    expect(first, 'the first boot ran').toBeDefined();
    const rc = 'fswrite-verify\texit:0\t-\t/bin/fswrite verify /dev/xbd0\n';
    const { con } = await boot(rootImage(dest, rc, 'verify'), [`file:${disk},xbd0,r`]);
    expect(con, con).toMatch(/^PASS fswrite-verify\r?$/m);
    expect(con).toMatch(/fswrite: \/mnt\/m1 reads back 1048576 bytes: ok/);
    expect(con).toMatch(/fswrite: create on a read-only mount fails with 30: ok/);
    expect(con).toMatch(/^validation: 1\/1 passed\r?$/m);
  }, 900_000);

  it('a damaged cylinder group (its free map said to lie past its block): allocation fails with a console line and ENOSPC, never a fault', async () => {
    const bad = path.join(work, 'badcg.img');
    emptyUfs(bad, '1m');
    const b = readFileSync(bad);
    const fs = superblock(b);
    b.writeInt32LE(0x7ffff000, fs.cblkno * fs.fsize + 96); // cg_freeoff
    writeFileSync(bad, b);
    const rc = 'fswrite-write\texit:0\t-\t/bin/fswrite write /dev/xbd0\n';
    const { con, run } = await boot(rootImage(dest, rc, 'badcg'), [`file:${bad},xbd0,w`]);
    expect(con, con).toMatch(/^ffs: cylinder group 0 has a bad header\r?$/m);
    // No group to allocate from is a full disk, as in FreeBSD's ffs_hashalloc.
    expect(con).toMatch(/fswrite: create a 1-byte file: FAILED \(errno 28\)/);
    expect(con).toMatch(/^FAIL fswrite-write: exit status \d+\r?$/m);
    expect(con).toMatch(/^validation: 0\/1 passed\r?$/m);
    expect(con).not.toMatch(/panic/);
    expect(['halted', 'shutdown']).toContain(run!.outcome);
    // It was unmounted all the same: the superblock is marked clean.
    expect(superblock(readFileSync(bad)).clean).toBe(1);
  }, 900_000);

  it('the 1 MiB write, timed: bytes per wall second and hypercalls per MiB; the shutdown unmounts the disks clean', async () => {
    const bench = path.join(work, 'bench.img');
    const warm = path.join(work, 'warm.img');
    const bench0 = path.join(work, 'bench0.img');
    for (const img of [bench, warm, bench0]) emptyUfs(img, '4m');
    // The engine compiles code the first time it runs: a first 1 MiB (warm)
    // runs the write path once, then the measured one, then the baseline.
    const rc = ['fswrite-warm\texit:0\t-\t/bin/fswrite bench /dev/xbd1 /mnt2', 'fswrite-bench\texit:0\t-\t/bin/fswrite bench /dev/xbd0', 'fswrite-bench0\texit:0\t-\t/bin/fswrite bench0 /dev/xbd2 /mnt3', ''].join('\n');
    const { con, report, summary } = await boot(rootImage(dest, rc, 'bench'), [`file:${bench},xbd0,w`, `file:${warm},xbd1,w`, `file:${bench0},xbd2,w`]);
    expect(con, con).toMatch(/^PASS fswrite-bench\r?$/m);
    expect(con).toMatch(/^PASS fswrite-bench0\r?$/m);
    // The 1 MiB's own cost: the bench less the same program without the data.
    const part = (name: string) => report!.parts.find((p) => p.name === name)!;
    const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
    const [b1, b0] = [part('fswrite-bench'), part('fswrite-bench0')];
    const ms = b1.ms - b0.ms;
    const kinds = Object.fromEntries(Object.keys(b1.hypercalls).map((k) => [k, (b1.hypercalls[k] ?? 0) - (b0.hypercalls[k] ?? 0)]));
    console.log(`fswrite bench: 1 MiB in ${ms.toFixed(0)} ms wall (${b1.ms.toFixed(0)} less ${b0.ms.toFixed(0)}) (${((1 << 20) / (ms / 1000)).toFixed(0)} bytes/s), ${((b1.steps - b0.steps) / (1 << 20)).toFixed(1)} IR steps per byte, ${total(b1.hypercalls) - total(b0.hypercalls)} hypercalls per MiB ${JSON.stringify(kinds)}; whole run: ${/xen: blkback: .*/.exec(summary)?.[0] ?? ''}`);
    expect(total(b1.hypercalls)).toBeGreaterThan(total(b0.hypercalls));
    // Left mounted by fswrite: the shutdown wrote them back and marked them clean.
    expect(con).toMatch(/fswrite: leaving \/mnt mounted for the shutdown/);
    expect(con).toMatch(/fswrite: leaving \/mnt2 mounted for the shutdown/);
    expect(con).toMatch(/fswrite: leaving \/mnt3 mounted for the shutdown/);
    const after = expectConsistent(bench);
    expectConsistent(bench0);
    expectConsistent(warm);
    const fls = execFileSync('fls', ['-f', 'ufs1', '-u', '-p', bench], { encoding: 'utf8' });
    const ino = /^r\/r (\d+):\tbench$/m.exec(fls)?.[1];
    expect(ino, fls).toBeDefined();
    const chunk = pattern(16384, 15);
    expect(execFileSync('icat', ['-f', 'ufs1', bench, ino!], { maxBuffer: 4 << 20 }).equals(Buffer.concat(new Array(64).fill(chunk)))).toBe(true);
    expect(freeBefore - after.freeFrags).toBe(fragsFor(1 << 20));
  }, 900_000);
});
