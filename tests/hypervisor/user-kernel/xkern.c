/*
 * A tiny ring-1 kernel for the engine's user-mode tests under the bundled Xen
 * (tests/hypervisor/xen-user.test.ts): it runs the XIR ELF programs of its boot
 * module one after the other in ring 3, in the address space the domain builder
 * made.  Page tables change only through mmu_update (a new L1 is made read-only in
 * the kernel's map first, as Xen 2.0 requires); traps come through the table given
 * to set_trap_table, int $0x80 with DPL 3, on the stack given to stack_switch; the
 * timer is VIRQ_TIMER's event channel; the console is console_io.  A program's text
 * is written over the frames the previous program's text occupied, so code that ran
 * is overwritten.  Faults become exit statuses of 128 + signal.
 */
#include "hypervisor.h"

#define PG_V		1
#define PG_RW		2
#define PG_U		4
#define KERNBASE	0xc0000000
#define USRSTACK	0xbfc00000
#define STACKLIM	0xbfb00000

struct trapframe {
	unsigned tf_edi, tf_esi, tf_ebp, tf_ebx, tf_edx, tf_ecx, tf_eax;
	unsigned tf_trapno, tf_err, tf_eip, tf_cs, tf_eflags, tf_esp, tf_ss;
};
struct pcb { unsigned pcb_eip, pcb_esp; };

void	cpu_switch(struct pcb *, struct pcb *);
void	user_start(void);
void	Xde(void);
void	Xud(void);
void	Xgp(void);
void	Xpf(void);
void	Xsyscall(void);
void	Xevent(void);

extern unsigned fault_cr2;
start_info_t *si;
unsigned *p2m;
unsigned *l2;			/* the page directory, mapped read-only */
unsigned l2ma;			/* its machine address */
unsigned l1pfn[1024];		/* the pfn of each L1 this kernel made */
unsigned next_pfn, last_pfn;
char shared_page[4096] __attribute__((__aligned__(4096)));
shared_info_t *shared = (shared_info_t *)shared_page;
char kstack[8192] __attribute__((__aligned__(16)));
struct pcb kpcb, upcb;
int xstat, ticks, uticks, cpulimit, running;
trap_info_t traps[] = {
	{ 0, 0, FLAT_RING1_CS, (unsigned long)Xde },
	{ 6, 0, FLAT_RING1_CS, (unsigned long)Xud },
	{ 13, 0, FLAT_RING1_CS, (unsigned long)Xgp },
	{ 14, 0, FLAT_RING1_CS, (unsigned long)Xpf },
	{ 0x80, 3, FLAT_RING1_CS, (unsigned long)Xsyscall },
	{ 0, 0, 0, 0 }
};

void
puts(char *s)
{
	int n = 0;

	while (s[n])
		n++;
	HYPERVISOR_console_io(CONSOLEIO_write, n, s);
}

void
putn(int n)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	if (n < 0)
		puts("-");
	if (n < 0)
		n = -n;
	do {
		b[--i] = '0' + n % 10;
		n /= 10;
	} while (n);
	puts(b + i);
}

void
panic(char *s)
{
	puts("panic: ");
	puts(s);
	puts("\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_crash << SCHEDOP_reasonshift));
}

char *
kva(unsigned pfn)
{
	return ((char *)(KERNBASE + (pfn << 12)));
}

void
pt_update(unsigned ptr, unsigned val)
{
	mmu_update_t req;
	int done;

	req.ptr = ptr;
	req.val = val;
	if (HYPERVISOR_mmu_update(&req, 1, &done) != 0)
		panic("mmu_update");
}

/* A free page of the boot region, zeroed, and its pfn. */
unsigned
palloc(void)
{
	unsigned pfn = next_pfn++;
	unsigned *w = (unsigned *)kva(pfn);
	int i;

	if (pfn >= last_pfn)
		panic("out of pages");
	for (i = 0; i < 1024; i++)
		w[i] = 0;
	return (pfn);
}

/* The frame mapped at user address va: its kernel address, mapping a fresh one if none. */
char *
frame(unsigned va, int rw)
{
	unsigned pdi = va >> 22, pti = (va >> 12) & 1023, pfn, *pt;

	if (l1pfn[pdi] == 0) {
		pfn = palloc();
		/* An L1 may not be writable anywhere: read-only in the kernel's map first. */
		if (HYPERVISOR_update_va_mapping((unsigned)kva(pfn) >> 12, (p2m[pfn] << 12) | PG_V, UVMF_INVLPG) != 0)
			panic("update_va_mapping");
		pt_update(l2ma + 4 * pdi, (p2m[pfn] << 12) | PG_V | PG_RW | PG_U);
		l1pfn[pdi] = pfn;
	}
	pt = (unsigned *)kva(l1pfn[pdi]);
	if ((pt[pti] & PG_V) == 0) {
		pfn = palloc();
		pt_update((p2m[l1pfn[pdi]] << 12) + 4 * pti, (p2m[pfn] << 12) | PG_V | PG_U | (rw ? PG_RW : 0));
	}
	/* The kernel writes the frame through its own map: the pfn of the entry's machine frame. */
	pfn = ((unsigned *)HYPERVISOR_VIRT_START)[pt[pti] >> 12];
	return (kva(pfn));
}

unsigned
rd32(unsigned char *p)
{
	return (p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24));
}

