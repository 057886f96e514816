/*
 * The whole validation suite from the NFS root, checked from both ends of the wire.
 * The xenified sample kernel boots on the bundled Xen with its root on nfs-ganesha
 * in domain 0's namespace, lists the tree it mounted (vfs.root.walk=1: every
 * directory, file with its size and MD5, and symbolic link, as read over NFSv3) and
 * runs /sbin/init, whose /etc/rc suite (with the write step, nfswrite, that
 * `--root nfs` adds) must end in `validation: N/N passed` with N the number of
 * programs rc lists. Independent tools in the same namespace then check the
 * server: rpcinfo -p shows NFS v3 and MOUNT v3 on the ports the guest used, and
 * libnfs's nfs-ls -R lists the same export the guest listed, entry for entry
 * (type, path, size), so a disagreement tells the server's fault from the
 * guest's. After the domain ends, the host reads what nfswrite wrote straight
 * from the export directory: exactly the expected tree, modes and bytes, and
 * nothing that was removed or renamed away. A read-only export refuses each
 * change with EROFS or EACCES and the guest lives on. `xenoport boot --root nfs`
 * (the CLI) runs the same suite; its test checks the validation line too. The
 * boots run in a worker thread (nfs-boot-job.ts), which also tallies the guest's
 * NFS calls off the wire. Needs root; skipped with the reason elsewhere, never in CI.
 */
import { execa } from 'execa';
import { cpSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWriteStep, buildXirRootImage, WRITE_STEP_DIR } from '../../src/port/index.js';
import { dom0Unavailable, NfsServer } from '../../src/dom0/index.js';
import { offThread } from '../support/off-thread.js';

const why = dom0Unavailable();
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the NFS suite tests: ${why}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-nfssuite-'));
const exportDir = path.join(work, 'export');
let server: NfsServer | undefined;

beforeAll(async () => {
  if (why) return;
  await buildXirRootImage(path.join(root, 'sample-kernel'), path.join(work, 'xir'));
  cpSync(path.join(work, 'xir', 'root'), exportDir, { recursive: true, verbatimSymlinks: true });
  addWriteStep(exportDir);
  // A server that takes at most 8 KiB per WRITE (ganesha's default is far more): nfswrite's
  // 100 KiB write(2) needs 13 of them. (libnfs's nfs-ls refuses a server below 8 KiB.)
  server = await NfsServer.start({ exportDir, maxWrite: 8192 });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The programs /etc/rc lists (name, then the expectation, the limit, the path). */
function rcPrograms(): string[] {
  return readFileSync(path.join(exportDir, 'etc', 'rc'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]!);
}

/** A listing entry as both sides can say it: type (d, -, l), path from the export's root, and a regular file's size. */
type Entry = string;

/** The kernel's vfs.root.walk lines (D path, F path size md5, L path target ...) as entries. */
function guestListing(con: string): Set<Entry> {
  const out = new Set<Entry>();
  for (const l of con.split(/\r?\n/)) {
    let m: RegExpExecArray | null;
    if ((m = /^D \/(\S+)$/.exec(l))) out.add(`d ${m[1]}`);
    else if ((m = /^F \/(\S+) (\d+) [0-9a-f]{32}$/.exec(l))) out.add(`- ${m[1]} ${m[2]}`);
    else if ((m = /^L \/(\S+) \S+ /.exec(l))) out.add(`l ${m[1]}`);
  }
  return out;
}

/** nfs-ls -R's lines (mode, links, uid, gid, size, path) as entries. */
function nfsLsListing(text: string): Set<Entry> {
  const out = new Set<Entry>();
  for (const l of text.split('\n')) {
    const m = /^([dl-])[rwxsStT-]{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\S+)$/.exec(l);
    if (!m) continue;
    out.add(m[1] === '-' ? `- ${m[3]} ${m[2]}` : `${m[1]} ${m[3]}`);
  }
  return out;
}

/** Boots the xenified kernel with its root on dir from srv, in a worker thread (nfs-boot-job.ts). */
function boot(srv: NfsServer, dir: string, extra = '') {
  return offThread('nfsBoot', {
    pid: srv.pid,
    vif: srv.vif,
    pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
    configFrom: path.join(root, 'sample-kernel'),
    output: path.join(work, 'sys'),
    cmdLine: `ip=169.254.1.1/16 nfsroot=169.254.1.0:${dir} ${extra}`.trim(),
  });
}

/** The byte at offset i of nfswrite's file of size n (its PATTERN). */
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8) + n) & 0xff;
  return b;
}

