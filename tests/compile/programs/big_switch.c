#include <stdio.h>
static int classify(int v) {
	switch (v) {
	case -100: return 1; case -7: return 2; case -1: return 3; case 0: return 4; case 3: return 5;
	case 9: return 6; case 27: return 7; case 81: return 8; case 243: return 9; case 1000: return 10;
	case 65536: return 11; case 2147483647: return 12; case -2147483647 - 1: return 13;
	default: return 0;
	}
}
static int ucls(unsigned v) {
	switch (v) { case 0: return 1; case 1: return 2; case 0x7fffffffU: return 3; case 0x80000000U: return 4; case 0xfffffffeU: return 5;
	case 0xffffffffU: return 6; case 100: return 7; case 200: return 8; default: return 0; }
}
static int ccls(unsigned char c) { switch (c) { case 'a': return 1; case 200: return 2; case 255: return 3; case 0: return 4; case 'z': return 5; case 128: return 6; default: return 0; } }
int main(void) {
	int vals[] = { -100, -7, -1, 0, 3, 9, 27, 81, 243, 1000, 65536, 2147483647, -2147483647 - 1, 5, -5, 82 }, i;
	unsigned uv[] = { 0, 1, 0x7fffffffU, 0x80000000U, 0xfffffffeU, 0xffffffffU, 100, 200, 300 };
	for (i = 0; i < 16; i++) printf("%d ", classify(vals[i]));
	printf("\n");
	for (i = 0; i < 9; i++) printf("%d ", ucls(uv[i]));
	printf("\n%d %d %d %d %d %d %d\n", ccls('a'), ccls(200), ccls(255), ccls(0), ccls('z'), ccls(128), ccls(7));
	return 0;
}
