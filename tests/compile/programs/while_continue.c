#include <stdio.h>
int main(void) {
	int i = 0, odd = 0, skipped = 0;
	while (i < 50) {
		i++;
		if (i % 2 == 0) continue;
		if (i % 7 == 0) { skipped++; continue; }
		odd += i;
	}
	printf("%d %d\n", odd, skipped);
	int n = 0;
	for (;;) { if (++n > 100) break; if (n % 10) continue; printf("%d ", n); }
	printf("\n");
	return 0;
}
