// A tiny kernel for the user-mode tests, written in C (compiled by xenoport's front
// end) with IR stubs for the trap entry/exit and the privileged instructions. It runs
// on BarePC in ring 0 and gives user processes what issue 14's kernel will: XIR ELF
// programs read from a RAM disk and mapped into per-process address spaces at
// 0x08048000, system calls by int $0x80 (FreeBSD numbers: exit 1, fork 2, write 4,
// wait4 7, getpid 20, execve 59, sched_yield 331; the number in eax, arguments above
// the stub's return address on the user stack), timer preemption, demand-paged
// stacks, and signals as exit statuses (128 + signal) for faults.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFile, findSymbol, link, linkUserProgram, type LinkedImage } from '../../src/compile/index.js';
import { parseModule, verifyModule, type IRModule } from '../../src/ir/index.js';
import { BarePC, type BootResult } from '../../src/emulate/pc/index.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, SS } from '../../src/emulate/regs.js';
import { withLocs } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'xeno-user-'));
let nfile = 0;

/** Compiles C text (freestanding) to an IR module. */
export async function compileC(text: string, name: string): Promise<IRModule> {
  const file = join(scratch, `${nfile++}-${name}`);
  writeFileSync(file, text);
  return compileFile(file, { includeDirs: [scratch] });
}

const GDT = 0x1000;
const IDT = 0x2000;
const TSS = 0x3000;
const BOOT_STACK = 0x90000;
const KCODE = 0x08, KDATA = 0x10, UCODE = 0x2b, UDATA = 0x33, TSSSEL = 0x38;
export const RAMDISK = 0x600000;
export const DEBUG_EXIT = 0xf4;

// Trap frame, low address first (what the stubs push below the CPU's frame).
const TF_WORDS = ['edi', 'esi', 'ebp', 'ebx', 'edx', 'ecx', 'eax'];

/** IR: pushes the registers under the CPU's frame, calls trap(tf), pops them and irets. */
function trapStub(name: string, vector: number, errorCode: boolean): string {
  const lines: string[] = [`func export $${name}() {`, '@entry', '\t%sp0 =w rdreg esp'];
  let k = 0;
  const push = (v: string): void => {
    lines.push(`\t%p${k} =w sub %sp0, ${4 * (k + 1)}`, `\tstorew ${v}, %p${k}`);
    k++;
  };
  if (!errorCode) push('0');
  push(String(vector));
  for (const r of ['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi']) {
    lines.push(`\t%r${k} =w rdreg ${r}`);
    push(`%r${k}`);
  }
  lines.push(`\t%tf =w sub %sp0, ${4 * k}`, '\twrreg esp, %tf', '\tcall $trap(w %tf)', '\t%sp =w rdreg esp', popFrame(), '}');
  return lines.join('\n');
}

/** IR: with %sp -> a trap frame, restores the registers, drops trapno and err, and irets. */
function popFrame(): string {
  const pop = TF_WORDS.map((r, k) => `\t%a${k} =w add %sp, ${4 * k}\n\t%v${k} =w loadw %a${k}\n\twrreg ${r}, %v${k}`).join('\n');
  return `${pop}\n\t%top =w add %sp, 36\n\twrreg esp, %top\n\tiret`;
}

/** IR of the kernel's assembly parts. */
export function kernelStubs(): string {
  return `
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
# A new process starts here (cpu_switch's ret): esp -> its trap frame.
func export varargs $user_start() {
@entry
	%sp =w rdreg esp
${popFrame()}
}
func export $outb(w %port, w %v) {
@entry
	intr outb %v, %port
	ret
}
func export $lcr3(w %v) {
@entry
	intr lcr3 %v
	ret
}
func export $rcr2() : w {
@entry
	%v =w intr rcr2
	ret %v
}
func export $paging_on(w %pd) {
@entry
	intr lcr3 %pd
	%c =w intr rcr0
	%c =w or %c, 2147483649
	intr lcr0 %c
	ret
}
func export $debug_exit(w %code) {
@entry
	intr outb %code, ${DEBUG_EXIT}
	ret
}
${trapStub('Xde', 0, false)}
${trapStub('Xud', 6, false)}
${trapStub('Xgp', 13, true)}
${trapStub('Xpf', 14, true)}
${trapStub('Xtimer', 32, false)}
${trapStub('Xsyscall', 128, false)}
`;
}

