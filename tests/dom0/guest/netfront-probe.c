/*
 * A minimal Xen 2.0 network front end for the domain 0 tests, compiled by
 * xenoport and run on the bundled hypervisor. It speaks the real protocols and
 * nothing more: the control interface in shared_info (driver status up, interface
 * status, interface connect with the ring frames, status connected with the event
 * channel), netif.h's rings, receive buffers given back with
 * decrease_reservation and taken back from page-flipped responses. It sends an
 * ARP request for 169.254.1.0 (again every 200 ms until answered), then, with
 * PROBE_PMAP, a UDP PMAP GETPORT for MOUNT v3 and prints the port.
 *
 * It runs with event delivery unmasked but no callback, so SCHEDOP_block returns
 * when an event is pending and the probe clears the bits itself.
 */
#include "probe-lib.h"

#define	NRXBUF		4
#define	TICK_LIMIT	600	/* 6 s of virtual time at the 100 Hz tick */

static char pages[(8 + NRXBUF) * 4096];
static netif_tx_interface_t *txr;
static netif_rx_interface_t *rxr;
static unsigned char *txbuf;
static unsigned char *rxva[NRXBUF];
static unsigned int nport, txprod;
static unsigned char mac[6], server_mac[6];
static int have_server;
static unsigned int pmap_port;

/* The next controller message of the network front end: its status record. */
static netif_fe_interface_status_t *
ctrl_status(void)
{
	static netif_fe_interface_status_t st;

	ctrl_recv(CMSG_NETIF_FE, CMSG_NETIF_FE_INTERFACE_STATUS, &st, sizeof(st));
	return (&st);
}

/* Gives the buffer page of rx slot `id` back to Xen and posts the slot. */
static void
post_rx(int id)
{
	unsigned long mfn;

	mfn = mfn_of(rxva[id]);
	if (HYPERVISOR_update_va_mapping((unsigned long)rxva[id] >> 12, 0, UVMF_INVLPG) != 0)
		fail("unmap rx buffer");
	p2m[((unsigned long)rxva[id] - VIRT_BASE) >> 12] = 0;
	if (HYPERVISOR_dom_mem_op(MEMOP_decrease_reservation, &mfn, 1, 0, DOMID_SELF) != 1)
		fail("decrease_reservation");
	rxr->ring[rxr->req_prod & (NETIF_RX_RING_SIZE - 1)].req.id = id;
	rxr->req_prod++;
}

/* Takes the flipped page of a response into slot `id`'s address; returns the packet. */
static unsigned char *
take_rx(netif_rx_response_t *r)
{
	mmu_update_t u;
	unsigned long mfn, pfn;
	int done;

	mfn = r->addr >> 12;
	pfn = ((unsigned long)rxva[r->id] - VIRT_BASE) >> 12;
	u.ptr = (mfn << 12) | MMU_MACHPHYS_UPDATE;
	u.val = pfn;
	if (HYPERVISOR_mmu_update(&u, 1, &done) != 0)
		fail("machphys update");
	if (HYPERVISOR_update_va_mapping((unsigned long)rxva[r->id] >> 12, (mfn << 12) | 7, UVMF_INVLPG) != 0)
		fail("map flipped page");
	p2m[pfn] = mfn;
	return (rxva[r->id] + (r->addr & 0xfff));
}

static void
transmit(int len)
{
	netif_tx_request_t *q;

	q = &txr->ring[txprod & (NETIF_TX_RING_SIZE - 1)].req;
	q->addr = (mfn_of(txbuf) << 12) | 64;
	q->id = txprod & 0xffff;
	q->size = len;
	txprod++;
	txr->req_prod = txprod;
	txr->event = txprod;
	notify(nport);
	if (txr->resp_prod != txprod || txr->ring[(txprod - 1) & (NETIF_TX_RING_SIZE - 1)].resp.status != NETIF_RSP_OKAY)
		fail("transmit");
}

