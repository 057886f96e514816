// The port loop (seed steps 9-11) over the real hypervisor, with a generated kernel
// standing in for xenify + compile: each rule's site is a breakpoint stub until the
// loop switches the rule to hypercall mode, after which it is a console write.
import { describe, expect, it } from 'vitest';
import { portLoop, type PortStages } from '../../src/port/index.js';
import { kernelOf } from '../hypervisor/xen-helpers.js';

/** A kernel whose sites are stubs or Xen calls by rule; `sticky` rules stay stubs. */
function fakeStages(rules: string[], opts: { sticky?: string[]; extra?: string } = {}): PortStages & { builds: number } {
  let modes = new Set<string>();
  const st = {
    builds: 0,
    async xenify(h: Set<string>) {
      modes = new Set(h);
    },
    async build() {
      st.builds++;
      const data: string[] = [];
      const body: string[] = [];
      rules.forEach((r, k) => {
        const line = 100 + 10 * k;
        if (modes.has(r) && !opts.sticky?.includes(r)) {
          data.push(`data $m${k} { b "${r} ok\\012" }`);
          body.push(`\twrreg eax, 18 !2:${line}\n\twrreg ebx, 0 !2:${line}\n\twrreg ecx, ${r.length + 4} !2:${line}\n\twrreg edx, $m${k} !2:${line}\n\thypercall !2:${line}`);
        } else body.push(`\ttrap "${r} sys/i386/i386/machdep.c:${line}" !2:${line}`);
      });
      const text = `
file 1 "sys/kern/vfs_mountroot.c"
file 2 "sys/i386-xeno/i386/machdep.c"
data $root { b "panic: unable to mount root file system\\012" }
${data.join('\n')}
func export $btext() {
@entry
${body.join('\n')}
${opts.extra ?? ''}
	wrreg eax, 18 !1:5
	wrreg ebx, 0 !1:5
	wrreg ecx, 40 !1:5
	wrreg edx, $root !1:5
	hypercall !1:5
	wrreg eax, 6 !1:6
	wrreg ebx, 2 !1:6
	hypercall !1:6
	ret !1:7
}`;
      return { image: kernelOf(text), errors: [] };
    },
  };
  return st;
}

describe('xenoport port', () => {
  it('switches one rule per iteration until the root mount fails', async () => {
    const lines: string[] = [];
    const st = fakeStages(['pte-write', 'wrapper-load-cr3', 'cli-sti']);
    const r = await portLoop(st, { memoryMB: 8, maxSteps: 1e6, onLine: (l) => lines.push(l) });
    expect(r.outcome).toBe('root-mount');
    expect(r.switched).toEqual(['pte-write', 'wrapper-load-cr3', 'cli-sti']);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('1: stopped at the breakpoint stub of rule pte-write (sys/i386/i386/machdep.c:100); switching pte-write to hypercall mode');
    expect(lines[3]).toMatch(/^4: reached "unable to mount root file system" after \d+ hypercalls \(3 rules switched/);
    expect(r.last!.console).toBe('pte-write ok\nwrapper-load-cr3 ok\ncli-sti ok\npanic: unable to mount root file system\n');
  });

  it('stops at a site whose rule keeps a breakpoint in hypercall mode, and says which', async () => {
    const r = await portLoop(fakeStages(['pte-write', 'sensitive-smsw'], { sticky: ['sensitive-smsw'] }), { memoryMB: 8, maxSteps: 1e6 });
    expect(r.outcome).toBe('unfixable');
    expect(r.switched).toEqual(['pte-write', 'sensitive-smsw']);
    expect(r.message).toMatch(/rule sensitive-smsw is in hypercall mode but its stub at sys\/i386\/i386\/machdep.c:110 is still hit/);
  });

  it('stops at a privileged instruction no rule covers, naming the C line', async () => {
    const r = await portLoop(fakeStages(['pte-write'], { extra: '\tintr lcr0 0 !2:321' }), { memoryMB: 8, maxSteps: 1e6 });
    expect(r.outcome).toBe('unfixable');
    expect(r.message).toMatch(/privileged instruction lcr0 in ring 1.*at sys\/i386-xeno\/i386\/machdep.c:321: no rule covers this site/);
  });
});
