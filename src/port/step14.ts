/*
 * Seed step 14 end to end: the guest makes a file system on its Xen block
 * device, copies its root onto it and boots from it. Two boots of the i386-xeno
 * kernel share one disk image (blkback, `file:IMG,xbd0,w`):
 *   1. root on NFS from domain 0 (or, where domain 0's network cannot be made,
 *      the suite's root image as the boot module), with init_script=/etc/rc.step14:
 *      newfs /dev/xbd0, mount it on /mnt, cp -Rx /. /mnt, files /mnt (every copied
 *      file against the manifest), umount /mnt;
 *   2. root on xbd0 (vfs.root.mountfrom=ufs:/dev/xbd0): init runs /etc/rc, the
 *      validation suite, from the disk.
 * The tree the first boot copies is the suite's XIR root tree plus the empty
 * /dev (devfs is mounted there) and /mnt the sequence needs. The disk image and
 * that tree stay in the work directory for the host's checks (disk-check.ts).
 */
import { execa } from 'execa';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Dom0Error, dom0Unavailable } from '../dom0/index.js';
import { PipelineError } from '../errors.js';
import { compareTree, fsstatUfs1, type Ufs1Stat } from './disk-check.js';
import { bootXenNfsRoot } from './nfs-root.js';
import { buildXirRootImage } from './root-image.js';
import { bootXen, type BootXenOptions, type BootXenResult } from './xen-kernel.js';

/** The time stamp of the module image (FreeBSD 4.8's release, as mkroot.sh's). */
const TSTAMP = '1049328000';

export interface Step14Options extends Omit<BootXenOptions, 'cmdLine' | 'disks' | 'module'> {
  /** Where the tree, the disk image and the NFS export go (made if missing). */
  workDir: string;
  /** The copy's source: the root on NFS (needs domain 0's network) or the boot module. */
  root: 'nfs' | 'module';
  /** The disk's size in MiB (default 8). */
  diskMB?: number;
  /** Steps for each boot (default 4e9). */
  maxSteps?: number;
  /** The suite's root tree, already built (its root/ directory); default: built here. */
  sourceTree?: string;
}

export interface Step14Result {
  /** The disk image both boots used. */
  disk: string;
  /** The tree the first boot copied (the export's source, or the module's). */
  tree: string;
  /** Where the first boot's root came from, and why when NFS was asked for but could not be had. */
  root: 'nfs' | 'module';
  fallback?: string;
  first: BootXenResult;
  second?: BootXenResult;
  /** Wall time of each part, ms: the tree, boot 1, boot 2. */
  ms: { tree: number; first: number; second: number };
}

/** The suite's XIR root tree (built, unless `source` is one) plus /dev and /mnt, in workDir/tree. */
export async function step14Tree(kernelDir: string, workDir: string, source?: string): Promise<string> {
  const from = source ?? path.join(path.dirname((await buildXirRootImage(kernelDir, path.join(workDir, 'xir'))).image), 'root');
  const tree = path.join(workDir, 'tree');
  rmSync(tree, { recursive: true, force: true });
  cpSync(from, tree, { recursive: true, verbatimSymlinks: true });
  for (const d of ['dev', 'mnt']) mkdirSync(path.join(tree, d), { mode: 0o755 });
  return tree;
}

/** A UFS1 image of `tree` made by makefs, as mkroot.sh makes the suite's. */
export async function makefsImage(tree: string, image: string, size = '4m'): Promise<Uint8Array> {
  const r = await execa('makefs', ['-t', 'ffs', '-o', 'version=1,bsize=8192,fsize=1024', '-T', TSTAMP, '-s', size, image, tree], { reject: false });
  if (r.exitCode !== 0) throw new PipelineError(`makefs ${image}: ${String(r.stderr || r.stdout).trim() || r.shortMessage}`);
  return readFileSync(image);
}

