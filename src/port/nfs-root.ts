/*
 * `xenoport boot --root nfs`: the i386-xeno kernel boots with its root on NFS
 * from domain 0 (seed step 12). The suite's root tree is built (buildXirRootImage)
 * and copied to a per-run export directory; domain 0's namespace starts with
 * nfs-ganesha serving it (NfsServer), the guest's xn0 is attached to the
 * namespace's tap (TapLink, DomainController), and the domain's command line
 * carries the static configuration `ip=169.254.1.1/16
 * nfsroot=169.254.1.0:<export>`. The root is read-write over NFS; the export's
 * copy of the XIR root tree gains the suite's write step in /etc/rc
 * (addWriteStep: nfswrite makes and checks a tree under WRITE_STEP_DIR), a tree
 * the caller gives is served as it is. The server, the relay and the namespace
 * are stopped on every path; the export directory stays (what the guest wrote
 * can be read there) unless the caller removes it. Virtual block devices
 * (`disks`) are served beside the network interface by the same domain
 * controller, so a guest with its root on NFS can make a file system on xbd0
 * (seed step 14).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Dom0Error, DOM0_IP, dom0Unavailable, NfsServer, TapLink } from '../dom0/index.js';
import { buildXirRootImage } from './root-image.js';
import { bootXen, type BootXenOptions, type BootXenResult } from './xen-kernel.js';

/** The guest's address and domain 0's, as the seed plan gives them. */
export const GUEST_IP = '169.254.1.1';
export const GUEST_PREFIX = 16;

/** Where the suite's write step makes its tree, from the guest's root. */
export const WRITE_STEP_DIR = '/written';

/**
 * Appends the write step to the export's /etc/rc (a per-run copy: the root
 * image's rc, which runs on the read-only md root too, is not changed).
 */
export function addWriteStep(exportDir: string): void {
  const rc = path.join(exportDir, 'etc', 'rc');
  appendFileSync(rc, `nfswrite\texit:0\t\t-\t/bin/nfswrite ${WRITE_STEP_DIR}\n`);
  // The suite's files program checks every file against the tree's manifest: rc's line follows the change.
  const manifest = path.join(exportDir, 'etc', 'manifest.md5');
  const md5 = createHash('md5').update(readFileSync(rc)).digest('hex');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^[0-9a-f]{32}( {2}etc\/rc)$/m, `${md5}$1`));
}

export interface NfsRootOptions extends BootXenOptions {
  /** More kernel environment words for the command line (e.g. init_path=/bin/files). */
  extraCmdLine?: string;
  /** Where the export directory is made (default: the system's temporary directory). */
  workDir?: string;
  /** The tree to export (copied); default the suite's root tree, built here. */
  tree?: string;
}

export interface NfsRootResult extends BootXenResult {
  /** The exported copy of the root tree. */
  exportDir: string;
}

export async function bootXenNfsRoot(opts: NfsRootOptions): Promise<NfsRootResult> {
  const why = dom0Unavailable();
  if (why) throw new Dom0Error(`--root nfs needs domain 0's network: ${why}`);
  const work = mkdtempSync(path.join(opts.workDir ?? tmpdir(), 'xenoport-nfsroot-'));
  const tree = opts.tree ?? path.join(path.dirname((await buildXirRootImage(opts.configFrom, path.join(work, 'xir'))).image), 'root');
  const exportDir = path.join(work, 'export');
  cpSync(tree, exportDir, { recursive: true, verbatimSymlinks: true });
  // A root has /dev (devfs is mounted there: /dev/xbd0 for newfs) and /mnt.
  for (const d of ['dev', 'mnt']) mkdirSync(path.join(exportDir, d), { recursive: true, mode: 0o755 });
  if (!opts.tree) addWriteStep(exportDir);
  const server = await NfsServer.start({ exportDir });
  let link: TapLink | undefined;
  try {
    link = TapLink.open(server.pid, server.vif);
    const cmdLine = [`ip=${GUEST_IP}/${GUEST_PREFIX}`, `nfsroot=${DOM0_IP}:${exportDir}`, opts.extraCmdLine ?? ''].join(' ').trim();
    opts.print?.(`xenoport: root on NFS from domain 0: ${DOM0_IP}:${exportDir} (nfs-ganesha in a private namespace, tap ${server.vif})\n`);
    const r = await bootXen({ ...opts, cmdLine, net: { link } });
    return { ...r, exportDir };
  } finally {
    link?.close();
    await server.stop();
  }
}