export const KERNEL_C = `
struct trapframe {
	unsigned tf_edi, tf_esi, tf_ebp, tf_ebx, tf_edx, tf_ecx, tf_eax;
	unsigned tf_trapno, tf_err, tf_eip, tf_cs, tf_eflags, tf_esp, tf_ss;
};
struct pcb { unsigned pcb_eip, pcb_esp; };
struct proc {
	int p_pid, p_stat, p_ticks, p_xstat, p_pptr, p_limit;
	unsigned p_pd, p_kstack;
	struct pcb p_pcb;
};
#define NPROC	8
#define SFREE	0
#define SRUN	1
#define SZOMB	2
#define PG_V	1
#define PG_RW	2
#define PG_U	4
#define USRSTACK	0xbfc00000
#define STACKLIM	0xbfb00000
#define TSS_ESP0	((unsigned *)0x3004)

void cpu_switch(struct pcb *, struct pcb *);
void user_start(void);
void outb(int, int);
void lcr3(unsigned);
unsigned rcr2(void);
void paging_on(unsigned);
void debug_exit(int);

struct proc procs[NPROC];
struct proc *curproc;
unsigned next_page = 0x200000;
unsigned kpd;
int nextpid = 1;
int nswitch;
int ticks;

void
putc(int c)
{
	outb(0x3f8, c);
}

void
puts(char *s)
{
	while (*s)
		putc(*s++);
}

void
putn(int n)
{
	char b[12];
	int i = 0;

	if (n < 0) {
		putc('-');
		n = -n;
	}
	do {
		b[i++] = '0' + n % 10;
		n /= 10;
	} while (n);
	while (i > 0)
		putc(b[--i]);
}

void
panic(char *s)
{
	puts("panic: ");
	puts(s);
	putc('\\n');
	debug_exit(99);
}

unsigned
palloc(void)
{
	unsigned p = next_page;
	unsigned *w = (unsigned *)p;
	int i;

	if (p >= 0x600000)
		panic("out of pages");
	next_page += 4096;
	for (i = 0; i < 1024; i++)
		w[i] = 0;
	return (p);
}

/* The page table entry of va in page directory pd, made when asked. */
unsigned *
pte(unsigned pd, unsigned va, int make)
{
	unsigned *pde = (unsigned *)pd + (va >> 22);

	if ((*pde & PG_V) == 0) {
		if (!make)
			return (0);
		*pde = palloc() | PG_V | PG_RW | PG_U;
	}
	return ((unsigned *)(*pde & ~4095) + ((va >> 12) & 1023));
}

/* The frame mapped at va, mapping a fresh one when there is none. */
unsigned
frame(unsigned pd, unsigned va, int flags)
{
	unsigned *p = pte(pd, va, 1);

	if ((*p & PG_V) == 0)
		*p = palloc() | PG_V | PG_U | flags;
	return (*p & ~4095);
}

unsigned
rd32(unsigned char *p)
{
	return (p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24));
}

/* File k of the RAM disk: its bytes, and its size in *sizep. */
unsigned char *
disk_file(int k, int *sizep)
{
	unsigned *d = (unsigned *)${RAMDISK};

	if (k < 0 || k >= d[0])
		return (0);
	*sizep = d[2 + 2 * k];
	return ((unsigned char *)${RAMDISK} + d[1 + 2 * k]);
}

/*
 * Maps the PT_LOAD segments of XIR ELF file k into pd, reusing frames already
 * mapped there (execve), and returns the entry point (0 if the file is not one).
 */
unsigned
load_elf(unsigned pd, int k)
{
	int size, i, n;
	unsigned char *f = disk_file(k, &size);
	unsigned char *ph;
	unsigned off, va, filesz, memsz, flags, a, fr;

	if (f == 0 || f[0] != 0x7f || f[1] != 'E' || f[4] != 1 || (f[18] | (f[19] << 8)) != 0x5849)
		return (0);
	n = f[44] | (f[45] << 8);
	for (i = 0; i < n; i++) {
		ph = f + rd32(f + 28) + 32 * i;
		if (rd32(ph) != 1)
			continue;
		off = rd32(ph + 4);
		va = rd32(ph + 8);
		filesz = rd32(ph + 16);
		memsz = rd32(ph + 20);
		flags = (rd32(ph + 24) & 2) ? PG_RW : 0;
		for (a = 0; a < memsz; a++) {
			fr = frame(pd, va + a, flags);
			*((unsigned char *)fr + ((va + a) & 4095)) = a < filesz ? f[off + a] : 0;
		}
	}
	return (rd32(f + 24));
}

void
sched(void)
{
	struct proc *old = curproc, *p = 0;
	int i, k = old - procs;

	for (i = 1; i <= NPROC; i++) {
		p = &procs[(k + i) % NPROC];
		if (p->p_stat == SRUN)
			break;
	}
	if (p->p_stat != SRUN)
		panic("nothing to run");
	if (p == old)
		return;
	curproc = p;
	nswitch++;
	lcr3(p->p_pd);
	*TSS_ESP0 = p->p_kstack + 4096;
	cpu_switch(&old->p_pcb, &p->p_pcb);
}

struct proc *
newproc(void)
{
	int i;

	for (i = 1; i < NPROC; i++)
		if (procs[i].p_stat == SFREE) {
			procs[i].p_pid = nextpid++;
			procs[i].p_ticks = 0;
			procs[i].p_limit = 400;
			procs[i].p_pptr = curproc - procs;
			procs[i].p_kstack = palloc();
			return (&procs[i]);
		}
	panic("no proc slots");
	return (0);
}

/* A fresh page directory: the kernel's identity map of the first 8 MB, nothing else. */
unsigned
newpd(void)
{
	unsigned pd = palloc();

	((unsigned *)pd)[0] = ((unsigned *)kpd)[0];
	((unsigned *)pd)[1] = ((unsigned *)kpd)[1];
	return (pd);
}

/* Sets p to enter user mode at eip with stack esp when first switched to. */
void
setregs(struct proc *p, struct trapframe *tf, unsigned eip, unsigned esp)
{
	int i;
	unsigned *w = (unsigned *)tf;

	for (i = 0; i < 14; i++)
		w[i] = 0;
	tf->tf_eip = eip;
	tf->tf_cs = ${UCODE};
	tf->tf_eflags = 0x202;
	tf->tf_esp = esp;
	tf->tf_ss = ${UDATA};
}

unsigned
newstack(unsigned pd)
{
	unsigned fr;
	unsigned *w;

	fr = frame(pd, USRSTACK - 4096, PG_RW);
	w = (unsigned *)(fr + 4096 - 16);
	w[0] = 0;	/* argc */
	w[1] = 0;	/* argv[] ends */
	w[2] = 0;	/* envp[] ends */
	return (USRSTACK - 16);
}

int
spawn(int k)
{
	struct proc *p = newproc();
	struct trapframe *tf = (struct trapframe *)(p->p_kstack + 4096 - sizeof(struct trapframe));
	unsigned entry;

	p->p_pd = newpd();
	entry = load_elf(p->p_pd, k);
	if (entry == 0)
		panic("bad program");
	setregs(p, tf, entry, newstack(p->p_pd));
	p->p_pcb.pcb_eip = (unsigned)user_start;
	p->p_pcb.pcb_esp = (unsigned)tf - 4;
	p->p_stat = SRUN;
	return (p->p_pid);
}

void
exit1(int xstat)
{
	curproc->p_xstat = xstat;
	curproc->p_stat = SZOMB;
	sched();
	panic("zombie ran");
}

/* A copy of the user part of pd: every page copied into a new frame. */
unsigned
copy_as(unsigned pd)
{
	unsigned npd = newpd(), *pde, *pt, va, nf, i, j;

	for (i = 2; i < 1024; i++) {
		pde = (unsigned *)pd + i;
		if ((*pde & PG_V) == 0)
			continue;
		pt = (unsigned *)(*pde & ~4095);
		for (j = 0; j < 1024; j++) {
			if ((pt[j] & PG_V) == 0)
				continue;
			va = (i << 22) | (j << 12);
			nf = frame(npd, va, pt[j] & PG_RW);
			for (va = 0; va < 1024; va++)
				((unsigned *)nf)[va] = ((unsigned *)(pt[j] & ~4095))[va];
		}
	}
	return (npd);
}

int
fork1(struct trapframe *tf)
{
	struct proc *p = newproc();
	struct trapframe *ctf = (struct trapframe *)(p->p_kstack + 4096 - sizeof(struct trapframe));

	p->p_pd = copy_as(curproc->p_pd);
	*ctf = *tf;
	ctf->tf_eax = 0;
	p->p_pcb.pcb_eip = (unsigned)user_start;
	p->p_pcb.pcb_esp = (unsigned)ctf - 4;
	p->p_stat = SRUN;
	return (p->p_pid);
}

int
wait1(int pid, int *statusp)
{
	int i, any;

	for (;;) {
		any = 0;
		for (i = 1; i < NPROC; i++) {
			if (procs[i].p_stat == SFREE || procs[i].p_pptr != curproc - procs)
				continue;
			if (pid > 0 && procs[i].p_pid != pid)
				continue;
			any = 1;
			if (procs[i].p_stat == SZOMB) {
				if (statusp)
					*statusp = procs[i].p_xstat;
				procs[i].p_stat = SFREE;
				return (procs[i].p_pid);
			}
		}
		if (!any)
			return (-10);
		sched();
	}
}

void
syscall(struct trapframe *tf)
{
	unsigned *args = (unsigned *)(tf->tf_esp + 4);
	unsigned char *s;
	int i, r = 0;

	switch (tf->tf_eax) {
	case 1:
		exit1(args[0] & 255);
		break;
	case 2:
		r = fork1(tf);
		break;
	case 4:
		s = (unsigned char *)args[1];
		for (i = 0; i < args[2]; i++)
			putc(s[i]);
		r = args[2];
		break;
	case 7:
		r = wait1(args[0], (int *)args[1]);
		break;
	case 20:
		r = curproc->p_pid;
		break;
	case 59:
		tf->tf_eip = load_elf(curproc->p_pd, args[0]);
		if (tf->tf_eip == 0)
			exit1(127);
		setregs(curproc, tf, tf->tf_eip, newstack(curproc->p_pd));
		return;
	case 331:
		sched();
		break;
	default:
		r = -78;
	}
	tf->tf_eax = r;
}

void
trap(struct trapframe *tf)
{
	int user = (tf->tf_cs & 3) == 3;
	unsigned va;

	switch (tf->tf_trapno) {
	case 32:
		outb(0x20, 0x20);
		ticks++;
		if (user) {
			if (++curproc->p_ticks > curproc->p_limit)
				exit1(128 + 24);	/* SIGXCPU */
			sched();
		}
		return;
	case 128:
		syscall(tf);
		return;
	case 14:
		va = rcr2();
		if (user && (tf->tf_err & PG_V) == 0 && va >= STACKLIM && va < USRSTACK) {
			frame(curproc->p_pd, va & ~4095, PG_RW);
			return;
		}
		if (user)
			exit1(128 + 11);	/* SIGSEGV */
		panic("kernel page fault");
	case 13:
		if (user)
			exit1(128 + 10);	/* SIGBUS */
		panic("kernel #GP");
	case 6:
		if (user)
			exit1(128 + 4);		/* SIGILL */
		panic("kernel #UD");
	case 0:
		if (user)
			exit1(128 + 8);		/* SIGFPE */
		panic("kernel #DE");
	}
	panic("unexpected trap");
}

void
kmain(int nprog)
{
	unsigned *pd, *pt;
	int i, k, st, pid, alive;

	kpd = palloc();
	pd = (unsigned *)kpd;
	for (k = 0; k < 2; k++) {
		pt = (unsigned *)palloc();
		for (i = 0; i < 1024; i++)
			pt[i] = ((k << 22) + (i << 12)) | PG_V | PG_RW;
		pd[k] = (unsigned)pt | PG_V | PG_RW;
	}
	paging_on(kpd);
	/* 8259s at vectors 32 and 40, only IRQ 0 unmasked; the PIT every 4000 clocks. */
	outb(0x20, 0x11); outb(0x21, 32); outb(0x21, 4); outb(0x21, 1);
	outb(0xa0, 0x11); outb(0xa1, 40); outb(0xa1, 2); outb(0xa1, 1);
	outb(0x21, 0xfe); outb(0xa1, 0xff);
	outb(0x43, 0x34); outb(0x40, 4000 & 255); outb(0x40, 4000 >> 8);

	curproc = &procs[0];
	procs[0].p_stat = SRUN;
	procs[0].p_pd = kpd;
	procs[0].p_kstack = 0x8f000;
	for (k = 0; k < nprog; k++)
		spawn(k);
	for (;;) {
		pid = wait1(-1, &st);
		if (pid < 0)
			break;
		puts("exit ");
		putn(pid);
		puts(" status ");
		putn(st);
		putc('\\n');
	}
	puts("switches ");
	putn(nswitch);
	puts(" ticks ");
	putn(ticks);
	putc('\\n');
	debug_exit(0);
}
`;

