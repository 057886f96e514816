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
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit words, over an mbuf chain (in_cksum), an IP
 * header (in_cksum_hdr); UDP sums its pseudo header through struct
 * ipovly.  Written for clarity, not speed, in the place of FreeBSD 4's
 * assembler i386/i386/in_cksum.c.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

#define	REDUCE(sum)	do {						\
	while ((sum) >> 16)						\
		(sum) = ((sum) & 0xffff) + ((sum) >> 16);		\
} while (0)

u_short
in_cksum(m, len)
	struct mbuf *m;
	int len;
{
	u_int32_t sum;
	u_char *p;
	int mlen, odd;

	sum = 0;
	odd = 0;
	for (; m != NULL && len > 0; m = m->m_next) {
		p = (u_char *)mtod(m, caddr_t);
		mlen = min(m->m_len, len);
		len -= mlen;
		for (; mlen > 0; mlen--, p++) {
			/* Network order: even bytes are the high halves. */
			sum += odd ? *p : (u_int32_t)*p << 8;
			odd ^= 1;
		}
		REDUCE(sum);
	}
	REDUCE(sum);
	return (htons((u_short)~sum & 0xffff));
}

u_short
in_cksum_hdr(hdr)
	const void *hdr;
{
	const u_char *p;
	u_int32_t sum;
	int i, hlen;

	p = hdr;
	hlen = (p[0] & 0x0f) << 2;
	sum = 0;
	for (i = 0; i < hlen; i += 2)
		sum += ((u_int32_t)p[i] << 8) | p[i + 1];
	REDUCE(sum);
	return (htons((u_short)~sum & 0xffff));
}
