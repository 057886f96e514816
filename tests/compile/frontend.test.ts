/*
 * Unit tests of the C front end, as data: inline asm templates → IR, CompileError
 * messages (original file:line:col + the construct), line-marker mapping (an
 * instruction inside a header's inline function names the header and its line),
 * i386 struct layout, K&R definitions, and the run driver's step limit.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileError } from '../../src/errors.js';
import { mapLineMarkers } from '../../src/compile/index.js';
import { runC } from '../../src/port/index.js';
import { krToPrototypes } from '../../src/compile/cpp.js';
import { compileText, irOf, writeTree } from './helpers.js';

const asmCases: [string, string, string[]][] = [
  ['lcr3', 'void f(unsigned x) { __asm __volatile("movl %0,%%cr3" : : "r" (x) : "memory"); }', ['intr lcr3 %x.0']],
  ['rcr2', 'unsigned f(void) { unsigned d; __asm __volatile("movl %%cr2,%0" : "=r" (d)); return d; }', ['intr rcr2']],
  ['cli/sti/hlt', 'void f(void) { __asm __volatile("cli" : : : "memory"); __asm volatile("sti"); __asm__("hlt"); }', ['intr cli', 'intr sti', 'intr hlt']],
  ['inb', 'unsigned char f(unsigned short port) { unsigned char data; __asm __volatile("inb %w1,%0" : "=a" (data) : "Nd" (port)); return data; }', ['intr inb %port.0']],
  ['outb', 'void f(unsigned short port, unsigned char data) { __asm __volatile("outb %0,%w1" : : "a" (data), "Nd" (port)); }', ['intr outb %data.1, %port.0']],
  ['invlpg m', 'void f(void *addr) { __asm __volatile("invlpg %0" : : "m" (*(char *)addr) : "memory"); }', ['intr invlpg %addr.0']],
  ['pushfl; popl', 'unsigned f(void) { unsigned ef; __asm __volatile("pushfl; popl %0" : "=r" (ef)); return ef; }', ['intr pushf', 'rdreg esp', 'wrreg esp']],
  ['pushl; popfl', 'void f(unsigned ef) { __asm __volatile("pushl %0; popfl" : : "r" (ef)); }', ['storew %ef.0', 'intr popf']],
  ['rdmsr =A', 'unsigned long long f(unsigned msr) { unsigned long long rv; __asm __volatile("rdmsr" : "=A" (rv) : "c" (msr)); return rv; }', ['wrreg ecx, %msr.0', 'intr rdmsr', 'rdreg eax', 'rdreg edx']],
  ['wrmsr A', 'void f(unsigned msr, unsigned long long v) { __asm __volatile("wrmsr" : : "A" (v), "c" (msr)); }', ['wrreg eax', 'wrreg edx', 'intr wrmsr']],
  ['cpuid "0"', 'void f(unsigned ax, unsigned *p) { __asm __volatile("cpuid" : "=a" (p[0]), "=b" (p[1]), "=c" (p[2]), "=d" (p[3]) : "0" (ax)); }', ['wrreg eax, %ax.0', 'intr cpuid', 'rdreg ebx']],
  ['lidt (%0)', 'void f(void *addr) { __asm __volatile("lidt (%0)" : : "r" (addr)); }', ['intr lidt %addr.0']],
  ['lldt/ltr', 'void f(unsigned short sel) { __asm __volatile("lldt %0" : : "r" (sel)); __asm __volatile("ltr %0" : : "r" (sel)); }', ['intr lldt %sel.0', 'intr ltr %sel.0']],
  ['bsfl rm', 'int f(int mask) { int r; __asm __volatile("bsfl %1,%0" : "=r" (r) : "rm" (mask)); return r; }', ['intr bsf %mask.0']],
  ['breakpoint stub', 'void f(void) { __asm __volatile("int3 # xenoport-breakpoint lcr3-write sys/i386/i386/pmap.c:123"); }', ['trap "lcr3-write sys/i386/i386/pmap.c:123"']],
  ['hypercall', 'int f(int op, int a1) { int ret; __asm __volatile("int $0x82" : "=a" (ret) : "0" (op), "b" (a1) : "memory"); return ret; }', ['wrreg eax, %op.0', 'wrreg ebx, %a1.1', 'hypercall', 'rdreg eax']],
  ['breakpoint stub macro (concatenated)', '#define XENO_BREAKPOINT(rule, where) __asm __volatile("int3 # xenoport-breakpoint " rule " " where)\nvoid f(void) { XENO_BREAKPOINT("cli", "sys/i386/isa/clock.c:42"); }', ['trap "cli sys/i386/isa/clock.c:42"']],
  ['hypercall with dummy outputs', 'int f(void *req, int count) { int ret, ign1, ign2; __asm__ __volatile__ ("int $0x82" : "=a" (ret), "=b" (ign1), "=c" (ign2) : "0" (1), "1" (req), "2" (count) : "memory"); return ret; }', ['wrreg eax, 1', 'wrreg ebx, %req.0', 'wrreg ecx, %count.1', 'hypercall']],
  ['cmpxchg + sete', 'int f(volatile unsigned *p, unsigned o, unsigned n) { unsigned char r; __asm __volatile("lock; cmpxchgl %3,%1; sete %0" : "=q" (r), "+m" (*p), "+a" (o) : "r" (n) : "memory"); return r; }', ['ceqw', 'jnz', 'storew']],
  ['lock addl +m', 'void f(unsigned *p, unsigned v) { __asm __volatile("lock; addl %1,%0" : "+m" (*p) : "ir" (v)); }', ['loadw %p.0', 'add', 'storew']],
];

describe('inline asm → IR', () => {
  for (const [name, src, want] of asmCases) {
    it(name, async () => {
      const ir = await irOf(src);
      for (const w of want) expect(ir).toContain(w);
    });
  }
});

async function compileError(src: string, headers: Record<string, string> = {}): Promise<CompileError> {
  try {
    await compileText(src, { headers });
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

const errorCases: [string, string, RegExp][] = [
  ['unknown asm template', 'void f(void) {\n\t__asm __volatile("ljmp $8, $1f");\n}\n', /test\.c:2:2: unsupported inline asm instruction `ljmp \$8, \$1f`/],
  ['floating point', 'int f(void) {\n  double d = 1.5;\n  return 0;\n}\n', /test\.c:2:3: unsupported C construct: floating point type/],
  ['undeclared identifier', 'int f(void) {\n\treturn nope + 1;\n}\n', /test\.c:2:9: undeclared identifier 'nope'/],
  ['unknown member', 'struct s { int a; };\nint f(struct s *p) { return p->b; }\n', /test\.c:2:32: no member named 'b'/],
  ['non-constant static init', 'int g(void);\nint x = g();\n', /test\.c:2:9: initializer element is not a compile-time constant/],
  ['break outside loop', 'void f(void) {\n  break;\n}\n', /test\.c:2:3: break outside a loop or switch/],
  ['syntax error', 'int f(void) {\n  return 1 +;\n}\n', /test\.c:2:\d+: syntax error/],
  ['failed static assertion', 'struct t { char c; int i; };\n_Static_assert(sizeof(struct t) == 8, "ok");\n_Static_assert(sizeof(struct t) == 5, "t is 5 bytes");\n', /test\.c:3:1: static assertion failed: "t is 5 bytes"/],
  ['cpp error', '#include "missing.h"\n', /test\.c:1:10: preprocessor: missing\.h: No such file/],
];

describe('CompileError names the original file:line:col and the construct', () => {
  for (const [name, src, re] of errorCases) {
    it(name, async () => {
      const e = await compileError(src);
      expect(e.where()).toMatch(re);
    });
  }
  it('an error inside a header names the header', async () => {
    const e = await compileError('#include "bad.h"\nint main(void) { return f(); }\n', {
      'bad.h': '/* a header */\nstatic inline int\nf(void)\n{\n\t__asm __volatile("frobnicate %eax");\n\treturn 0;\n}\n',
    });
    expect(e.where()).toMatch(/bad\.h:5:2: unsupported inline asm instruction `frobnicate %eax`/);
    expect(e.sourceLine).toContain('frobnicate');
  });
});

