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
 * ICMP (RFC 792), the part this kernel answers: echo.  After FreeBSD 4's
 * <netinet/ip_icmp.h>.
 */

#ifndef _NETINET_IP_ICMP_H_
#define	_NETINET_IP_ICMP_H_

struct icmp {
	u_char	icmp_type;		/* type of message, see below */
	u_char	icmp_code;		/* type sub code */
	u_short	icmp_cksum;		/* ones complement cksum of struct */
	n_short	icmp_id;		/* echo identifier */
	n_short	icmp_seq;		/* echo sequence number */
};

#define	ICMP_MINLEN	8		/* abs minimum */
#define	ICMP_ECHOREPLY	0		/* echo reply */
#define	ICMP_UNREACH	3		/* dest unreachable, codes: */
#define	ICMP_UNREACH_PORT	3	/* bad port */
#define	ICMP_ECHO	8		/* echo service */

struct icmpstat {
	u_long	icps_error;		/* # of calls to icmp_error */
	u_long	icps_badcode;		/* icmp_code out of range */
	u_long	icps_tooshort;		/* packet < ICMP_MINLEN */
	u_long	icps_checksum;		/* bad checksum */
	u_long	icps_echo;		/* echo requests answered */
};

extern struct icmpstat icmpstat;

#endif /* !_NETINET_IP_ICMP_H_ */