static void
put16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void
put32(unsigned char *p, unsigned int v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static unsigned int
get16(unsigned char *p)
{
	return ((p[0] << 8) | p[1]);
}

static void
send_arp(void)
{
	unsigned char *p;
	int i;

	p = txbuf + 64;
	for (i = 0; i < 6; i++) {
		p[i] = 0xff;
		p[6 + i] = mac[i];
		p[22 + i] = mac[i];
		p[32 + i] = 0;
	}
	put16(p + 12, 0x0806);
	put16(p + 14, 1);
	put16(p + 16, 0x0800);
	p[18] = 6;
	p[19] = 4;
	put16(p + 20, 1);
	put32(p + 28, 0xa9fe0101);
	put32(p + 38, 0xa9fe0100);
	transmit(42);
}

static void
send_getport(void)
{
	unsigned char *p, *ip, *udp, *rpc;
	unsigned int sum;
	int i;

	p = txbuf + 64;
	for (i = 0; i < 6; i++) {
		p[i] = server_mac[i];
		p[6 + i] = mac[i];
	}
	put16(p + 12, 0x0800);
	ip = p + 14;
	udp = ip + 20;
	rpc = udp + 8;
	put32(rpc, 0x58e50001);		/* xid */
	put32(rpc + 4, 0);		/* CALL */
	put32(rpc + 8, 2);		/* RPC version */
	put32(rpc + 12, 100000);	/* PMAP */
	put32(rpc + 16, 2);
	put32(rpc + 20, 3);		/* GETPORT */
	put32(rpc + 24, 0);		/* AUTH_NONE credential and verifier */
	put32(rpc + 28, 0);
	put32(rpc + 32, 0);
	put32(rpc + 36, 0);
	put32(rpc + 40, 100005);	/* MOUNT */
	put32(rpc + 44, 3);
	put32(rpc + 48, 17);		/* UDP */
	put32(rpc + 52, 0);
	put16(udp, 1023);
	put16(udp + 2, 111);
	put16(udp + 4, 8 + 56);
	put16(udp + 6, 0);		/* no checksum */
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, 20 + 8 + 56);
	put16(ip + 4, 1);
	put16(ip + 6, 0);
	ip[8] = 64;
	ip[9] = 17;
	put16(ip + 10, 0);
	put32(ip + 12, 0xa9fe0101);
	put32(ip + 16, 0xa9fe0100);
	sum = 0;
	for (i = 0; i < 20; i += 2)
		sum += get16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, ~sum & 0xffff);
	transmit(14 + 20 + 8 + 56);
}

/* Looks at one received frame: the ARP reply, or the PMAP reply. */
static void
input(unsigned char *p, int len)
{
	int i;

	if (len >= 42 && get16(p + 12) == 0x0806 && get16(p + 20) == 2 &&
	    p[28] == 169 && p[29] == 254 && p[30] == 1 && p[31] == 0) {
		for (i = 0; i < 6; i++)
			server_mac[i] = p[22 + i];
		if (!have_server) {
			say("probe: arp reply 169.254.1.0 is-at ");
			for (i = 0; i < 6; i++) {
				sayhex(server_mac[i], 2);
				say(i < 5 ? ":" : "\n");
			}
		}
		have_server = 1;
		return;
	}
	if (len >= 14 + 20 + 8 + 28 && get16(p + 12) == 0x0800 && p[14 + 9] == 17 &&
	    get16(p + 34) == 111 && get16(p + 36) == 1023 &&
	    get16(p + 42) == 0x58e5 && get16(p + 44) == 1) {
		pmap_port = (p[14 + 20 + 8 + 24] << 24) | (p[14 + 20 + 8 + 25] << 16) |
		    (p[14 + 20 + 8 + 26] << 8) | p[14 + 20 + 8 + 27];
		say("probe: pmap getport mountd v3 udp = ");
		saydec(pmap_port);
		say("\n");
	}
}