export async function runStep14(opts: Step14Options): Promise<Step14Result> {
  const print = opts.print ?? (() => {});
  mkdirSync(opts.workDir, { recursive: true });
  let t0 = Date.now();
  const ms = { tree: 0, first: 0, second: 0 };
  const tree = await step14Tree(opts.configFrom, opts.workDir, opts.sourceTree);
  ms.tree = Date.now() - t0;
  t0 = Date.now();
  const disk = path.join(opts.workDir, 'xbd0.img');
  writeFileSync(disk, Buffer.alloc((opts.diskMB ?? 8) << 20));
  const disks = [`file:${disk},xbd0,w`];
  const boot = { ...opts, maxSteps: opts.maxSteps ?? 4e9, disks };

  let root = opts.root;
  let fallback: string | undefined;
  if (root === 'nfs' && (fallback = dom0Unavailable())) root = 'module';
  let first: BootXenResult;
  if (root === 'nfs') {
    print(`xenoport: boot 1: root on NFS, init_script=/etc/rc.step14, xbd0 = ${disk} (${opts.diskMB ?? 8} MiB)\n`);
    try {
      first = await bootXenNfsRoot({ ...boot, tree, workDir: opts.workDir, extraCmdLine: 'init_script=/etc/rc.step14' });
    } catch (e) {
      if (!(e instanceof Dom0Error)) throw e;
      fallback = e.message;
      root = 'module';
    }
  }
  if (root === 'module') {
    if (opts.root === 'nfs') print(`xenoport: the root stays the boot module: ${fallback}\n`);
    const module = await makefsImage(tree, path.join(opts.workDir, 'module.img'));
    print(`xenoport: boot 1: root on the boot module (${module.length} bytes), init_script=/etc/rc.step14, xbd0 = ${disk} (${opts.diskMB ?? 8} MiB)\n`);
    first = await bootXen({ ...boot, module, cmdLine: 'init_script=/etc/rc.step14' });
  }
  ms.first = Date.now() - t0;
  const result: Step14Result = { disk, tree, root, fallback, first: first!, ms };
  const con = first!.run?.console ?? '';
  if (!/^validation: (\d+)\/\1 passed\r?$/m.test(con)) {
    print('xenoport: the step-14 sequence did not pass: no second boot\n');
    return result;
  }
  print('xenoport: boot 2: root on xbd0 (vfs.root.mountfrom=ufs:/dev/xbd0), /etc/rc from the disk\n');
  t0 = Date.now();
  result.second = await bootXen({ ...boot, cmdLine: 'vfs.root.mountfrom=ufs:/dev/xbd0' });
  ms.second = Date.now() - t0;
  return result;
}

/** What the host sees on the disk after the sequence: sleuthkit's totals and its comparison with the tree. */
export interface Step14Check {
  stat: Ufs1Stat;
  /** fsstat's free counts equal the superblock's fs_cstotal. */
  totalsAgree: boolean;
  /** compareTree's differences (none when the copy is whole). */
  diffs: string[];
}

export async function checkStep14Disk(r: Step14Result): Promise<Step14Check> {
  const stat = await fsstatUfs1(r.disk);
  const sb = stat.superblock;
  const totalsAgree = sb.ndir === stat.directories && sb.nbfree === stat.freeBlocks && sb.nifree === stat.freeInodes && sb.nffree === stat.freeFragments;
  return { stat, totalsAgree, diffs: await compareTree(r.disk, r.tree) };
}

/** What formatStep14 reads of a result (a Step14Result, or one replayed from the stage cache). */
export type Step14Lines = Pick<Step14Result, 'disk' | 'root' | 'fallback' | 'ms'> & {
  first: { summary: string; run?: { console: string } };
  second?: { summary: string; run?: { console: string } };
};

/** The lines `npm start` prints for the sequence: the interesting console lines of each boot, then the host's check. */
export function formatStep14(r: Step14Lines, check?: Step14Check): string[] {
  const pick = (con: string, re: RegExp): string[] => con.split(/\r?\n/).filter((l) => re.test(l));
  const first = r.first.run?.console ?? r.first.summary;
  const sec = (n: number): string => `${(n / 1000).toFixed(1)} s`;
  const out = [
    `the tree: ${sec(r.ms.tree)}; boot 1 (${sec(r.ms.first)}, root ${r.root === 'nfs' ? 'on NFS from domain 0' : `on the boot module${r.fallback ? `: ${r.fallback}` : ''}`}, init_script=/etc/rc.step14):`,
    ...pick(first, /^(Mounting root|xbd0:|init: running|\/dev\/xbd0|super-block|PASS|FAIL|cp:|files:|umount:|validation:)/).map((l) => `  ${l}`),
  ];
  if (r.second) {
    const second = r.second.run?.console ?? r.second.summary;
    out.push(`boot 2 (${sec(r.ms.second)}, vfs.root.mountfrom=ufs:/dev/xbd0):`, ...pick(second, /^(Mounting root|\/dev\/xbd0 on|init: running|FAIL|validation:)/).map((l) => `  ${l}`));
  }
  if (check) {
    const s = check.stat;
    out.push(`sleuthkit on ${path.basename(r.disk)}: UFS1, ${s.blockSize}/${s.fragmentSize} bytes, ${s.cylinderGroups} cylinder groups; free ${s.freeBlocks} blocks, ${s.freeFragments} fragments, ${s.freeInodes} inodes, ${s.directories} directories (the superblock's totals ${check.totalsAgree ? 'agree' : 'DIFFER'})`);
    out.push(check.diffs.length ? `the image differs from the copied tree in ${check.diffs.length} places: ${check.diffs.slice(0, 5).join('; ')}` : 'fls, istat and tsk_recover: every file, directory and symbolic link of the copied tree, byte for byte');
  }
  return out;
}
