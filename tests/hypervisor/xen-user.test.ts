// User mode under the bundled Xen: a ring-1 guest kernel (user-kernel/xkern.c) runs
// XIR ELF programs from its boot module in ring 3. Their system calls (int $0x80
// through a DPL-3 entry of the trap table), faults and timer events reach the
// kernel on the stack it gave stack_switch, with the ring-3 ss and esp pushed as
// Xen's create_bounce_frame does; its iret returns to ring 3; U/S is enforced for
// ring 3 only; a program written over the frames of one that ran runs its own code.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { link, parseModule, readXirElf, verifyModule, type LinkedImage } from '../../src/ir/index.js';
import { runXenImage } from '../../src/hypervisor/index.js';
import { compileC, popFrame, ramdisk, trapStub, userProgram } from '../emulate/pc/user-kernel.js';
import { withLocs } from '../emulate/pc/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Runs of the mutated-program campaign (XENOPORT_FUZZ_FULL=1: 100). */
const FUZZ_RUNS = process.env.XENOPORT_FUZZ_FULL ? 100 : 4;

let image: Promise<LinkedImage> | undefined;
function kernel(): Promise<LinkedImage> {
  image ??= (async () => {
    const c = await compileC(readFileSync(join(here, 'user-kernel/xkern.c'), 'utf8'), 'xkern.c', [], [join(here, '../../src/xen-abi/generated')]);
    const stubs = `
data $fault_cr2 export align 4 { w 0 }
func export $btext() {
@entry
	%si =w rdreg esi
	%sp =w rdreg esp
	%n =w loadw $nprog
	%l =w loadw $cpulimit_arg
	call $kmain(w %si, w %sp, w %n, w %l)
	unreachable
}
data $nprog export align 4 { w 0 }
data $cpulimit_arg export align 4 { w 0 }
func export varargs $cpu_switch() {
@entry
	%sp =w rdreg esp
	%pa =w add %sp, 4
	%old =w loadw %pa
	%pb =w add %sp, 8
	%new =w loadw %pb
	%ra =w loadw %sp
	storew %ra, %old
	%o4 =w add %old, 4
	storew %sp, %o4
	%n4 =w add %new, 4
	%nsp =w loadw %n4
	wrreg esp, %nsp
	%neip =w loadw %new
	storew %neip, %nsp
	ret
}
func export varargs $user_start() {
@entry
	%sp =w rdreg esp
${popFrame()}
}
${trapStub('Xde', 0, false)}
${trapStub('Xud', 6, false)}
${trapStub('Xgp', 13, true)}
${trapStub('Xpf', 14, true, 'fault_cr2')}
${trapStub('Xsyscall', 128, false)}
${trapStub('Xevent', 32, false)}
`;
    return link([c, verifyModule(parseModule(withLocs(stubs), 'xstubs.xir'))], { kind: 'kernel' });
  })();
  return image;
}

async function runXen(files: Uint8Array[], cpuTicks = 50, maxSteps = 2e8) {
  const img = await kernel();
  // The program count and the CPU limit are words of the image's .data.
  const data = img.sections.find((s) => s.name === '.data')!;
  const put = (name: string, v: number): void => {
    const sym = img.symbols.find((s) => s.name === name)!;
    new DataView(data.bytes.buffer, data.bytes.byteOffset).setUint32(sym.addr - data.vaddr, v, true);
  };
  put('nprog', files.length);
  put('cpulimit_arg', cpuTicks);
  const r = runXenImage(img, { memoryMB: 8, maxSteps, module: ramdisk(files), tickNs: 200_000 });
  const statuses = new Map<number, number>();
  for (const m of r.console.matchAll(/exit (\d+) status (\d+)$/gm)) statuses.set(Number(m[1]), Number(m[2]));
  return { ...r, statuses };
}

describe('user mode under Xen', () => {
  it('runs programs in ring 3: system calls, a demand-paged stack, signals for faults, timer events, and code written over code', async () => {
    const progs = await Promise.all([
      userProgram('hello', `
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
void _start(void) {
	char big[20000];
	big[0] = 1;
	big[19999] = 2;
	sayn("hello fib ", fib(15));
	sayn("stack ", big[0] + big[19999]);
	__syscall(1, 3);
}`),
      userProgram('priv', 'void _start(void) { say("priv\\n"); halt_cpu(); __syscall(1, 0); }'),
      userProgram('kmem', 'void _start(void) { sayn("kernel word ", *(int *)0xc0100000); __syscall(1, 0); }'),
      userProgram('null', 'void _start(void) { int *p = 0; *p = 1; __syscall(1, 0); }'),
      userProgram('div', 'void _start(void) { int z = __syscall(20) - 1; sayn("q ", 100 / z); __syscall(1, 0); }'),
      userProgram('spin', 'void _start(void) { volatile int x = 0; for (;;) x++; }'),
      userProgram('last', `
void _start(void) {
	int i, s = 1;
	for (i = 0; i < 10; i++)
		s = s * 2;
	sayn("last ", s);
	__syscall(1, 9);
}`),
    ]);
    const r = await runXen(progs);
    expect(r.outcome, `${r.console}\n${r.reportText ?? ''}`).toBe('shutdown');
    expect(r.console).toContain('hello fib 610\nstack 3\n');
    expect(r.console).toContain('last 1024\n');
    expect(r.console).not.toContain('kernel word');
    expect(r.statuses).toEqual(
      new Map([[1, 3], [2, 128 + 10], [3, 128 + 11], [4, 128 + 11], [5, 128 + 8], [6, 128 + 24], [7, 9]]),
    );
    expect(r.platform.upcalls).toBeGreaterThan(50);
    expect(r.platform.user!.gen).toBeGreaterThan(0);
  });

  it('survives programs whose code bytes are mutated at random: each ends with a status, the domain shuts down cleanly', async () => {
    const base = await userProgram('base', `
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
void _start(void) {
	int i, s = 0;
	char b[100];
	for (i = 0; i < 100; i++)
		b[i] = i;
	for (i = 0; i < 100; i++)
		s += b[i] * fib(i % 10);
	sayn("s ", s);
	__syscall(1, s & 255);
}`);
    const text = readXirElf(base).segments[0]!;
    let seed = 77;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 8;
    for (let n = 0; n < FUZZ_RUNS; n++) {
      const progs = Array.from({ length: 3 }, () => {
        const e = base.slice();
        for (let k = 1 + (rnd() % 6); k > 0; k--) {
          const at = text.offset + (rnd() % text.filesz);
          e[at] = rnd() & 1 ? e[at]! ^ (1 << (rnd() % 8)) : rnd() & 255;
        }
        return e;
      });
      const r = await runXen(progs, 50, 5e7);
      expect(r.outcome, `run ${n}: ${r.console.slice(-300)}\n${r.reportText ?? ''}`).toBe('shutdown');
      expect(r.shutdownReason).toBe('poweroff');
      expect([...r.statuses.keys()]).toEqual([1, 2, 3]);
    }
  }, 600_000);
});