unsigned char *
disk_file(int k, int *sizep)
{
	unsigned *d = (unsigned *)si->mod_start;

	if (k < 0 || k >= d[0])
		return (0);
	*sizep = d[2 + 2 * k];
	return ((unsigned char *)si->mod_start + d[1 + 2 * k]);
}

unsigned
load_elf(int k)
{
	int size, i, n;
	unsigned char *f = disk_file(k, &size), *ph;
	unsigned off, va, filesz, memsz, rw, a;

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
		rw = rd32(ph + 24) & 2;
		for (a = 0; a < memsz; a++)
			*(frame(va + a, rw) + ((va + a) & 4095)) = a < filesz ? f[off + a] : 0;
	}
	return (rd32(f + 24));
}

void
exit1(int st)
{
	xstat = st;
	running = 0;
	cpu_switch(&upcb, &kpcb);
	panic("exited process ran");
}

void
syscall(struct trapframe *tf)
{
	unsigned *args = (unsigned *)(tf->tf_esp + 4);
	int r = 0;

	switch (tf->tf_eax) {
	case 1:
		exit1(args[0] & 255);
		break;
	case 4:
		HYPERVISOR_console_io(CONSOLEIO_write, args[2], (char *)args[1]);
		r = args[2];
		break;
	case 20:
		r = 1;
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
	unsigned va = fault_cr2;

	switch (tf->tf_trapno) {
	case 32:
		/* The timer's event: clear it and let events in again. */
		shared->evtchn_pending[0] = 0;
		shared->evtchn_pending_sel = 0;
		shared->vcpu_data[0].evtchn_upcall_pending = 0;
		ticks++;
		if (user && ++uticks > cpulimit)
			exit1(128 + 24);
		shared->vcpu_data[0].evtchn_upcall_mask = 0;
		return;
	case 0x80:
		syscall(tf);
		return;
	case 14:
		if (user && (tf->tf_err & PG_V) == 0 && va >= STACKLIM && va < USRSTACK) {
			frame(va & ~4095, 1);
			return;
		}
		if (user)
			exit1(128 + 11);
		panic("kernel page fault");
	case 13:
		if (user)
			exit1(128 + 10);
		panic("kernel #GP");
	case 6:
		if (user)
			exit1(128 + 4);
		panic("kernel #UD");
	case 0:
		if (user)
			exit1(128 + 8);
		panic("kernel #DE");
	}
	panic("unexpected trap");
}

void
run(int k)
{
	struct trapframe *tf = (struct trapframe *)(kstack + sizeof(kstack) - sizeof(struct trapframe));
	unsigned *w = (unsigned *)tf, *st;
	int i;

	for (i = 0; i < 14; i++)
		w[i] = 0;
	tf->tf_eip = load_elf(k);
	if (tf->tf_eip == 0)
		panic("bad program");
	st = (unsigned *)(frame(USRSTACK - 4096, 1) + 4096 - 16);
	st[0] = st[1] = st[2] = 0;
	tf->tf_cs = FLAT_RING3_CS;
	tf->tf_eflags = 0x202;
	tf->tf_esp = USRSTACK - 16;
	tf->tf_ss = FLAT_RING3_DS;
	upcb.pcb_eip = (unsigned)user_start;
	upcb.pcb_esp = (unsigned)tf - 4;
	uticks = 0;
	running = 1;
	cpu_switch(&kpcb, &upcb);
}

void
kmain(start_info_t *start, unsigned sp, int nprog, int limit)
{
	evtchn_op_t op;
	int k;

	si = start;
	cpulimit = limit;
	p2m = (unsigned *)si->mfn_list;
	l2 = (unsigned *)si->pt_base;
	l2ma = p2m[((unsigned)l2 - KERNBASE) >> 12] << 12;
	next_pfn = ((sp - KERNBASE) >> 12) + 1;
	last_pfn = 1024;
	if (HYPERVISOR_update_va_mapping((unsigned)shared_page >> 12, si->shared_info | PG_V | PG_RW | PG_U, UVMF_INVLPG) != 0)
		panic("shared_info");
	HYPERVISOR_set_trap_table(traps);
	HYPERVISOR_stack_switch(FLAT_RING1_DS, (unsigned long)(kstack + sizeof(kstack)));
	HYPERVISOR_set_callbacks(FLAT_RING1_CS, (unsigned long)Xevent, FLAT_RING1_CS, (unsigned long)Xevent);
	op.cmd = EVTCHNOP_bind_virq;
	op.__reserved = 0;
	op.u.bind_virq.virq = VIRQ_TIMER;
	op.u.bind_virq.port = 0;
	HYPERVISOR_event_channel_op(&op);
	shared->vcpu_data[0].evtchn_upcall_mask = 0;
	for (k = 0; k < nprog; k++) {
		run(k);
		puts("exit ");
		putn(k + 1);
		puts(" status ");
		putn(xstat);
		puts("\n");
	}
	puts("ticks ");
	putn(ticks);
	puts("\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << SCHEDOP_reasonshift));
}
