#include <stdio.h>
int main(void) {
	int v[] = { 7, -7, 13, -13, 100, -100 };
	int d[] = { 2, -2, 3, -3 };
	int i, j;
	for (i = 0; i < 6; i++) for (j = 0; j < 4; j++) printf("%d/%d=%d r%d ", v[i], d[j], v[i] / d[j], v[i] % d[j]);
	printf("\n");
	printf("%d %d %d\n", -16 >> 2, -1 >> 31, -17 >> 1);
	printf("%u\n", 0x80000000U >> 31);
	printf("%d %d\n", 1 << 30, (int)(1u << 31));
	int s = 5; printf("%d %d\n", s << 3, -s << 2);
	long long ll = -1000000000000LL; printf("%lld %lld %lld\n", ll / 7, ll % 7, ll >> 3);
	return 0;
}
