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
 * UDP endpoints for the kernel's own clients (the RPC client of the NFS
 * root): a protocol control block per bound port with a bounded queue of
 * received datagrams, in the shape of FreeBSD 4's inpcb and its socket
 * buffer, without sockets.  The queued mbufs hold the UDP payload, with
 * m_pkthdr.len its length; udp_pcbrecv() hands the first one out with the
 * sender's address.
 */

#ifndef _NETINET_UDP_VAR_H_
#define	_NETINET_UDP_VAR_H_

struct inpcb {
	struct	inpcb *inp_next;	/* all bound endpoints */
	struct	in_addr inp_laddr;	/* local host table entry */
	u_short	inp_lport;		/* local port, network order */
	struct	ifqueue inp_rcv;	/* received datagrams */
};

struct udpstat {
	u_long	udps_ipackets;		/* total input packets */
	u_long	udps_hdrops;		/* packet shorter than header */
	u_long	udps_badsum;		/* checksum error */
	u_long	udps_badlen;		/* data length larger than packet */
	u_long	udps_noport;		/* no socket on port */
	u_long	udps_fullsock;		/* not delivered, input socket full */
	u_long	udps_opackets;		/* total output packets */
};

extern struct udpstat udpstat;

struct	inpcb *udp_pcballoc __P((u_short));
void	udp_pcbfree __P((struct inpcb *));
struct	mbuf *udp_pcbrecv __P((struct inpcb *, struct sockaddr_in *));
int	udp_output __P((struct inpcb *, struct mbuf *, struct sockaddr_in *));

#endif /* !_NETINET_UDP_VAR_H_ */
