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
 * Byte order of the i386 (little endian) and the network's (big endian)
 * conversions, as FreeBSD 4's <machine/endian.h> provides them.
 */

#ifndef _MACHINE_ENDIAN_H_
#define	_MACHINE_ENDIAN_H_

#define	LITTLE_ENDIAN	1234
#define	BIG_ENDIAN	4321
#define	BYTE_ORDER	LITTLE_ENDIAN

static __inline u_int32_t
__bswap32(u_int32_t x)
{

	return ((x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) |
	    (x << 24));
}

static __inline u_int16_t
__bswap16(u_int16_t x)
{

	return ((u_int16_t)((x >> 8) | (x << 8)));
}

#define	ntohl(x)	__bswap32((u_int32_t)(x))
#define	htonl(x)	__bswap32((u_int32_t)(x))
#define	ntohs(x)	__bswap16((u_int16_t)(x))
#define	htons(x)	__bswap16((u_int16_t)(x))

#endif /* !_MACHINE_ENDIAN_H_ */