/** The user side of system calls: __syscall(number, args...) as FreeBSD's libc stubs do it, and privileged helpers. */
export const USER_IR = `
func export varargs $__syscall() : w {
@entry
	%fp =w rdreg ebp
	%pn =w add %fp, 8
	%num =w loadw %pn
	%sp =w alloc 20, 4
	%k =w copy 0
	jmp @copy
@copy
	%o =w shl %k, 2
	%src =w add %fp, 12
	%src =w add %src, %o
	%dst =w add %sp, 4
	%dst =w add %dst, %o
	%v =w loadw %src
	storew %v, %dst
	%k =w add %k, 1
	%more =w csltw %k, 4
	jnz %more, @copy, @go
@go
	wrreg eax, %num
	intr int 128
	%r =w rdreg eax
	ret %r
}
func export $halt_cpu() {
@entry
	intr hlt
	ret
}
`;

/** C helpers every test program includes. */
export const USER_H = `
int __syscall(int, ...);
void halt_cpu(void);
static void say(char *s) { int n = 0; while (s[n]) n++; __syscall(4, 1, s, n); }
static void sayn(char *s, int v) {
	char b[16]; int i = 15;
	int neg = v < 0;
	say(s);
	if (neg) v = -v;
	b[i] = 0;
	do { b[--i] = '0' + v % 10; v /= 10; } while (v);
	if (neg) b[--i] = '-';
	say(b + i);
	say("\\n");
}
`;