/* Consumes every receive response, re-posting each buffer. */
static void
rx_poll(unsigned int *cons)
{
	netif_rx_response_t *r;

	while (*cons != rxr->resp_prod) {
		r = &rxr->ring[*cons & (NETIF_RX_RING_SIZE - 1)].resp;
		(*cons)++;
		if (r->status <= 0 || r->id >= NRXBUF)
			fail("rx response");
		input(take_rx(r), r->status);
		post_rx(r->id);
	}
	rxr->event = *cons + 1;
	notify(nport);
}

void
probe_main(start_info_t *start)
{
	netif_fe_driver_status_t ds;
	netif_fe_interface_connect_t cn;
	netif_fe_interface_status_t *st;
	evtchn_op_t op;
	unsigned long base;
	unsigned int rxcons, last;
	int i;

	tick_limit = TICK_LIMIT;
	base = ((unsigned long)pages + 4095) & ~4095UL;
	probe_start(start, base);
	txr = (netif_tx_interface_t *)(base + 4096);
	rxr = (netif_rx_interface_t *)(base + 2 * 4096);
	txbuf = (unsigned char *)(base + 3 * 4096);
	for (i = 0; i < NRXBUF; i++)
		rxva[i] = (unsigned char *)(base + (4 + i) * 4096);
	op.cmd = EVTCHNOP_bind_virq;
	op.__reserved = 0;
	op.u.bind_virq.virq = VIRQ_TIMER;
	if (HYPERVISOR_event_channel_op(&op) != 0 || op.u.bind_virq.port != 2)
		fail("bind VIRQ_TIMER");

	ds.status = NETIF_DRIVER_STATUS_UP;
	ds.max_handle = 0;
	ctrl_send(CMSG_NETIF_FE, CMSG_NETIF_FE_DRIVER_STATUS, &ds, sizeof(ds));
	if (ctrl->tx_ring[0].length != sizeof(ds) || ((netif_fe_driver_status_t *)ctrl->tx_ring[0].msg)->max_handle != 1)
		fail("driver status response");
	st = ctrl_status();
	if (st->handle != 0 || st->status != NETIF_INTERFACE_STATUS_DISCONNECTED)
		fail("interface status disconnected");
	for (i = 0; i < 6; i++)
		mac[i] = st->mac[i];
	say("probe: xn0 mac ");
	for (i = 0; i < 6; i++) {
		sayhex(mac[i], 2);
		say(i < 5 ? ":" : "\n");
	}

	cn.handle = 0;
	cn.__pad = 0;
	cn.tx_shmem_frame = mfn_of(txr);
	cn._pad_A = 0;
	cn.rx_shmem_frame = mfn_of(rxr);
	cn._pad_B = 0;
	ctrl_send(CMSG_NETIF_FE, CMSG_NETIF_FE_INTERFACE_CONNECT, &cn, sizeof(cn));
	st = ctrl_status();
	if (st->status != NETIF_INTERFACE_STATUS_CONNECTED || st->evtchn == 0)
		fail("interface status connected");
	nport = st->evtchn;
	say("probe: connected, event channel ");
	saydec(nport);
	say("\n");

	for (i = 0; i < NRXBUF; i++)
		post_rx(i);
	rxr->event = 1;
	notify(nport);
	rxcons = 0;
	last = 0;
	send_arp();
	while (!have_server) {
		wait_event();
		rx_poll(&rxcons);
		if (!have_server && ticks - last >= 20) {
			last = ticks;
			send_arp();
		}
	}
#ifdef PROBE_PMAP
	last = ticks;
	send_getport();
	while (pmap_port == 0) {
		wait_event();
		rx_poll(&rxcons);
		if (pmap_port == 0 && ticks - last >= 50) {
			last = ticks;
			send_getport();
		}
	}
#endif
	say("probe: done\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << 8));
}