describe('line markers map instructions back to the original files', () => {
  it('an inline function from a header carries the header file and line', async () => {
    const m = await compileText('#include "cpufunc.h"\n\nvoid\nkick(void)\n{\n\tdisable_intr();\n}\n', {
      headers: {
        'cpufunc.h': '#ifndef CPUFUNC_H\n#define CPUFUNC_H\n\nstatic __inline void\ndisable_intr(void)\n{\n\t__asm __volatile("cli" : : : "memory");\n}\n#endif\n',
      },
    });
    const fn = m.funcs.find((f) => f.name === 'disable_intr')!;
    const cli = fn.blocks.flatMap((b) => b.instrs).find((i) => i.kind === 'intr')!;
    expect(m.files[cli.loc.file - 1]).toMatch(/cpufunc\.h$/);
    expect(cli.loc.line).toBe(7);
    const kick = m.funcs.find((f) => f.name === 'kick')!;
    const call = kick.blocks.flatMap((b) => b.instrs).find((i) => i.kind === 'call')!;
    expect(m.files[call.loc.file - 1]).toMatch(/test\.c$/);
    expect(call.loc.line).toBe(6);
  });
  it('unused static inline functions are not lowered', async () => {
    const m = await compileText('static __inline void unused(void) { __asm("cli"); }\nint main(void) { return 0; }\n');
    expect(m.funcs.map((f) => f.name)).toEqual(['main']);
  });
  it('mapLineMarkers follows # lines and blanks them', () => {
    const pp = mapLineMarkers('a.c', '# 1 "a.c"\nint a;\n# 10 "h.h" 1\nint h;\nint i;\n# 3 "a.c" 2\nint b;\n');
    expect(pp.locOfLine(1)).toEqual({ file: 'a.c', line: 1 });
    expect(pp.locOfLine(3)).toEqual({ file: 'h.h', line: 10 });
    expect(pp.locOfLine(4)).toEqual({ file: 'h.h', line: 11 });
    expect(pp.locOfLine(6)).toEqual({ file: 'a.c', line: 3 });
    expect(pp.text.split('\n')[2]).toBe('');
  });
});

