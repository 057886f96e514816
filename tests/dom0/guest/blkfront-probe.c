/*
 * A minimal block front end for the domain 0 tests, compiled by xenoport and run
 * on the bundled hypervisor. It speaks the real protocols and nothing more: the
 * control interface (driver status up, interface status disconnected, interface
 * connect with the ring frame, status connected with the event channel and the
 * back end's domain), a grant table from GNTTABOP_setup_table, and the May-2005
 * blkif ring with grant references in frame_and_sects, as FreeBSD's
 * xb_blkfront.c fills them (xb_startio, blkif_control_probe_send).
 *
 * It probes the disks; on each writable one it writes a page, reads it back
 * whole and in two segments, and asks for sectors past the end; on a read-only
 * one it tries a write and reads sector 1. Then it sends requests a hostile
 * guest would: a read into a read-only grant, a grant of a frame that is not its
 * own, an entry that grants nothing, a reference past the table. Each answer is
 * printed; a wrong one is "blk: FAIL". With PROBE_HOLD_GRANT (its domain
 * id) it ends holding a mapping of one of its own grants.
 *
 * It runs with event delivery unmasked but no callback, so SCHEDOP_block returns
 * when an event is pending and the probe clears the bits itself.
 */
#include "probe-lib.h"

#define	TICK_LIMIT	600
#define	WSECTOR		16	/* where the test page is written */

static char pages[12 * 4096];
static grant_entry_t *gnttab;
static blkif_sring_t *ring;
static unsigned char *probebuf, *wbuf, *rbuf, *sbuf0, *sbuf1;
static unsigned int bport, req_prod, rsp_cons;
static unsigned int backend;
static unsigned int nextid;
static vdisk_t disks[8];
static int ndisks;

static void
sayint(int v)
{
	if (v < 0) {
		say("-");
		saydec(-v);
	} else
		saydec(v);
}