/** Links a user program (C text using USER_H) into an XIR ELF. */
export async function userProgram(name: string, c: string): Promise<Uint8Array> {
  const mod = await compileC(`${USER_H}\n${c}`, `${name}.c`);
  return linkUserProgram([mod, verifyModule(parseModule(withLocs(USER_IR), 'usys.xir'))]);
}

let kernelCache: Promise<LinkedImage> | undefined;
/** The kernel image (compiled once per test file). */
export function kernelImage(): Promise<LinkedImage> {
  kernelCache ??= (async () => {
    const c = await compileC(KERNEL_C, 'kern.c');
    const stubs = verifyModule(parseModule(withLocs(kernelStubs()), 'stubs.xir'));
    return link([c, stubs], { kind: 'kernel', entry: 'kmain', vaddr: 0x100000, paddr: 0x100000 });
  })();
  return kernelCache;
}

function desc(base: number, limit: number, type: number, dpl: number, gran: boolean): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((base >>> 16) & 0xff) | (type << 8) | (dpl << 13) | 0x8000 | (limit & 0xf0000) | (gran ? 0xc00000 : 0);
  return [lo | 0, hi | 0];
}

export interface KernelRun {
  pc: BarePC;
  result: BootResult;
  console: string;
  /** "exit <pid> status <n>" lines, as pid -> status. */
  statuses: Map<number, number>;
}

