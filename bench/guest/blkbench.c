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
#include "probe-lib.h"

#define	NSEG		11

#ifndef BENCH_OP
#define	BENCH_OP	0
#endif
#ifndef BENCH_BYTES
#define	BENCH_BYTES	(8 * 1024 * 1024)
#endif

static char pages[(4 + 2 * NSEG) * 4096];
static grant_entry_t *gnttab;
static blkif_sring_t *ring;
static unsigned char *buf[NSEG], *dst[NSEG];
static unsigned int bport, req_prod, rsp_cons, backend;

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
	unsigned long base;
	unsigned int done, chunk;
	int i;

	fail_tag = "bench";
	base = ((unsigned long)pages + 4095) & ~4095UL;
	probe_start(start, base);
	ring = (blkif_sring_t *)(base + 2 * 4096);
	for (i = 0; i < NSEG; i++) {
		buf[i] = (unsigned char *)(base + (3 + i) * 4096);
		dst[i] = (unsigned char *)(base + (3 + NSEG + i) * 4096);
	}
	gnttab = grant_table_start(base + 4096);
	blkif_connect(ring, &bport, &backend);
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