/* gnttab_grant_foreign_access_ref: the back end may map `frame`. */
static void
grant(int ref, unsigned long frame, int readonly)
{
	gnttab[ref].domid = backend;
	gnttab[ref].frame = frame;
	gnttab[ref].flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

/* gnttab_end_foreign_access_ref: refused while the back end still has it mapped. */
static void
ungrant(int ref)
{
	if (gnttab[ref].flags & (GTF_reading | GTF_writing))
		fail("grant still mapped after the response");
	gnttab[ref].flags = 0;
}

/* A segment: grant reference, first and last sector within the frame. */
static unsigned int
fas(int ref, int first, int last)
{
	return (((unsigned int)ref << 16) | (first << 3) | last);
}

/* Puts one request on the ring, notifies, waits for its response: the status. */
static int
blk_request(int op, int device, unsigned int sector, int nseg, unsigned int *segs)
{
	blkif_request_t *q;
	blkif_response_t *r;
	unsigned int id;
	int i;

	q = &ring->ring[req_prod & (BLKIF_RING_SIZE - 1)].req;
	id = ++nextid;
	q->operation = op;
	q->nr_segments = nseg;
	q->device = device;
	q->id = id;
	q->sector_number = sector;
	for (i = 0; i < nseg; i++)
		q->frame_and_sects[i] = segs[i];
	req_prod++;
	ring->req_prod = req_prod;
	notify(bport);
	while (ring->rsp_prod == rsp_cons)
		wait_event();
	r = &ring->ring[rsp_cons & (BLKIF_RING_SIZE - 1)].rsp;
	rsp_cons++;
	if (r->id != id || r->operation != op)
		fail("response for another request");
	return (r->status);
}

static void
connect(void)
{

	blkif_connect(ring, &bport, &backend);
	say("blk: connected, event channel ");
	saydec(bport);
	say(", back end domain ");
	saydec(backend);
	say("\n");
}

static void
probe(void)
{
	unsigned int seg;
	unsigned char *s, *d;
	int i, n;

	grant(0, mfn_of(probebuf), 0);
	seg = fas(0, 0, 7);
	n = blk_request(BLKIF_OP_PROBE, 0, 0, 1, &seg);
	ungrant(0);
	if (n <= 0 || n > 8)
		fail("probe");
	ndisks = n;
	s = probebuf;
	d = (unsigned char *)disks;
	for (i = 0; i < n * (int)sizeof(vdisk_t); i++)
		d[i] = s[i];
	say("blk: probe ");
	saydec(n);
	say(" disks\n");
	for (i = 0; i < n; i++) {
		say("blk: xbd");
		saydec(disks[i].device);
		say(" sectors ");
		saydec((unsigned int)disks[i].capacity);
		say(disks[i].info & VDISK_READONLY ? " read-only" : " writable");
		say(" sector size ");
		saydec(disks[i].sector_size);
		say("\n");
	}
}

static int
same(unsigned char *a, unsigned char *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (0);
	return (1);
}

static void
writable_disk(vdisk_t *vd)
{
	unsigned int seg[2];
	int i, st;

	for (i = 0; i < 4096; i++) {
		wbuf[i] = (unsigned char)((i * 7 + 3) ^ (i >> 8) ^ vd->device);
		rbuf[i] = 0;
		sbuf0[i] = 0;
		sbuf1[i] = 0;
	}
	/* A write: the back end reads our page, so the grant is read-only. */
	grant(1, mfn_of(wbuf), 1);
	seg[0] = fas(1, 0, 7);
	st = blk_request(BLKIF_OP_WRITE, vd->device, WSECTOR, 1, seg);
	ungrant(1);
	if (st != BLKIF_RSP_OKAY)
		fail("write");
	grant(2, mfn_of(rbuf), 0);
	seg[0] = fas(2, 0, 7);
	st = blk_request(BLKIF_OP_READ, vd->device, WSECTOR, 1, seg);
	ungrant(2);
	if (st != BLKIF_RSP_OKAY || !same(wbuf, rbuf, 4096))
		fail("read back");
	say("blk: xbd");
	saydec(vd->device);
	say(" wrote and read back 4096 bytes at sector ");
	saydec(WSECTOR);
	say("\n");
	/* The same eight sectors in two segments: the back half of one page, the front of another. */
	grant(3, mfn_of(sbuf0), 0);
	grant(4, mfn_of(sbuf1), 0);
	seg[0] = fas(3, 4, 7);
	seg[1] = fas(4, 0, 3);
	st = blk_request(BLKIF_OP_READ, vd->device, WSECTOR, 2, seg);
	ungrant(3);
	ungrant(4);
	if (st != BLKIF_RSP_OKAY || !same(wbuf, sbuf0 + 2048, 2048) ||
	    !same(wbuf + 2048, sbuf1, 2048) || sbuf0[0] != 0 || sbuf1[2048] != 0)
		fail("two-segment read");
	say("blk: two-segment read ok\n");
	grant(2, mfn_of(rbuf), 0);
	seg[0] = fas(2, 0, 7);
	st = blk_request(BLKIF_OP_READ, vd->device, (unsigned int)vd->capacity - 4, 1, seg);
	ungrant(2);
	say("blk: read past the end: status ");
	sayint(st);
	say("\n");
}

static void
readonly_disk(vdisk_t *vd)
{
	unsigned int seg;
	int st, i;

	grant(1, mfn_of(wbuf), 1);
	seg = fas(1, 0, 0);
	st = blk_request(BLKIF_OP_WRITE, vd->device, 1, 1, &seg);
	ungrant(1);
	say("blk: write to read-only xbd");
	saydec(vd->device);
	say(": status ");
	sayint(st);
	say("\n");
	grant(2, mfn_of(rbuf), 0);
	seg = fas(2, 0, 0);
	st = blk_request(BLKIF_OP_READ, vd->device, 1, 1, &seg);
	ungrant(2);
	if (st != BLKIF_RSP_OKAY)
		fail("read of the read-only disk");
	for (i = 0; i < 40 && rbuf[i] >= ' ' && rbuf[i] < 127; i++)
		;
	rbuf[i] = 0;
	say("blk: xbd");
	saydec(vd->device);
	say(" sector 1: ");
	say((char *)rbuf);
	say("\n");
}

static void
hostile(int device)
{
	unsigned int seg;
	int st;

	/* A read makes the back end write our page: a read-only grant must not do. */
	grant(5, mfn_of(rbuf), 1);
	seg = fas(5, 0, 7);
	st = blk_request(BLKIF_OP_READ, device, 0, 1, &seg);
	ungrant(5);
	say("blk: read into a read-only grant: status ");
	sayint(st);
	say("\n");
	/* A grant of a frame this domain does not own (the first machine frame, Xen's). */
	grant(6, 0, 0);
	seg = fas(6, 0, 7);
	st = blk_request(BLKIF_OP_READ, device, 0, 1, &seg);
	ungrant(6);
	say("blk: grant of a frame not ours: status ");
	sayint(st);
	say("\n");
	/* An entry that grants nothing, and a reference past the table. */
	seg = fas(7, 0, 7);
	st = blk_request(BLKIF_OP_READ, device, 0, 1, &seg);
	say("blk: ungranted reference: status ");
	sayint(st);
	say("\n");
	seg = fas(4000, 0, 7);
	st = blk_request(BLKIF_OP_READ, device, 0, 1, &seg);
	say("blk: reference past the table: status ");
	sayint(st);
	say("\n");
	/* Sectors last < first, and no segments at all. */
	grant(2, mfn_of(rbuf), 0);
	seg = fas(2, 5, 2);
	st = blk_request(BLKIF_OP_READ, device, 0, 1, &seg);
	say("blk: inverted sectors: status ");
	sayint(st);
	say("\n");
	st = blk_request(BLKIF_OP_READ, device, 0, 0, &seg);
	ungrant(2);
	say("blk: no segments: status ");
	sayint(st);
	say("\n");
}

void
probe_main(start_info_t *start)
{
	unsigned long base;
	evtchn_op_t op;
	int i;

	fail_tag = "blk";
	tick_limit = TICK_LIMIT;
	base = ((unsigned long)pages + 4095) & ~4095UL;
	probe_start(start, base);
	ring = (blkif_sring_t *)(base + 2 * 4096);
	probebuf = (unsigned char *)(base + 3 * 4096);
	wbuf = (unsigned char *)(base + 4 * 4096);
	rbuf = (unsigned char *)(base + 5 * 4096);
	sbuf0 = (unsigned char *)(base + 6 * 4096);
	sbuf1 = (unsigned char *)(base + 7 * 4096);
	op.cmd = EVTCHNOP_bind_virq;
	op.__reserved = 0;
	op.u.bind_virq.virq = VIRQ_TIMER;
	if (HYPERVISOR_event_channel_op(&op) != 0 || op.u.bind_virq.port != 2)
		fail("bind VIRQ_TIMER");
	gnttab = grant_table_start(base + 4096);

	connect();
	probe();
	for (i = 0; i < ndisks; i++) {
		if (disks[i].info & VDISK_READONLY)
			readonly_disk(&disks[i]);
		else
			writable_disk(&disks[i]);
	}
	hostile(disks[0].device);
#ifdef PROBE_HOLD_GRANT
	{
		unsigned int op[4];

		/* A mapping of its own grant, kept: the domain's end must release it. */
		grant(9, mfn_of(rbuf), 0);
		gnttab[9].domid = PROBE_HOLD_GRANT;	/* this domain's id */
		op[0] = 0;				/* host_virt_addr */
		op[1] = DOMID_SELF | (9 << 16);		/* dom, ref */
		op[2] = 2;				/* GNTMAP_host_map; OUT handle */
		op[3] = 0;				/* OUT dev_bus_addr */
		if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref,
		    (const char *)op, 1) != 0)
			fail("map own grant");
		say("blk: holding a mapping of grant 9 at shutdown\n");
	}
#endif
	say("blk: done\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << 8));
}
