import { it } from 'vitest';
import { runHypercallFuzz, PGT_L2 } from '../../src/hypervisor/index.js';
it('scratch', () => {
  const c: Record<string, number> = {};
  const inc = (k: string) => (c[k] = (c[k] ?? 0) + 1);
  const r = runHypercallFuzz({ calls: 30000, seed: 0x5eed, instrument: (xen) => {
    const mm = xen.mm as any;
    for (const name of ['pin', 'unpin', 'newBaseptr', 'modL1Entry', 'modL2Entry', 'normalUpdate']) {
      const f = mm[name].bind(mm);
      mm[name] = (...a: any[]) => { const ok = f(...a); inc(name + (ok ? ':ok' : ':fail')); return ok; };
    }
    const g = mm.getFromL2e.bind(mm);
    mm.getFromL2e = (e: number, self: number, d: any) => { const t = e >>> 12; if ((e & 1) && t !== self && xen.mem.isFrame(t) && xen.mem.type[t] === PGT_L2 && xen.mem.typeCount[t] > 0) inc('linear-other'); return g(e, self, d); };
    (globalThis as any).lastLog = mm.log;
    const a = mm.getPageType.bind(mm);
    mm.getPageType = (f: number, t: number, d: any) => { const ok = a(f, t, d); if (xen.mem.typeCount[f] === 1) inc(`newtype${t}:${ok}`); return ok; };
  } });
  console.log(r.calls, r.violations.slice(0, 3), JSON.stringify(c), JSON.stringify(r.results)); console.log((globalThis as any).lastLog.slice(-15));
}, 600_000);
