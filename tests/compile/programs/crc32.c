#include <stdio.h>
static unsigned int table[256];
static void init(void) {
	unsigned int c, n, k;
	for (n = 0; n < 256; n++) { c = n; for (k = 0; k < 8; k++) c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1; table[n] = c; }
}
static unsigned int crc(const unsigned char *p, int len) {
	unsigned int c = 0xffffffffU;
	while (len-- > 0) c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffU;
}
int main(void) {
	unsigned char buf[4096]; int i;
	init();
	for (i = 0; i < 4096; i++) buf[i] = (unsigned char)(i * 7 + (i >> 3));
	printf("%08x\n", crc((const unsigned char *)"123456789", 9));
	printf("%08x\n", crc(buf, 4096));
	return 0;
}
