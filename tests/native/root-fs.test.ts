/*
 * The root file system read back by the kernel's own UFS code (issue 14): makefs builds
 * the image from sample-kernel/userland (userland/mkroot.sh), the kernel compiled by
 * xenoport boots on the emulated PC with the image as its multiboot module and
 * vfs.root.walk=1, and prints one line per file, symlink and directory. Every line must
 * agree with the host's tree (sizes, MD5s, link targets and what they lead to), the
 * QEMU boot of the gcc kernel must print the same lines, and sleuthkit must read the same
 * files from the image (an independent reader). Damaged copies of the image (superblock
 * magic, a block pointer past the end, an inode number out of range) end in a console
 * line naming the damage and a clean halt, never a fault or a hang.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootNative, type BootResult } from '../../src/emulate/pc/index.js';
import { buildKernelImage, type KernelBuild } from '../../src/compile/index.js';
import { bootInQemu, findQemu } from '../../src/native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const build = path.join(kernelDir, 'build/i386');
const imagePath = path.join(build, 'root.img');
const treeDir = path.join(build, 'root');
const HALT_LINE = /^The operating system has halted\.$/;
const WALK = 'kernel vfs.root.walk=1';
const work = mkdtempSync(path.join(os.tmpdir(), 'xeno-rootfs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let kernel: KernelBuild;
let image: Buffer;

beforeAll(async () => {
  await execa('make', ['-s', '-C', kernelDir, 'native', 'root']);
  image = readFileSync(imagePath);
  kernel = await buildKernelImage(kernelDir);
}, 180_000);

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** The walk's lines for the host tree: what the kernel must print. */
function expectedWalk(dir: string, rel = ''): string[] {
  const out = [`D ${rel || '/'}`];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const r = `${rel}/${name}`;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) {
      const target = statSync(p);
      out.push(`L ${r} ${readlinkSync(p)} ${target.isFile() ? `${target.size} ${md5(readFileSync(p))}` : '-'}`);
    } else if (st.isDirectory()) out.push(...expectedWalk(p, r));
    else out.push(`F ${r} ${st.size} ${md5(readFileSync(p))}`);
  }
  return out;
}