describe('declarations', () => {
  it('K&R definitions become prototypes without moving lines', () => {
    const src = 'static char *\npick(x, y, which)\n\tchar *x, *y;\n\tint which;\n{\n\treturn x;\n}\n';
    const out = krToPrototypes(src);
    expect(out.split('\n')).toHaveLength(src.split('\n').length);
    expect(out).toContain('pick(char *x, char *y, int which)');
    expect(out.split('\n')[2].trim()).toBe('');
  });
  it('segment descriptors with bit-fields are 8 bytes, as gcc -m32 lays them out', async () => {
    const m = await compileText(`
struct segment_descriptor {
	unsigned sd_lolimit:16;
	unsigned sd_lobase:24 __attribute__((packed));
	unsigned sd_type:5;
	unsigned sd_dpl:2;
	unsigned sd_p:1;
	unsigned sd_hilimit:4;
	unsigned sd_xx:2;
	unsigned sd_def32:1;
	unsigned sd_gran:1;
	unsigned sd_hibase:8;
};
struct gate { unsigned short lo; unsigned short sel; unsigned char x; unsigned char t; unsigned short hi; };
struct ll { char c; long long v; };
int sizes[] = { sizeof(struct segment_descriptor), sizeof(struct gate), sizeof(struct ll) };
`);
    const d = m.data.find((x) => x.name === 'sizes')!;
    const bytes = d.items.flatMap((it) => (it.kind === 'string' ? [...it.bytes] : it.kind === 'zero' ? new Array<number>(it.size).fill(0) : [-1]));
    expect(bytes).toEqual([8, 0, 0, 0, 8, 0, 0, 0, 12, 0, 0, 0]);
  });
});

