/*
 * The whole validation suite from the NFS root, checked from both ends of the wire.
 * The xenified sample kernel boots on the bundled Xen with its root on nfs-ganesha
 * in domain 0's namespace, lists the tree it mounted (vfs.root.walk=1: every
 * directory, file with its size and MD5, and symbolic link, as read over NFSv3) and
 * runs /sbin/init, whose /etc/rc suite must end in `validation: N/N passed` with N
 * the number of programs rc lists. Independent tools in the same namespace then
 * check the server: rpcinfo -p shows NFS v3 and MOUNT v3 on the ports the guest
 * used, and libnfs's nfs-ls -R lists the same export the guest listed, entry for
 * entry (type, path, size), so a disagreement tells the server's fault from the
 * guest's. `xenoport boot --root nfs` (the CLI) runs the same boot; its test
 * checks the validation line too. Needs root; skipped with the reason elsewhere,
 * never in CI.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootXen, buildXirRootImage } from '../../src/port/index.js';
import { checkInvariants, type Xen } from '../../src/hypervisor/index.js';
import { dom0Unavailable, DomainController, NfsServer, TapLink } from '../../src/dom0/index.js';

const why = dom0Unavailable();
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the NFS suite tests: ${why}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-nfssuite-'));
const exportDir = path.join(work, 'export');
let server: NfsServer | undefined;
let link: TapLink | undefined;

beforeAll(async () => {
  if (why) return;
  await buildXirRootImage(path.join(root, 'sample-kernel'), path.join(work, 'xir'));
  cpSync(path.join(work, 'xir', 'root'), exportDir, { recursive: true, verbatimSymlinks: true });
  server = await NfsServer.start({ exportDir });
  link = TapLink.open(server.pid, server.vif);
}, 300_000);

afterAll(async () => {
  link?.close();
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

describe.skipIf(!!why)('the validation suite from the NFS root', () => {
  it('lists the export, runs /sbin/init\'s whole suite from it, and independent tools in domain 0 see the same server and tree', async () => {
    let ctl: DomainController | undefined;
    let xen: Xen | undefined;
    const r = await bootXen({
      mode: 'hypercall',
      pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
      configFrom: path.join(root, 'sample-kernel'),
      output: path.join(work, 'sys'),
      memoryMB: 32,
      maxSteps: 8e9,
      cmdLine: `ip=169.254.1.1/16 nfsroot=169.254.1.0:${exportDir} vfs.root.walk=1`,
      onBuilt: ({ xen: x, dom }) => {
        xen = x;
        ctl = new DomainController(x, dom, { net: { link: link! } });
      },
    });
    const con = r.run?.console ?? r.summary;
    expect(con).toContain(`Mounting root from nfs:169.254.1.0:${exportDir}`);
    const programs = rcPrograms();
    expect(programs.length).toBeGreaterThan(10);
    expect(con).toContain(`init: running ${programs.length} programs`);
    for (const p of programs) expect(con, p).toMatch(new RegExp(`^PASS ${p}\\b`, 'm'));
    expect(con).not.toMatch(/^FAIL /m);
    expect(con).toMatch(new RegExp(`^validation: ${programs.length}/${programs.length} passed$`, 'm'));
    expect(con).toContain('init: exited with status 0');
    expect(con).toContain('malloc: every allocation since init started is freed');
    expect(r.run!.outcome).toBe('halted');
    expect(ctl!.netback!.stats.txErrors).toBe(0);
    expect(checkInvariants(xen!)).toEqual([]);

    // The portmapper in domain 0 has what the guest asked it for (NFS v3 and MOUNT v3 over UDP).
    const reg = await server!.exec('rpcinfo', ['-p', '169.254.1.0']);
    expect(reg.exitCode, reg.output).toBe(0);
    expect(reg.output).toMatch(/^\s*100000\s+2\s+udp\s+111\s+portmapper$/m);
    expect(reg.output).toMatch(/^\s*100003\s+3\s+udp\s+2049\s+nfs$/m);
    expect(reg.output).toMatch(/^\s*100005\s+3\s+udp\s+20048\s+mountd$/m);

    // An independent NFS client's listing of the export equals the guest's, entry for entry.
    const ls = await server!.exec('nfs-ls', ['-R', `nfs://169.254.1.0${exportDir}`]);
    expect(ls.exitCode, ls.output).toBe(0);
    const theirs = nfsLsListing(ls.output);
    const ours = guestListing(con);
    expect(ours.size).toBeGreaterThan(20);
    expect([...ours].sort()).toEqual([...theirs].sort());
    // And both equal the host's own view of the directory (find, not our code).
    const find = await execa('find', ['.', '-mindepth', '1', '-printf', '%y %P %s\\n'], { cwd: exportDir });
    const host = new Set(String(find.stdout).split('\n').map((l) => {
      const [t, p, s] = l.split(' ');
      return t === 'f' ? `- ${p} ${s}` : `${t} ${p}`;
    }));
    expect([...host].sort()).toEqual([...ours].sort());
    console.log(`nfs suite: ${ours.size} entries listed alike by the guest, nfs-ls and find; ${r.run!.steps} steps, ${r.run!.hypercalls} hypercalls`);
  }, 400_000);

  it('`xenoport boot --root nfs` runs the suite from the NFS root and exits 0', async () => {
    const cli = path.join(root, 'dist/src/cli/main.js');
    const r = await execa('node', [cli, 'boot', '--root', 'nfs'], { reject: false, cwd: root, env: { TMPDIR: work } });
    const out = String(r.stdout);
    expect(out).toMatch(/^xenoport: root on NFS from domain 0: 169\.254\.1\.0:\S+ \(nfs-ganesha in a private namespace, tap vif1\.0\)$/m);
    const n = rcPrograms().length;
    expect(out).toMatch(new RegExp(`^validation: ${n}/${n} passed$`, 'm'));
    expect(r.exitCode, String(r.stderr)).toBe(0);
  }, 400_000);
});