const walkLines = (console: string): string[] => console.split('\n').filter((l) => /^[FLD] \//.test(l));

/** Boots on the emulated PC; the console with CR LF normalised, as QEMU's. */
function boot(img: Uint8Array, cmdline = WALK): BootResult {
  const r = bootNative(kernel.image!, { memoryMB: 32, maxSteps: 200_000_000, cmdline, modules: [{ bytes: img, cmdline: imagePath }] });
  return { ...r, console: r.console.replace(/\r\n/g, '\n') };
}

/** Superblock fields and inode addressing, from the image's primary superblock. */
function inodeOffset(img: Buffer, ino: number): number {
  const sb = 8192;
  const f = (o: number): number => img.readInt32LE(sb + o);
  const [iblkno, cgoffset, cgmask, fsize, fragshift, inopb, ipg, fpg] = [f(16), f(24), f(28), f(52), f(96), f(120), f(184), f(188)];
  const cg = Math.floor(ino / ipg);
  const cgstart = fpg * cg + cgoffset * (cg & ~cgmask);
  const fsba = cgstart + iblkno + ((Math.floor((ino % ipg) / inopb)) << fragshift);
  return fsba * fsize + (ino % inopb) * 128;
}

async function inodeOf(img: string, rel: string): Promise<number> {
  const r = await execa('ifind', ['-n', rel, img]);
  return Number(r.stdout.trim());
}

describe('the root file system image', () => {
  it('is the same bytes on every build', async () => {
    const again = path.join(work, 'again.img');
    await execa('sh', [path.join(kernelDir, 'userland/mkroot.sh'), path.join(kernelDir, 'userland'), path.join(work, 'tree'), again, path.join(work, 'again.md5')]);
    expect(md5(readFileSync(again))).toBe(md5(image));
  });

  it('holds the tree as sleuthkit reads it, the big file with an indirect block', async () => {
    const fls = await execa('fls', ['-r', '-p', imagePath]);
    // fls adds its virtual $OrphanFiles directory; the rest is the tree.
    const names = fls.stdout.split('\n').map((l) => l.split('\t')[1]).filter((n) => n && n !== '$OrphanFiles').sort();
    const host: string[] = [];
    const list = (d: string, rel: string): void => {
      for (const n of readdirSync(d)) {
        host.push(rel + n);
        if (lstatSync(path.join(d, n)).isDirectory()) list(path.join(d, n), `${rel}${n}/`);
      }
    };
    list(treeDir, '');
    expect(names).toEqual(host.sort());
    const big = await inodeOf(imagePath, 'data/big');
    const icat = await execa('icat', [imagePath, String(big)], { encoding: 'buffer', stripFinalNewline: false });
    expect(md5(Buffer.from(icat.stdout))).toBe(md5(readFileSync(path.join(treeDir, 'data/big'))));
    expect(statSync(path.join(treeDir, 'data/big')).size).toBeGreaterThan(12 * 8192);
    // The manifest made with md5sum on the host lists every file.
    const manifest = readFileSync(path.join(build, 'root.md5'), 'utf8').trim().split('\n');
    expect(manifest.length).toBe(expectedWalk(treeDir).filter((l) => l.startsWith('F ')).length);
  });
});

describe('the kernel reads the root file system back', () => {
  let pc: BootResult;
  beforeAll(() => {
    pc = boot(image);
  });

  it('on the emulated PC: every file, symlink and directory equal to the host tree', () => {
    expect(kernel.errors).toEqual([]);
    expect(pc.outcome, pc.report ?? pc.message).toBe('halt');
    expect(pc.console).toMatch(/^\/dev\/md0 on \/ \(ufs, local, read-only\)$/m);
    expect(walkLines(pc.console).sort()).toEqual(expectedWalk(treeDir).sort());
    expect(pc.console).toMatch(/^walk: \d+ files, 2 symlinks, \d+ directories, \d+ bytes, 0 errors$/m);
  });

  it.skipIf(!findQemu())('natively under QEMU (-initrd, -append): the same lines', async () => {
    const q = await bootInQemu({ kernelPath: path.join(build, 'kernel'), initrd: imagePath, append: 'vfs.root.walk=1', until: HALT_LINE, timeoutMs: 60_000 });
    expect(q.finished).toBe(true);
    const from = (c: string): string => c.slice(c.indexOf('Mounting root from'));
    expect(from(q.console)).toBe(from(pc.console));
  });
});

describe('a damaged image: a console line and a clean halt', () => {
  const halted = (r: BootResult): void => {
    expect(r.outcome, r.report ?? r.message).toBe('halt');
    expect(r.console).toMatch(/The operating system has halted\./);
  };

  it('bad superblock magic: not a UFS1 file system, the root mount fails', () => {
    const img = Buffer.from(image);
    img.writeInt32LE(0x12345678, 8192 + 1372);
    const r = boot(img);
    halted(r);
    expect(r.console).toMatch(/ffs_mountfs: \/dev\/md0: bad superblock magic 0x12345678 \(want 0x11954\): not a UFS1 file system/);
    expect(r.console).toMatch(/vfs_mountroot: unable to mount root file system/);
  });

  it('a block size that does not match its shift: the superblock is refused', () => {
    const img = Buffer.from(image);
    img.writeInt32LE(4096, 8192 + 48);
    const r = boot(img);
    halted(r);
    expect(r.console).toMatch(/ffs_mountfs: \/dev\/md0: superblock has a bad block and fragment shifts/);
  });

  it('a block pointer past the end of the disk: EIO for that file, the rest reads', async () => {
    const img = Buffer.from(image);
    const ino = await inodeOf(imagePath, 'data/big');
    img.writeInt32LE(0x00ffffff, inodeOffset(img, ino) + 40 + 4 * 3); // di_db[3]
    img.writeInt32LE(0x01000000, inodeOffset(img, ino) + 88); // di_ib[0]
    const r = boot(img);
    halted(r);
    expect(r.console).toMatch(new RegExp(`ffs: inode ${ino}: direct block 16777215 is outside the file system`));
    expect(r.console).toMatch(/walk: \/data\/big: read error 5/);
    expect(r.console).toMatch(/^F \/etc\/motd 117 /m);
  });

  it('an indirect block pointer past the end', async () => {
    const img = Buffer.from(image);
    const ino = await inodeOf(imagePath, 'data/big');
    img.writeInt32LE(0x01000000, inodeOffset(img, ino) + 88); // di_ib[0]
    const r = boot(img);
    halted(r);
    expect(r.console).toMatch(new RegExp(`ffs: inode ${ino}: indirect block 16777216 is outside the file system`));
  });

  it('a directory entry naming an inode out of range', async () => {
    const img = Buffer.from(image);
    // The root directory's first block: find the entry "etc" and point it far away.
    const rootDb0 = img.readInt32LE(inodeOffset(img, 2) + 40);
    const at = rootDb0 * 1024;
    let off = 0;
    let patched = false;
    while (off < 512) {
      const reclen = img.readUInt16LE(at + off + 4);
      const namlen = img[at + off + 7]!;
      if (img.toString('latin1', at + off + 8, at + off + 8 + namlen) === 'etc') {
        img.writeUInt32LE(0x7fffff00, at + off);
        patched = true;
        break;
      }
      off += reclen;
    }
    expect(patched).toBe(true);
    const r = boot(img);
    halted(r);
    expect(r.console).toMatch(/ffs_vget: inode 2147483392 is out of range \(the file system has \d+\)/);
    expect(r.console).toMatch(/walk: \/etc: error 22/);
  });
});
