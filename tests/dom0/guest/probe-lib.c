/*
 * The bare Xen 2.0 guests' common part (probe-lib.h): written once, linked
 * into tests/dom0/guest/{netfront,blkfront}-probe.c and bench/guest/blkbench.c.
 */
#include "probe-lib.h"

start_info_t *si;
shared_info_t *shared;
control_if_t *ctrl;
unsigned long *p2m;
unsigned int cport, ticks, tick_limit;
const char *fail_tag = "probe";
static unsigned int ctrl_rx_cons;

/* Maps shared_info at the page `base`, finds the control interface in it. */
void
probe_start(start_info_t *start, unsigned long base)
{

	si = start;
	p2m = (unsigned long *)si->mfn_list;
	shared = (shared_info_t *)base;
	if (HYPERVISOR_update_va_mapping(base >> 12, si->shared_info | 7,
	    UVMF_INVLPG) != 0)
		fail("map shared_info");
	ctrl = (control_if_t *)((char *)shared + CONTROL_IF_OFFSET);
	cport = si->domain_controller_evtchn;
	shared->vcpu_data[0].evtchn_upcall_mask = 0;
}

void
say(const char *s)
{
	int n;

	for (n = 0; s[n] != 0; n++)
		;
	HYPERVISOR_console_io(CONSOLEIO_write, n, s);
}

void
sayhex(unsigned int v, int digits)
{
	char b[9];
	int i;

	for (i = digits - 1; i >= 0; i--) {
		b[i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	b[digits] = 0;
	say(b);
}

void
saydec(unsigned int v)
{
	char b[12];
	int i;

	i = 11;
	b[i] = 0;
	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	say(b + i);
}

void
fail(const char *why)
{
	say(fail_tag);
	say(": FAIL ");
	say(why);
	say("\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << 8));
}

unsigned long
mfn_of(void *va)
{
	return (p2m[((unsigned long)va - VIRT_BASE) >> 12]);
}

void
notify(unsigned int port)
{
	evtchn_op_t op;

	op.cmd = EVTCHNOP_send;
	op.__reserved = 0;
	op.u.send.local_port = port;
	if (HYPERVISOR_event_channel_op(&op) != 0)
		fail("evtchn send");
}

/* Sleeps until an event; counts timer ticks (VIRQ_TIMER is port 2); clears what was pending. */
void
wait_event(void)
{
	HYPERVISOR_sched_op(SCHEDOP_block);
	if (shared->evtchn_pending[0] & (1 << 2))
		ticks++;
	shared->evtchn_pending[0] = 0;
	shared->evtchn_pending_sel = 0;
	shared->vcpu_data[0].evtchn_upcall_pending = 0;
	if (tick_limit != 0 && ticks > tick_limit)
		fail("timed out");
}

/* GNTTABOP_setup_table for one frame of grant entries, mapped at the page `va`. */
grant_entry_t *
grant_table_start(unsigned long va)
{
	gnttab_setup_table_t gs;
	unsigned long gframe;

	gs.dom = DOMID_SELF;
	gs.nr_frames = 1;
	gs.__pad = 0;
	gs.status = 1;
	gs.frame_list = (unsigned long)&gframe;
	if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, (const char *)&gs,
	    1) != 0 || gs.status != 0)
		fail("grant table setup");
	if (HYPERVISOR_update_va_mapping(va >> 12, (gframe << 12) | 7,
	    UVMF_INVLPG) != 0)
		fail("map the grant table");
	return ((grant_entry_t *)va);
}

/* Sends a controller message and waits until domain 0 has taken it. */
void
ctrl_send(int type, int subtype, void *body, int len)
{
	control_msg_t *m;
	unsigned char *b;
	int i;

	m = &ctrl->tx_ring[ctrl->tx_req_prod & (CONTROL_RING_SIZE - 1)];
	m->type = type;
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

/* Takes the next message domain 0 sends, which must be `type`/`subtype` of `len` bytes, into `body`. */
void
ctrl_recv(int type, int subtype, void *body, int len)
{
	control_msg_t *m;
	unsigned char *d;
	int i;

	while (ctrl->rx_req_prod == ctrl_rx_cons)
		wait_event();
	m = &ctrl->rx_ring[ctrl_rx_cons & (CONTROL_RING_SIZE - 1)];
	if (m->type != type || m->subtype != subtype || m->length != len)
		fail("unexpected control message");
	d = body;
	for (i = 0; i < len; i++)
		d[i] = m->msg[i];
	m->length = 0;
	ctrl_rx_cons++;
	ctrl->rx_resp_prod = ctrl_rx_cons;
	notify(cport);
}

/*
 * A block front end's connection (Xen 2.0's blkif control messages): driver
 * status up, then the interface status "disconnected", the ring's frame in an
 * interface connect, and the status "connected" with the event channel and
 * the back end's domain.
 */
void
blkif_connect(blkif_sring_t *ring, unsigned int *port, unsigned int *backend)
{
	blkif_fe_driver_status_t ds;
	blkif_fe_interface_connect_t cn;
	blkif_fe_interface_status_t st;

	ds.status = BLKIF_DRIVER_STATUS_UP;
	ds.max_handle = 0;
	ctrl_send(CMSG_BLKIF_FE, CMSG_BLKIF_FE_DRIVER_STATUS, &ds, sizeof(ds));
	ctrl_recv(CMSG_BLKIF_FE, CMSG_BLKIF_FE_INTERFACE_STATUS, &st, sizeof(st));
	if (st.handle != 0 || st.status != BLKIF_INTERFACE_STATUS_DISCONNECTED)
		fail("interface status disconnected");
	ring->req_prod = 0;
	ring->rsp_prod = 0;
	cn.handle = 0;
	cn.__pad = 0;
	cn.shmem_frame = mfn_of(ring);
	cn._pad_A = 0;
	ctrl_send(CMSG_BLKIF_FE, CMSG_BLKIF_FE_INTERFACE_CONNECT, &cn, sizeof(cn));
	ctrl_recv(CMSG_BLKIF_FE, CMSG_BLKIF_FE_INTERFACE_STATUS, &st, sizeof(st));
	if (st.status != BLKIF_INTERFACE_STATUS_CONNECTED || st.evtchn == 0)
		fail("interface status connected");
	*port = st.evtchn;
	*backend = st.domid;
}
