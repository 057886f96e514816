/*
 * Ping from domain 0: the xenified sample kernel boots on the bundled Xen with
 * `ip=169.254.1.1/16` on its command line and its xn0 on the real tap vif1.0 of
 * domain 0's namespace (bridge xen-br0, 169.254.1.0/16); while it answers the
 * network (boot.netif.wait), the system's ping, run inside the namespace, sends
 * a bounded number of echo requests and must get three replies. Needs root;
 * skipped with the reason elsewhere, never in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bootXen } from '../../src/port/index.js';
import { checkInvariants, type Xen } from '../../src/hypervisor/index.js';
import { dom0Unavailable, DomainController, NfsServer, TapLink } from '../../src/dom0/index.js';

// The namespace's tools are domain 0's own; the ping is the system's (package iputils-ping).
const why = dom0Unavailable() ?? (spawnSync('sh', ['-c', 'command -v ping'], { stdio: 'ignore' }).status === 0 ? undefined : 'the system ping is not installed (apt-get install iputils-ping)');
if (why && process.env.CI) throw new Error(`CI must run the domain 0 tests: ${why}`);
if (why) console.log(`skipping the ping test: ${why}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-ping-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!!why)('the ported kernel on domain 0 network', () => {
  it('answers the system ping from the namespace', async () => {
    const server = await NfsServer.start({ exportDir: mkdtempSync(path.join(work, 'export-')) });
    let link: TapLink | undefined;
    try {
      link = TapLink.open(server.pid, server.vif);
      // Started before the boot: one probe a time (at most 120, 1 s each) until the
      // guest answers, then the measured run of three echo requests.
      const script = 'for i in $(seq 120); do ping -n -q -c 1 -W 1 169.254.1.1 >/dev/null 2>&1 && break; done; echo "probes: $i"; ping -n -c 3 -i 0.2 -W 2 169.254.1.1';
      const ping = server.exec('sh', ['-c', script], { timeoutMs: 180_000 });
      let ctl: DomainController | undefined;
      let xen: Xen | undefined;
      const r = await bootXen({
        mode: 'hypercall',
        pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
        configFrom: path.join(root, 'sample-kernel'),
        output: path.join(work, 'sys'),
        memoryMB: 32,
        maxSteps: 4e9,
        cmdLine: 'ip=169.254.1.1/16 boot.netif.wait=4',
        onBuilt: ({ xen: x, dom }) => {
          xen = x;
          ctl = new DomainController(x, dom, { net: { link: link! } });
        },
      });
      const out = await ping;
      const con = r.run?.console ?? r.summary;
      expect(con).toContain('xn0: inet 169.254.1.1 netmask 0xffff0000');
      expect(out.exitCode, `${out.output}\n${con}`).toBe(0);
      const replies = out.output.split('\n').filter((l) => /^\d+ bytes from 169\.254\.1\.1: icmp_seq=\d+ ttl=64/.test(l));
      expect(replies.length, out.output).toBe(3);
      expect(out.output).toMatch(/3 packets transmitted, 3 received, 0% packet loss/);
      expect(ctl!.netback!.stats.txErrors).toBe(0);
      expect(ctl!.netback!.stats.rxFlipRefused).toBe(0);
      expect(checkInvariants(xen!)).toEqual([]);
      console.log(`ping: ${/probes: \d+/.exec(out.output)?.[0]}; ${replies.join(' | ')}; netback ${JSON.stringify(ctl!.netback!.stats)}; ${r.run!.platform.ioWaits} real-time waits (${r.run!.platform.ioWaitedMs.toFixed(0)} ms)`);
    } finally {
      link?.close();
      await server.stop();
    }
  }, 300_000);
});
