#include <stdio.h>
int main(void) {
	int i = 0, j, found = 0;
again:
	i++;
	if (i < 5) goto again;
	printf("i=%d\n", i);
	for (i = 0; i < 10; i++)
		for (j = 0; j < 10; j++)
			if (i * j == 42) { found = i * 100 + j; goto out; }
out:
	printf("found %d\n", found);
	i = 0;
	do { i += 3; if (i == 9) continue; if (i > 20) break; printf("%d ", i); } while (1);
	printf("\n");
	goto end;
	printf("unreachable\n");
end:
	return 7;
}
