/*
 * A tiny kernel for the engine's user-mode tests (tests/pc/user-mode.test.ts): it
 * runs XIR ELF programs from a RAM disk as processes in ring 3 on BarePC.  Paging
 * with one page directory per process (the first 8 MB identity-mapped for the
 * kernel), a round-robin scheduler preempting on the timer, system calls by
 * int $0x80 with FreeBSD's numbers, demand-paged stacks, and faults turned into
 * exit statuses of 128 + signal.  The trap entry and exit, cpu_switch and the
 * privileged instructions are IR (user-kernel.ts); RAMDISK, GSEL_UCODE and
 * GSEL_UDATA come from the test's command line.
 */
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
#define NPROC	16
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
int cpulimit;
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
	putc('\n');
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
	unsigned *d = (unsigned *)RAMDISK;

	if (k < 0 || k >= d[0])
		return (0);
	*sizep = d[2 + 2 * k];
	return ((unsigned char *)RAMDISK + d[1 + 2 * k]);
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
			procs[i].p_limit = cpulimit;
			procs[i].p_pptr = curproc - procs;
			procs[i].p_kstack = palloc();
			return (&procs[i]);
		}
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
	tf->tf_cs = GSEL_UCODE;
	tf->tf_eflags = 0x202;
	tf->tf_esp = esp;
	tf->tf_ss = GSEL_UDATA;
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
	struct trapframe *tf;
	unsigned entry;

	if (p == 0)
		panic("no proc slots");
	tf = (struct trapframe *)(p->p_kstack + 4096 - sizeof(struct trapframe));
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
	struct trapframe *ctf;

	if (p == 0)
		return (-35);	/* EAGAIN */
	ctf = (struct trapframe *)(p->p_kstack + 4096 - sizeof(struct trapframe));
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

/* Whether the user may access [va, va + n) (writing if w): mapped user pages only. */
int
useracc(unsigned va, unsigned n, int w)
{
	unsigned a, *p;

	if (va + n < va || va + n > USRSTACK)
		return (0);
	for (a = va & ~4095; a < va + n; a += 4096) {
		p = pte(curproc->p_pd, a, 0);
		if (p == 0 || (*p & (PG_V | PG_U)) != (PG_V | PG_U) || (w && (*p & PG_RW) == 0))
			return (0);
	}
	return (1);
}

void
syscall(struct trapframe *tf)
{
	unsigned *args = (unsigned *)(tf->tf_esp + 4);
	unsigned char *s;
	int i, r = 0;

	if (!useracc(tf->tf_esp + 4, 8, 0)) {
		tf->tf_eax = -14;	/* EFAULT */
		return;
	}
	switch (tf->tf_eax) {
	case 1:
		exit1(args[0] & 255);
		break;
	case 2:
		r = fork1(tf);
		break;
	case 4:
		if (!useracc(args[1], args[2], 0)) {
			r = -14;
			break;
		}
		s = (unsigned char *)args[1];
		for (i = 0; i < args[2]; i++)
			putc(s[i]);
		r = args[2];
		break;
	case 7:
		if (args[1] && !useracc(args[1], 4, 1)) {
			r = -14;
			break;
		}
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
kmain(int nprog, int limit)
{
	unsigned *pd, *pt;
	int i, k, st, pid;

	cpulimit = limit;
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
		putc('\n');
	}
	puts("switches ");
	putn(nswitch);
	puts(" ticks ");
	putn(ticks);
	putc('\n');
	debug_exit(0);
}