describe('GNU attributes after declarators', () => {
  it('aligned(N) reaches the data definition and the frame slot; others are dropped', async () => {
    const m = await compileText(`
#define PAGE_SIZE (1 << 12)
unsigned int PTD[1024] __attribute__((__aligned__(PAGE_SIZE)));
static int used __attribute__((unused)) = 3, other = 4;
void (*hook)(void) __attribute__((section(".data")));
int f(void) { char buf[32] __attribute__((aligned(16))); buf[0] = 1; return buf[0] + used + other; }
`);
    expect(m.data.find((d) => d.name === 'PTD')!.align).toBe(4096);
    expect(m.data.find((d) => d.name === 'used')!.items).toEqual([{ kind: 'string', bytes: Uint8Array.from([3, 0, 0, 0]) }]);
    const alloc = m.funcs[0].blocks[0].instrs.find((i) => i.kind === 'alloc') as { align: number };
    expect(alloc.align).toBe(16);
  });
});

describe('run driver', () => {
  it('stops a runaway program at --max-steps with a clear outcome', async () => {
    const dir = writeTree({ 'loop.c': 'int main(void) { volatile int x = 0; for (;;) x++; }\n' });
    const r = await runC([join(dir, 'loop.c')], { maxSteps: 100_000 });
    expect(r.outcome).toBe('step-limit');
    expect(r.steps).toBeGreaterThanOrEqual(100_000);
  });
  it('links several files: externs and statics of the same name', async () => {
    const dir = writeTree({
      'a.c': '#include <stdio.h>\nint counter;\nstatic int helper(void) { return 1; }\nint bump(int);\nextern const char *who;\nint main(void) { bump(41); printf("%d %s %d\\n", counter, who, helper()); return counter; }\n',
      'b.c': 'extern int counter;\nstatic int helper(void) { return 100; }\nconst char *who = "b.c";\nint bump(int n) { counter += n + helper() - 99; return counter; }\n',
    });
    const r = await runC([join(dir, 'a.c'), join(dir, 'b.c')]);
    expect(r.stdout).toBe('42 b.c 1\n');
    expect(r.exitCode).toBe(42);
  });
  it('reads stdin with getchar and fgets', async () => {
    const dir = writeTree({ 'cat.c': '#include <stdio.h>\nint main(void) { char line[64]; int c, n = 0; fgets(line, sizeof line, stdin); printf("[%s]", line); while ((c = getchar()) != EOF) n += c == 10; printf("%d\\n", n); return 0; }\n' });
    const r = await runC([join(dir, 'cat.c')], { stdin: 'first\nsecond\nthird\n' });
    expect(r.stdout).toBe('[first\n]2\n');
  });
  it('prints %p like glibc and reports the exit code', async () => {
    const dir = writeTree({ 'p.c': '#include <stdio.h>\nint main(void) { int x; printf("%p %d\\n", (void *)0, &x != 0); return 5; }\n' });
    const r = await runC([join(dir, 'p.c')]);
    expect(r.stdout).toBe('(nil) 1\n');
    expect(r.exitCode).toBe(5);
    expect(r.irText()).toMatch(/func (export )?\$main\(/);
  });
});

describe('floating point: declarable, never a value', () => {
  const half = 'static double\nhalf(double x)\n{\n\treturn (x / 2);\n}\nstruct m { float f; int i; };\n';
  it('an unused static function over double is left out; float members and prototypes have a size', async () => {
    const dir = writeTree({ 'f.c': `#include <math.h>\n${half}int main(void) { struct m s; s.i = 3; return s.i + (int)sizeof(struct m) + (int)sizeof(long double); }\n` });
    const r = await runC([join(dir, 'f.c')]);
    expect(r.exitCode).toBe(3 + 8 + 12);
    expect(r.irText()).not.toContain('$half');
  });
  it('the same function, once referred to, is the error, at its place', async () => {
    const e = await compileError(`${half}int main(void) { double (*p)(double) = half; return p != 0; }\n`);
    expect(e.where()).toMatch(/test\.c:2:1: unsupported C construct: floating point parameter or result/);
  });
  it('a call of a math function is an error at the call', async () => {
    const e = await compileError('#include <math.h>\nint f(int x) {\n\treturn (int)sqrt(x);\n}\n', { 'math.h': '#include "/dev/null"\ndouble sqrt(double);\n' });
    expect(e.where()).toMatch(/test\.c:3:\d+: unsupported C construct: floating point value/);
  });
});
