/*
 * The block throughput bench's guest, compiled by xenoport and run on the
 * bundled hypervisor: it connects to blkback as tests/dom0/guest/
 * blkfront-probe.c does, then (BENCH_OP) writes BENCH_BYTES sequentially to
 * xbd0 in requests of eleven granted pages (44 KiB, the most one blkif
 * request carries), or reads them back, or (BENCH_OP 2) copies the same
 * number of bytes from page to page in its own memory: the limit a
 * transfer through the ring could approach.  The bench times the phase
 * between the console lines "bench: start" and "bench: done".
 */
#include <machine/xen/hypervisor.h>

#define	VIRT_BASE	0xC0000000UL
#define	NSEG		11

#ifndef BENCH_OP
#define	BENCH_OP	0
#endif
#ifndef BENCH_BYTES
#define	BENCH_BYTES	(8 * 1024 * 1024)
#endif

static char pages[(4 + 2 * NSEG) * 4096];
static start_info_t *si;
static shared_info_t *shared;
static control_if_t *ctrl;
static grant_entry_t *gnttab;
static blkif_sring_t *ring;
static unsigned char *buf[NSEG], *dst[NSEG];
static unsigned long *p2m;
static unsigned int cport, bport, req_prod, rsp_cons, ctrl_rx_cons, backend;

static void
say(const char *s)
{
	int n;

	for (n = 0; s[n] != 0; n++)
		;
	HYPERVISOR_console_io(CONSOLEIO_write, n, s);
}

