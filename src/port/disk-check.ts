/*
 * The host's view of a disk image the guest wrote, through sleuthkit (fsstat,
 * fls, istat, tsk_recover): what the seed's step 14 is checked with. compareTree
 * says how the UFS1 file system in an image differs from a directory on the
 * host: every directory, regular file (its bytes, from tsk_recover) and symbolic
 * link (its text) of the tree must be there with the same type, and nothing
 * else but what `skip` names. Symbolic links and empty files are read with
 * istat: icat cannot read a link kept in its inode, and tsk_recover writes no
 * empty file. fsstatUfs1 reads the totals fsstat prints beside the
 * superblock's own (fs_cstotal), which must agree.
 */
import { execa } from 'execa';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PipelineError } from '../errors.js';

export interface Ufs1Stat {
  /** What fsstat prints. */
  blockSize: number;
  fragmentSize: number;
  cylinderGroups: number;
  freeBlocks: number;
  freeFragments: number;
  freeInodes: number;
  directories: number;
  /** The superblock's fs_cstotal, read from the image itself. */
  superblock: { ndir: number; nbfree: number; nifree: number; nffree: number };
}

/** Whether `cmd` is on the PATH. */
export async function hasCommand(cmd: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${cmd}`], { reject: false })).exitCode === 0;
}

async function tool(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false, maxBuffer: 64 << 20 });
  if (r.exitCode !== 0) throw new PipelineError(`${cmd} ${args.join(' ')}: ${String(r.stderr || r.stdout).trim() || r.shortMessage}`);
  return String(r.stdout);
}

function field(out: string, name: string): number {
  const m = new RegExp(`^${name}: (\\d+)`, 'm').exec(out);
  if (!m) throw new PipelineError(`fsstat prints no "${name}":\n${out}`);
  return Number(m[1]);
}

/** fsstat -f ufs1 of the image, and the superblock's totals (fs_cstotal at byte 8192 + 192). */
export async function fsstatUfs1(image: string): Promise<Ufs1Stat> {
  const out = await tool('fsstat', ['-f', 'ufs1', image]);
  const sb = readFileSync(image).subarray(8192, 8192 + 2048);
  return {
    blockSize: field(out, 'Block Size'),
    fragmentSize: field(out, 'Fragment Size'),
    cylinderGroups: field(out, 'Number of Cylinder Groups'),
    freeBlocks: field(out, 'Num of Avail Full Blocks'),
    freeFragments: field(out, 'Num of Avail Fragments'),
    freeInodes: field(out, 'Num of Avail Inodes'),
    directories: field(out, 'Num of Directories'),
    superblock: { ndir: sb.readInt32LE(192), nbfree: sb.readInt32LE(196), nifree: sb.readInt32LE(200), nffree: sb.readInt32LE(204) },
  };
}

export interface FlsEntry {
  /** fls's type column (d/d, r/r, l/l, ...). */
  type: string;
  inode: number;
  path: string;
}

/** fls -r -p: every allocated name in the image. */
export async function flsTree(image: string): Promise<FlsEntry[]> {
  const out = await tool('fls', ['-f', 'ufs1', '-r', '-p', image]);
  const rows: FlsEntry[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\*\s+)?(\d+)(?:\(realloc\))?:\t(.*)$/.exec(line);
    if (m && !m[2]) rows.push({ type: m[1]!, inode: Number(m[3]), path: m[4]! });
  }
  return rows;
}

/** Differences between the image's file system and `tree`; none when they agree. */
export async function compareTree(image: string, tree: string, skip: (rel: string) => boolean = () => false): Promise<string[]> {
  const diffs: string[] = [];
  const entries = await flsTree(image);
  const inImage = new Map(entries.filter((e) => !e.path.startsWith('$')).map((e) => [e.path, e]));
  const out = mkdtempSync(path.join(tmpdir(), 'xenoport-recover-'));
  try {
    await tool('tsk_recover', ['-f', 'ufs1', '-e', image, out]);
    const walk = async (rel: string): Promise<void> => {
      for (const name of readdirSync(path.join(tree, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        if (skip(r)) continue;
        const host = path.join(tree, r);
        const st = lstatSync(host);
        const e = inImage.get(r);
        inImage.delete(r);
        const want = st.isDirectory() ? 'd/d' : st.isSymbolicLink() ? 'l/l' : 'r/r';
        if (!e) diffs.push(`${r}: missing from the image`);
        else if (e.type !== want) diffs.push(`${r}: ${e.type} in the image, ${want} on the host`);
        else if (st.isSymbolicLink()) {
          const text = /^symbolic link to: (.*)$/m.exec(await tool('istat', ['-f', 'ufs1', image, String(e.inode)]))?.[1];
          if (text !== readlinkSync(host)) diffs.push(`${r}: the link reads ${JSON.stringify(text)}, on the host ${JSON.stringify(readlinkSync(host))}`);
        } else if (st.isFile() && st.size === 0) {
          // tsk_recover writes no empty files: istat gives the size.
          const size = /^size: (\d+)$/m.exec(await tool('istat', ['-f', 'ufs1', image, String(e.inode)]))?.[1];
          if (size !== '0') diffs.push(`${r}: ${size} bytes in the image, empty on the host`);
        } else if (st.isFile()) {
          let got: Buffer | undefined;
          try {
            got = readFileSync(path.join(out, r));
          } catch {
            got = undefined;
          }
          if (!got) diffs.push(`${r}: tsk_recover did not recover it`);
          else if (!got.equals(readFileSync(host))) diffs.push(`${r}: ${got.length} bytes recovered differ from the host's ${st.size}`);
        }
        if (st.isDirectory()) await walk(r);
      }
    };
    await walk('');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  for (const r of inImage.keys()) if (!skip(r)) diffs.push(`${r}: in the image, not on the host`);
  return diffs;
}