/**
 * Boots the kernel on a fresh BarePC with `files` on the RAM disk; it runs files
 * [0, nrun) as processes (pids 1..nrun in order) and waits for all of them.
 */
export async function runKernel(files: Uint8Array[], nrun = files.length, maxSteps = 2e8, trace?: (line: string) => void): Promise<KernelRun> {
  const image = await kernelImage();
  const pc = new BarePC(image, { memoryMB: 8, debugExitPort: DEBUG_EXIT, trace });
  const ph = pc.phys;
  pc.loadSections();
  const gdt: [number, number][] = [
    [0, 0],
    desc(0, 0xfffff, 0x1a, 0, true),
    desc(0, 0xfffff, 0x12, 0, true),
    desc(0, 0xfffff, 0x1a, 1, true),
    desc(0, 0xfffff, 0x12, 1, true),
    desc(0, 0xfffff, 0x1a, 3, true),
    desc(0, 0xfffff, 0x12, 3, true),
    desc(TSS, 0x67, 0x09, 0, false),
  ];
  gdt.forEach(([lo, hi], k) => (ph.write32(GDT + 8 * k, lo), ph.write32(GDT + 8 * k + 4, hi)));
  pc.cpu.gdtr = { base: GDT, limit: gdt.length * 8 - 1 };
  pc.cpu.idtr = { base: IDT, limit: 256 * 8 - 1 };
  ph.write32(TSS + 8, KDATA);
  ph.write32(TSS + 0x64, 0x68 << 16);
  pc.cpu.loadTR(TSSSEL);
  const gate = (vector: number, name: string, dpl: number): void => {
    const off = findSymbol(image, name)!.addr;
    ph.write32(IDT + 8 * vector, (KCODE << 16) | (off & 0xffff));
    ph.write32(IDT + 8 * vector + 4, (off & 0xffff0000) | (0x0e << 8) | (dpl << 13) | 0x8000);
  };
  gate(0, 'Xde', 0);
  gate(6, 'Xud', 0);
  gate(13, 'Xgp', 0);
  gate(14, 'Xpf', 0);
  gate(32, 'Xtimer', 0);
  gate(0x80, 'Xsyscall', 3);
  // The RAM disk: count, (offset, size) per file, then the files.
  let at = 4 + 8 * files.length;
  ph.write32(RAMDISK, files.length);
  files.forEach((f, k) => {
    at = Math.ceil(at / 16) * 16;
    ph.write32(RAMDISK + 4 + 8 * k, at);
    ph.write32(RAMDISK + 8 + 8 * k, f.length);
    ph.load(RAMDISK + at, f);
    at += f.length;
  });
  const R = pc.machine.regs;
  R[ESP] = BOOT_STACK;
  R[CS] = KCODE;
  R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = KDATA;
  R[EFLAGS] = 2;
  const result = pc.run(maxSteps, findSymbol(image, 'kmain')!.addr, [nrun]);
  const console = result.console;
  const statuses = new Map<number, number>();
  for (const m of console.matchAll(/^exit (\d+) status (\d+)$/gm)) statuses.set(Number(m[1]), Number(m[2]));
  return { pc, result, console, statuses };
}
