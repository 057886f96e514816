/*-
 * Copyright (c) 2026 The xenoport project.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE XENOPORT PROJECT AND CONTRIBUTORS ``AS IS''
 * AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE XENOPORT PROJECT OR CONTRIBUTORS BE
 * LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE,
 * EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * $xenoport$
 *
 * Machine-independent startup.  mi_startup() runs the sysinit table in
 * (subsystem, order) order; the last entries never return.  FreeBSD
 * gathers the table from linker sets, this kernel lists it here.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/resourcevar.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>
#include <sys/user.h>
#include <sys/vnode.h>
#include <sys/wait.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/vmparam.h>

const char copyright[] =
    "Copyright (c) 1992-2003 The FreeBSD Project.\n"
    "Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994\n"
    "\tThe Regents of the University of California. All rights reserved.\n";

const char version[] =
    "FreeBSD 4.8-XENOPORT #0: sample kernel\n"
    "    xenoport@xenoport:/usr/src/sys/compile/GENERIC\n";

int bootverbose = 0;

/* Components of the first process -- never freed. */
struct proc proc0;
struct proc *curproc;
struct proc *initproc;
static struct plimit limit0;

/* Where start_init() looks for init, as FreeBSD's kern.init_path. */
static char init_path[MAXPATHLEN] = "/sbin/init";

/* Free pages when init was created, to compare after it is gone. */
static u_int free_at_init;

static void print_caddr_t __P((void *data));
static void proc0_init __P((void *dummy));
static void create_init __P((void *dummy));
static void kick_init __P((void *dummy));
static void start_init __P((void *dummy));
static void scheduler __P((void *dummy)) __dead2;

static void
print_caddr_t(data)
	void *data;
{

	printf("%s", (char *)data);
}

/*
 * Set up the first process, proc0, by hand: the boot context itself,
 * which runs on locore's stack with proc0_pcb as its u-area and the
 * kernel's page directory as its (empty) user address space.
 */
static void
proc0_init(dummy)
	void *dummy;
{
	struct proc *p;
	u_int i;

	p = &proc0;
	procinit();
	LIST_INSERT_HEAD(&allproc, p, p_list);
	LIST_INIT(&p->p_children);
	p->p_stat = SRUN;
	p->p_flag = P_SYSTEM;
	bcopy("swapper", p->p_comm, sizeof("swapper"));

	/* Create credentials. */
	p->p_ucred = crget();

	/* Create the file descriptor table. */
	p->p_fd = fdinit(p);

	/* Create the limits structures. */
	p->p_limit = &limit0;
	for (i = 0; i < nitems(limit0.pl_rlimit); i++)
		limit0.pl_rlimit[i].rlim_cur = limit0.pl_rlimit[i].rlim_max =
		    RLIM_INFINITY;
	limit0.pl_rlimit[RLIMIT_NOFILE].rlim_cur =
	    limit0.pl_rlimit[RLIMIT_NOFILE].rlim_max = NDFILE;
	limit0.pl_rlimit[RLIMIT_NPROC].rlim_cur =
	    limit0.pl_rlimit[RLIMIT_NPROC].rlim_max = maxproc;
	limit0.pl_rlimit[RLIMIT_DATA].rlim_cur = DFLDSIZ;
	limit0.pl_rlimit[RLIMIT_DATA].rlim_max = MAXDSIZ;
	limit0.pl_rlimit[RLIMIT_STACK].rlim_cur = DFLSSIZ;
	limit0.pl_rlimit[RLIMIT_STACK].rlim_max = MAXSSIZ;
	limit0.p_refcnt = 1;

	/* Allocate a prototype map so we have something to fork. */
	pmap_pinit0(vmspace_pmap(&vmspace0));
	p->p_vmspace = &vmspace0;
	vmspace0.vm_refcnt = 1;
	vm_map_init(&vmspace0.vm_map, vmspace_pmap(&vmspace0),
	    round_page(VM_MIN_ADDRESS), trunc_page(VM_MAXUSER_ADDRESS));

	p->p_addr = (struct user *)&proc0_pcb;
	curproc = p;
}

/*
 * Like FreeBSD 4's create_init, once the root is mounted: fork proc0
 * into process 1, which begins in start_init() instead of returning to
 * user mode.  The free page count is noted first: when init has exited
 * and been reaped, every page it and its descendants used must be free
 * again.
 */
static void
create_init(dummy)
	void *dummy;
{
	int error;

	free_at_init = cnt_v_free_count;
	malloc_mark();
	error = fork1(&proc0, RFFDG | RFPROC, &initproc);
	if (error)
		panic("cannot fork init: %d", error);
	cpu_set_fork_handler(initproc, start_init, NULL);
	remrunqueue(initproc);
	initproc->p_stat = SIDL;
}

/*
 * Let init run: it is on the run queue when proc0 gives up the
 * processor in scheduler().
 */
static void
kick_init(dummy)
	void *dummy;
{

	initproc->p_stat = SRUN;
	setrunqueue(initproc);
}

