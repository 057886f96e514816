/*
 * The address of a scalar local taken under a cast to a typedef name:
 * `(caddr_t)&nv` reads to a parser without typedef names as `(caddr_t) & nv`, so
 * nv must still live in memory, not in a register (krpc_put32's shape).
 */
#include <stdio.h>

typedef char *caddr_t;
typedef unsigned int u_int32_t;

static int
copyback(int off, int len, caddr_t cp)
{
	int i, sum;

	sum = off;
	for (i = 0; i < len; i++)
		sum = sum * 31 + (unsigned char)cp[i];
	return (sum);
}

static int
put32(u_int32_t v)
{
	u_int32_t nv;

	nv = v ^ 0x5a5a5a5a;
	return (copyback(4, 4, (caddr_t)&nv));
}

int
main(void)
{
	int mask, flags;

	mask = 12;
	flags = 10;
	printf("%d %d %d\n", put32(1), put32(0xdeadbeef), (mask) & flags);
	return (0);
}
