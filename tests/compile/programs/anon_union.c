#include <stdio.h>
#include <stddef.h>
struct reg {
	int kind;
	union { unsigned int e; struct { unsigned short x, hi; }; };
};
struct packet { char tag; int len; short crc; char data[5]; };
int main(void) {
	struct reg r; r.kind = 1; r.e = 0xdeadbeef;
	printf("%x %x %d\n", r.x, r.hi, (int)sizeof(r));
	printf("%d %d %d %d %d\n", (int)offsetof(struct packet, tag), (int)offsetof(struct packet, len),
	    (int)offsetof(struct packet, crc), (int)offsetof(struct packet, data), (int)sizeof(struct packet));
	return 0;
}
