#include <stdio.h>
#include <string.h>
struct odd {
	unsigned char a:5;
	unsigned char b:7 __attribute__((packed));
	unsigned short c:13 __attribute__((packed));
	signed char d:6 __attribute__((packed));
	unsigned int e:20 __attribute__((packed));
	unsigned short :0;
	int f:9;
};
int main(void) {
	struct odd o; unsigned char raw[sizeof(struct odd)]; unsigned i;
	memset(&o, 0, sizeof o);
	o.a = 21; o.b = 100; o.c = 7777; o.d = -17; o.e = 0xabcde; o.f = -200;
	memcpy(raw, &o, sizeof o);
	printf("%d:", (int)sizeof o);
	for (i = 0; i < sizeof o; i++) printf(" %02x", raw[i]);
	printf("\n%u %u %u %d %x %d\n", o.a, o.b, o.c, o.d, o.e, o.f);
	o.c += 500; o.d++; o.e ^= 0x80001;
	printf("%u %d %x %u %u\n", o.c, o.d, o.e, o.a, o.b);
	return 0;
}