/** What nfswrite leaves under its directory: path -> contents (a Buffer), 'dir', or a link's target. */
const WRITTEN: Record<string, Buffer | 'dir' | { link: string }> = {
  f0: pattern(0), f1: pattern(1), f4095: pattern(4095), f4096: pattern(4096), f100k: pattern(100 * 1024),
  trunc: pattern(10), cut: Buffer.concat([pattern(9000).subarray(0, 4100), Buffer.alloc(1900)]), log: Buffer.from('one\ntwo\n'), new: pattern(3),
  a: 'dir', 'a/b': 'dir', 'a/b/c': 'dir', 'a/b/c/renamed': pattern(1234), 'a/d2': 'dir', 'a/d2/x': pattern(77),
  link: { link: 'f1' },
};

/** find's listing of dir, as entries. */
async function findListing(dir: string): Promise<Entry[]> {
  const find = await execa('find', ['.', '-mindepth', '1', '-printf', '%y %P %s\\n'], { cwd: dir });
  return String(find.stdout).split('\n').filter(Boolean).map((l) => {
    const [t, p, size] = l.split(' ');
    return t === 'f' ? `- ${p} ${size}` : `${t} ${p}`;
  });
}

describe.skipIf(!!why)('the validation suite from the NFS root', () => {
  it('lists the export, runs /sbin/init\'s whole suite from it with a step that writes, and independent tools in domain 0 see the same server and tree', async () => {
    const r = await boot(server!, exportDir, 'vfs.root.walk=1');
    const con = r.console;
    expect(con).toContain(`Mounting root from nfs:169.254.1.0:${exportDir}`);
    const programs = rcPrograms();
    expect(programs.length).toBeGreaterThan(10);
    expect(con).toContain(`init: running ${programs.length} programs`);
    for (const p of programs) expect(con, p).toMatch(new RegExp(`^PASS ${p}\\b`, 'm'));
    expect(con).not.toMatch(/^FAIL /m);
    expect(con).toMatch(new RegExp(`^validation: ${programs.length}/${programs.length} passed$`, 'm'));
    expect(con).toContain('init: exited with status 0');
    expect(con).toContain('malloc: every allocation since init started is freed');
    expect(r.outcome).toBe('halted');
    expect(con).toContain(`169.254.1.0:${exportDir} on / (nfs, read-write)`);
    expect(con).toMatch(/^nfs: 169\.254\.1\.0:\S+, file handle \d+ bytes, rsize 8192, wsize 8192$/m);
    expect(r.txErrors).toBe(0);
    expect(r.invariants).toEqual([]);

    // The portmapper in domain 0 has what the guest asked it for (NFS v3 and MOUNT v3 over UDP).
    const reg = await server!.exec('rpcinfo', ['-p', '169.254.1.0']);
    expect(reg.exitCode, reg.output).toBe(0);
    expect(reg.output).toMatch(/^\s*100000\s+2\s+udp\s+111\s+portmapper$/m);
    expect(reg.output).toMatch(/^\s*100003\s+3\s+udp\s+2049\s+nfs$/m);
    expect(reg.output).toMatch(/^\s*100005\s+3\s+udp\s+20048\s+mountd$/m);

    // An independent NFS client's listing of the export equals the guest's, entry for entry.
    // (The guest listed the tree before init ran; the write step's tree is compared below.)
    const written = WRITE_STEP_DIR.slice(1);
    const notWritten = (e: Entry): boolean => !e.split(' ')[1]!.startsWith(written);
    const ls = await server!.exec('nfs-ls', ['-R', `nfs://169.254.1.0${exportDir}`]);
    expect(ls.exitCode, ls.output).toBe(0);
    const theirs = [...nfsLsListing(ls.output)].filter(notWritten);
    const ours = guestListing(con);
    expect(ours.size).toBeGreaterThan(20);
    expect([...ours].sort()).toEqual(theirs.sort());
    // And both equal the host's own view of the directory (find, not our code).
    const host = (await findListing(exportDir)).filter(notWritten);
    expect(host.sort()).toEqual([...ours].sort());

    // The write step: its own listing, nfs-ls's and find's of the tree it made agree...
    expect(con).toMatch(/^nfswrite: \d+ entries written under \/written, each read back as written$/m);
    const steps = con.slice(con.indexOf('init: running'), con.indexOf('PASS nfswrite'));
    const guestWrote = steps.split(/\r?\n/).filter((l) => /^[dl-] \S+( \d+)?$/.test(l)).map((l) => (l.startsWith('- ') ? l : l.split(' ').slice(0, 2).join(' ')));
    const lsWritten = await server!.exec('nfs-ls', ['-R', `nfs://169.254.1.0${exportDir}${WRITE_STEP_DIR}`]);
    expect(lsWritten.exitCode, lsWritten.output).toBe(0);
    const expected = Object.entries(WRITTEN).map(([p, v]) => (v === 'dir' ? `d ${p}` : Buffer.isBuffer(v) ? `- ${p} ${v.length}` : `l ${p}`)).sort();
    expect(guestWrote.sort()).toEqual(expected);
    expect([...nfsLsListing(lsWritten.output)].sort()).toEqual(expected);
    expect((await findListing(path.join(exportDir, written))).sort()).toEqual(expected);
    // ...and the host reads exactly the bytes, modes and links nfswrite wrote.
    for (const [p, v] of Object.entries(WRITTEN)) {
      const full = path.join(exportDir, written, p);
      if (v === 'dir') expect(lstatSync(full).isDirectory(), p).toBe(true);
      else if (Buffer.isBuffer(v)) expect(readFileSync(full).equals(v), p).toBe(true);
      else expect(readlinkSync(full), p).toBe(v.link);
    }
    expect(lstatSync(path.join(exportDir, written, 'f0')).mode & 0o777).toBe(0o640);
    expect(lstatSync(path.join(exportDir, written, 'a/b/c')).mode & 0o777).toBe(0o750);
    // On the wire: every kind of change, WRITEs no larger than the server takes, and COMMITs.
    for (const proc of ['CREATE', 'MKDIR', 'SYMLINK', 'REMOVE', 'RMDIR', 'RENAME', 'SETATTR', 'COMMIT']) expect(r.calls[proc], proc).toBeGreaterThan(0);
    expect(r.calls.WRITE).toBeGreaterThanOrEqual(13 + 4);
    expect(r.maxWrite).toBe(8192);
    console.log(`nfs suite: the guest's NFS calls on the wire: ${JSON.stringify(r.calls)}`);
    console.log(`nfs suite: ${ours.size} entries listed alike by the guest, nfs-ls and find; the write step's ${expected.length} entries alike on the host; ${r.steps} steps, ${r.hypercalls} hypercalls`);
  }, 400_000);

  it('a read-only export refuses each change with EROFS or EACCES, and the guest lives on', async () => {
    const roDir = path.join(work, 'ro-export');
    cpSync(exportDir, roDir, { recursive: true, verbatimSymlinks: true });
    const motd = readFileSync(path.join(roDir, 'etc', 'motd'));
    writeFileSync(path.join(roDir, 'etc', 'rc'), 'nfswrite-ro\texit:0\t\t-\t/bin/nfswrite -r /etc/motd\n');
    const ro = await NfsServer.start({ exportDir: roDir, readOnly: true });
    try {
      const r = await boot(ro, roDir);
      const con = r.console;
      expect(con).toMatch(/^nfswrite: 7 changes at \/etc\/motd refused \(EROFS or EACCES\), the file unchanged$/m);
      expect(con).toContain('validation: 1/1 passed');
      expect(con).toContain('init: exited with status 0');
      expect(r.outcome).toBe('halted');
    } finally {
      await ro.stop();
    }
    expect(readFileSync(path.join(roDir, 'etc', 'motd')).equals(motd)).toBe(true);
    expect((await findListing(roDir)).filter((e) => e.includes('nfswrite.'))).toEqual([]);
  }, 400_000);

  it('`xenoport boot --root nfs` runs the suite from the NFS root and exits 0', async () => {
    const cli = path.join(root, 'dist/src/cli/main.js');
    const r = await execa('node', [cli, 'boot', '--root', 'nfs'], { reject: false, cwd: root, env: { TMPDIR: work } });
    const out = String(r.stdout);
    expect(out).toMatch(/^xenoport: root on NFS from domain 0: 169\.254\.1\.0:\S+ \(nfs-ganesha in a private namespace, tap vif1\.0\)$/m);
    const n = rcPrograms().length;
    expect(rcPrograms()).toContain('nfswrite');
    expect(out).toMatch(new RegExp(`^validation: ${n}/${n} passed$`, 'm'));
    expect(r.exitCode, String(r.stderr)).toBe(0);
  }, 400_000);
});
