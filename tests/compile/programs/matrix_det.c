#include <stdio.h>
static long long det(long long m[][6], int n) {
	long long sub[6][6], d = 0; int c, i, j, sign = 1;
	if (n == 1) return m[0][0];
	for (c = 0; c < n; c++) {
		for (i = 1; i < n; i++) { int k = 0; for (j = 0; j < n; j++) if (j != c) sub[i - 1][k++] = m[i][j]; }
		d += sign * m[0][c] * det(sub, n - 1);
		sign = -sign;
	}
	return d;
}
int main(void) {
	long long m[6][6]; int i, j;
	for (i = 0; i < 6; i++) for (j = 0; j < 6; j++) m[i][j] = (i * 7 + j * 3) % 11 - 5 + (i == j) * 4;
	printf("%lld %lld %lld\n", det(m, 2), det(m, 4), det(m, 6));
	return 0;
}