/*
 * Start the initial user process; try exec'ing each pathname in
 * init_path (the kernel environment's init_path, else /sbin/init).  The
 * program is invoked with its own name and, when the kernel environment
 * has init_script, that script's path as its argument (init(8) runs it
 * instead of /etc/rc), where FreeBSD's start_init puts init's flags.
 * Runs as process 1; on success returns through fork_trampoline to user
 * mode as init.
 */
static void
start_init(dummy)
	void *dummy;
{
	vm_offset_t addr;
	struct execve_args args;
	struct filedesc *fdp;
	struct file *fp;
	struct proc *p;
	char *ucp, **uap, *arg0, *arg1, *var, *script, *path, *next, *s;
	int error, fd, i;

	p = curproc;

	/* Get the vnode for '/'.  Set p->p_fd->fd_cdir to reference it. */
	fdp = p->p_fd;
	fdp->fd_cdir = rootvnode;
	vref(fdp->fd_cdir);
	fdp->fd_rdir = rootvnode;
	vref(fdp->fd_rdir);

	/* The console as standard input, output and error. */
	error = falloc(p, &fp, &fd);
	if (error)
		panic("start_init: no console file: %d", error);
	fp->f_flag = FREAD | FWRITE;
	fp->f_type = DTYPE_CONSOLE;
	fp->f_ops = &consfileops;
	for (i = 1; i <= 2; i++) {
		fhold(fp);
		fdp->fd_ofiles[i] = fp;
		fdp->fd_lastfile = i;
	}
	fdp->fd_freefile = 3;

	/* Need just enough stack to hold the faked-up "execve()" arguments. */
	addr = trunc_page(USRSTACK - PAGE_SIZE);
	if (vm_map_insert(&p->p_vmspace->vm_map, addr, addr + PAGE_SIZE,
	    VM_PROT_ALL, VM_PROT_ALL, 0) != KERN_SUCCESS)
		panic("init: couldn't allocate argument space");
	p->p_vmspace->vm_maxsaddr = (caddr_t)addr;
	p->p_vmspace->vm_ssize = 1;

	if ((var = getenv("init_path")) != NULL) {
		for (i = 0; var[i] != '\0' && i < (int)sizeof(init_path) - 1; i++)
			init_path[i] = var[i];
		init_path[i] = '\0';
	}

	script = getenv("init_script");
	for (path = init_path; *path != '\0'; path = next) {
		while (*path == ':')
			path++;
		if (*path == '\0')
			break;
		for (next = path; *next != '\0' && *next != ':'; next++)
			/* nothing */ ;

		ucp = (char *)USRSTACK;
		arg1 = NULL;
		if (script != NULL) {
			/* Move out the script's path (arg 1). */
			for (i = 0; script[i] != '\0' && i < MAXPATHLEN; i++)
				;
			(void)subyte(--ucp, 0);
			while (--i >= 0)
				(void)subyte(--ucp, script[i]);
			arg1 = ucp;
		}

		/* Move out the file name (also arg 0). */
		(void)subyte(--ucp, 0);
		for (s = next - 1; s >= path; s--)
			(void)subyte(--ucp, *s);
		arg0 = ucp;

		/* Move out the arg pointers. */
		uap = (char **)((intptr_t)ucp & ~(sizeof(intptr_t) - 1));
		(void)suword((caddr_t)--uap, (long)0);	/* terminator */
		if (arg1 != NULL)
			(void)suword((caddr_t)--uap, (long)(intptr_t)arg1);
		(void)suword((caddr_t)--uap, (long)(intptr_t)arg0);

		/* Point at the arguments. */
		args.fname = arg0;
		args.argv = uap;
		args.envv = NULL;

		/*
		 * Now try to exec the program.  If can't for any reason
		 * other than it doesn't exist, complain.
		 *
		 * Otherwise, return via fork_trampoline() all the way to
		 * user mode as init!
		 */
		error = execve(p, &args);
		if (error == EJUSTRETURN)
			return;
		if (error != ENOENT)
			printf("exec %.*s: error %d\n", (int)(next - path), path,
			    error);
	}
	printf("init: not found in path %s\n", init_path);
	panic("no init");
}

/*
 * proc0's part once init runs: wait for init to exit, then account for
 * the memory and halt the machine.  FreeBSD's proc0 swaps processes
 * forever, and the death of init is a panic there; in this kernel init
 * exiting is how a run ends.
 */
static void
scheduler(dummy)
	void *dummy;
{
	pid_t pid;
	int error, status;

	error = kern_wait(&proc0, initproc->p_pid, &status, 0, &pid);
	if (error)
		panic("scheduler: waiting for init: %d", error);
	if (WIFSIGNALED(status))
		printf("init: killed by signal %d\n", WTERMSIG(status));
	else
		printf("init: exited with status %d\n", WEXITSTATUS(status));
	printf("memory: %u pages free before init, %u after\n", free_at_init,
	    cnt_v_free_count);
	if (malloc_print_changes() == 0)
		printf("malloc: every allocation since init started is freed\n");
	boot(RB_HALT);
}

#ifdef DEV_XN
void	xn_drvinit __P((void *));	/* dev/xen/netfront: Xen kernels only */
#endif
#ifdef DEV_XBD
void	xbd_drvinit __P((void *));	/* dev/xen/blkfront: Xen kernels only */
#endif
#ifdef INET
void	nfs_setup_diskless __P((void *));
#endif

