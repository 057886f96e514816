/*
 * Chains of ?: with arms of different types: each arm converts to the type of its
 * own ?: first, then outward (an int -1 through unsigned stays 4294967295 in a
 * long long); GNU `a ?: b` yields a itself.
 */
#include <stdio.h>

static long long
pick(int k)
{
	int m1 = -1;
	unsigned int u = 7;
	long long big = 1LL << 40;

	return (k == 0 ? big : k == 1 ? m1 : u);
}

static const char *
name(int k)
{
	return (k == 0 ? "zero" : k == 1 ? "one" : k == 2 ? "two" : "many");
}

int
main(void)
{
	int k, z = 0, five = 5;
	unsigned char c = 200;

	for (k = 0; k < 3; k++)
		printf("%lld\n", pick(k));
	for (k = 0; k < 4; k++)
		printf("%s ", name(k));
	printf("\n%d %d %d\n", five ?: 9, z ?: 9, (z ? c : -1) < 0);
	printf("%d\n", (int)sizeof(k ? c : c));
	return (0);
}