static void
fail(const char *why)
{
	say("bench: FAIL ");
	say(why);
	say("\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << 8));
}

static unsigned long
mfn_of(void *va)
{
	return (p2m[((unsigned long)va - VIRT_BASE) >> 12]);
}

static void
notify(unsigned int port)
{
	evtchn_op_t op;

	op.cmd = EVTCHNOP_send;
	op.__reserved = 0;
	op.u.send.local_port = port;
	if (HYPERVISOR_event_channel_op(&op) != 0)
		fail("evtchn send");
}

static void
wait_event(void)
{
	HYPERVISOR_sched_op(SCHEDOP_block);
	shared->evtchn_pending[0] = 0;
	shared->evtchn_pending_sel = 0;
	shared->vcpu_data[0].evtchn_upcall_pending = 0;
}

static void
ctrl_send(int subtype, void *body, int len)
{
	control_msg_t *m;
	unsigned char *b;
	int i;

	m = &ctrl->tx_ring[ctrl->tx_req_prod & (CONTROL_RING_SIZE - 1)];
	m->type = CMSG_BLKIF_FE;
	m->subtype = subtype;
	m->id = 0;
	m->length = len;
	b = body;
	for (i = 0; i < len; i++)
		m->msg[i] = b[i];
	ctrl->tx_req_prod++;
	notify(cport);
	while (ctrl->tx_resp_prod != ctrl->tx_req_prod)
		wait_event();
}

static blkif_fe_interface_status_t *
ctrl_status(void)
{
	static blkif_fe_interface_status_t st;
	control_msg_t *m;
	unsigned char *d;
	int i;

	while (ctrl->rx_req_prod == ctrl_rx_cons)
		wait_event();
	m = &ctrl->rx_ring[ctrl_rx_cons & (CONTROL_RING_SIZE - 1)];
	d = (unsigned char *)&st;
	for (i = 0; i < (int)sizeof(st); i++)
		d[i] = m->msg[i];
	m->length = 0;
	ctrl_rx_cons++;
	ctrl->rx_resp_prod = ctrl_rx_cons;
	notify(cport);
	return (&st);
}

static void
connect(void)
{
	blkif_fe_driver_status_t ds;
	blkif_fe_interface_connect_t cn;
	blkif_fe_interface_status_t *st;

	ds.status = BLKIF_DRIVER_STATUS_UP;
	ds.max_handle = 0;
	ctrl_send(CMSG_BLKIF_FE_DRIVER_STATUS, &ds, sizeof(ds));
	if (ctrl_status()->status != BLKIF_INTERFACE_STATUS_DISCONNECTED)
		fail("status disconnected");
	ring->req_prod = 0;
	ring->rsp_prod = 0;
	cn.handle = 0;
	cn.__pad = 0;
	cn.shmem_frame = mfn_of(ring);
	cn._pad_A = 0;
	ctrl_send(CMSG_BLKIF_FE_INTERFACE_CONNECT, &cn, sizeof(cn));
	st = ctrl_status();
	if (st->status != BLKIF_INTERFACE_STATUS_CONNECTED)
		fail("status connected");
	bport = st->evtchn;
	backend = st->domid;
}

/* One request of NSEG whole pages at `sector'. */
static void
transfer(int op, unsigned int sector)
{
	blkif_request_t *q;
	blkif_response_t *r;
	int i;

	for (i = 0; i < NSEG; i++) {
		gnttab[i + 1].domid = backend;
		gnttab[i + 1].frame = mfn_of(buf[i]);
		gnttab[i + 1].flags = GTF_permit_access |
		    (op == BLKIF_OP_WRITE ? GTF_readonly : 0);
	}
	q = &ring->ring[req_prod & (BLKIF_RING_SIZE - 1)].req;
	q->operation = op;
	q->nr_segments = NSEG;
	q->device = 0;
	q->id = req_prod;
	q->sector_number = sector;
	for (i = 0; i < NSEG; i++)
		q->frame_and_sects[i] = ((unsigned int)(i + 1) << 16) | 7;
	req_prod++;
	ring->req_prod = req_prod;
	notify(bport);
	while (ring->rsp_prod == rsp_cons)
		wait_event();
	r = &ring->ring[rsp_cons & (BLKIF_RING_SIZE - 1)].rsp;
	rsp_cons++;
	if (r->status != BLKIF_RSP_OKAY)
		fail("request");
	for (i = 0; i < NSEG; i++)
		gnttab[i + 1].flags = 0;
}

static void
copy_pages(void)
{
	unsigned int *s, *d;
	int i, j;

	for (i = 0; i < NSEG; i++) {
		s = (unsigned int *)buf[i];
		d = (unsigned int *)dst[i];
		for (j = 0; j < 1024; j++)
			d[j] = s[j];
	}
}

void
probe_main(start_info_t *start)
{
	gnttab_setup_table_t gs;
	unsigned long gframe, base;
	unsigned int done, chunk;
	int i;

	si = start;
	p2m = (unsigned long *)si->mfn_list;
	base = ((unsigned long)pages + 4095) & ~4095UL;
	shared = (shared_info_t *)base;
	if (HYPERVISOR_update_va_mapping(base >> 12, si->shared_info | 7, UVMF_INVLPG) != 0)
		fail("map shared_info");
	ctrl = (control_if_t *)((char *)shared + CONTROL_IF_OFFSET);
	ring = (blkif_sring_t *)(base + 2 * 4096);
	for (i = 0; i < NSEG; i++) {
		buf[i] = (unsigned char *)(base + (3 + i) * 4096);
		dst[i] = (unsigned char *)(base + (3 + NSEG + i) * 4096);
	}
	cport = si->domain_controller_evtchn;
	shared->vcpu_data[0].evtchn_upcall_mask = 0;
	gs.dom = DOMID_SELF;
	gs.nr_frames = 1;
	gs.__pad = 0;
	gs.status = 1;
	gs.frame_list = (unsigned long)&gframe;
	if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, (const char *)&gs, 1) != 0)
		fail("grant table");
	gnttab = (grant_entry_t *)(base + 4096);
	if (HYPERVISOR_update_va_mapping((base + 4096) >> 12, (gframe << 12) | 7, UVMF_INVLPG) != 0)
		fail("map grant table");
	connect();
	say("bench: start\n");
	chunk = NSEG * 4096;
	for (done = 0; BENCH_OP != 3 && done < BENCH_BYTES; done += chunk) {
		if (BENCH_OP == 2)
			copy_pages();
		else
			transfer(BENCH_OP == 0 ? BLKIF_OP_WRITE : BLKIF_OP_READ,
			    done / 512);
	}
	say("bench: done\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << 8));
}