void	devfs_mountdev __P((void *));	/* miscfs/devfs */

static struct sysinit sysinit_table[] = {
	{ SI_SUB_MOUNT_ROOT, SI_ORDER_FIRST, vfs_mountroot, NULL, "vfs_mountroot" },
	{ SI_SUB_MOUNT_ROOT, SI_ORDER_SECOND, devfs_mountdev, NULL, "devfs_mountdev" },
	{ SI_SUB_KMEM, SI_ORDER_FIRST, kmeminit, NULL, "kmeminit" },
	{ SI_SUB_INTRINSIC, SI_ORDER_FIRST, proc0_init, NULL, "proc0_init" },
	{ SI_SUB_KTHREAD_INIT, SI_ORDER_FIRST, create_init, NULL, "create_init" },
	{ SI_SUB_KTHREAD_INIT, SI_ORDER_SECOND, kick_init, NULL, "kick_init" },
	{ SI_SUB_COPYRIGHT, SI_ORDER_FIRST, print_caddr_t, (void *)copyright, "copyright" },
	{ SI_SUB_COPYRIGHT, SI_ORDER_SECOND, print_caddr_t, (void *)version, "version" },
	{ SI_SUB_VM, SI_ORDER_FIRST, vm_mem_init, NULL, "vm_mem_init" },
	{ SI_SUB_CPU, SI_ORDER_FIRST, cpu_startup, NULL, "cpu_startup" },
	{ SI_SUB_DRIVERS, SI_ORDER_MIDDLE, md_drvinit, NULL, "md_drvinit" },
	{ SI_SUB_VFS, SI_ORDER_FIRST, vfsinit, NULL, "vfsinit" },
	{ SI_SUB_CLOCKS, SI_ORDER_FIRST, initclocks, NULL, "initclocks" },
	{ SI_SUB_SELFTEST, SI_ORDER_FIRST, pmap_selftest, NULL, "pmap_selftest" },
	{ SI_SUB_SELFTEST, SI_ORDER_SECOND, trap_selftest, NULL, "trap_selftest" },
	{ SI_SUB_SELFTEST, SI_ORDER_THIRD, cpu_selftest_switch, NULL, "cpu_selftest_switch" },
#ifdef DEV_XN
	{ SI_SUB_PROTO_IF, SI_ORDER_MIDDLE, xn_drvinit, NULL, "xn_drvinit" },
#endif
#ifdef DEV_XBD
	{ SI_SUB_PSEUDO, SI_ORDER_ANY, xbd_drvinit, NULL, "xbd_drvinit" },
#endif
#ifdef INET
	{ SI_SUB_PROTO_DOMAIN, SI_ORDER_FIRST, nfs_setup_diskless, NULL,
	    "nfs_setup_diskless" },
#endif
	{ SI_SUB_DUMMY, SI_ORDER_ANY, NULL, NULL, "dummy" },
	{ SI_SUB_RUN_SCHEDULER, SI_ORDER_ANY, scheduler, NULL, "scheduler" }
};

#define	NSYSINIT	(sizeof(sysinit_table) / sizeof(sysinit_table[0]))

/*
 * System startup; initialize the world, create process 0, mount root
 * filesystem, and fork to create init and pagedaemon.
 */
void
mi_startup()
{
	struct sysinit *sysinit[NSYSINIT];
	struct sysinit **sipp;		/* system initialization */
	struct sysinit **xipp;		/* interior loop of sort */
	struct sysinit *save;		/* bubble */
	u_int i;

	for (i = 0; i < NSYSINIT; i++)
		sysinit[i] = &sysinit_table[i];

	/* Perform a bubble sort of the system initialization objects by their subsystem (primary key) and order (secondary key). */
	for (sipp = sysinit; sipp < sysinit + NSYSINIT; sipp++) {
		for (xipp = sipp + 1; xipp < sysinit + NSYSINIT; xipp++) {
			if ((*sipp)->subsystem < (*xipp)->subsystem ||
			    ((*sipp)->subsystem == (*xipp)->subsystem &&
			    (*sipp)->order <= (*xipp)->order))
				continue;	/* skip */
			save = *sipp;
			*sipp = *xipp;
			*xipp = save;
		}
	}

	/*
	 * Traverse the (now) ordered list of system initialization tasks.
	 * Perform each task, and continue on to the next task.
	 */
	for (sipp = sysinit; sipp < sysinit + NSYSINIT; sipp++) {
		if ((*sipp)->subsystem == SI_SUB_DUMMY)
			continue;	/* skip dummy task(s) */
		if (bootverbose)
			printf("sysinit: %s\n", (*sipp)->name);

		/* Call function */
		(*((*sipp)->func))((*sipp)->udata);
	}

	panic("Shouldn't get here!");
	/* NOTREACHED */
}

/*
 * The machine-independent VM startup: the pmap module, now that pages
 * can be allocated.
 */
void
vm_mem_init(dummy)
	void *dummy;
{

	pmap_init();
}
