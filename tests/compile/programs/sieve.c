#include <stdio.h>
#include <string.h>
#define N 20000
static char composite[N + 1];
int main(void) {
	int i, j, count = 0, last = 0;
	memset(composite, 0, sizeof composite);
	for (i = 2; i * i <= N; i++)
		if (!composite[i])
			for (j = i * i; j <= N; j += i) composite[j] = 1;
	for (i = 2; i <= N; i++) if (!composite[i]) { count++; last = i; }
	printf("%d primes, last %d\n", count, last);
	return count % 256;
}
