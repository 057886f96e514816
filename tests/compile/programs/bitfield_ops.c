#include <stdio.h>
struct pte { unsigned present:1, rw:1, us:1, pwt:1, pcd:1, accessed:1, dirty:1, ps:1, global:1, avail:3, frame:20; };
union pteu { struct pte f; unsigned raw; };
int main(void) {
	union pteu u; u.raw = 0;
	u.f.present = 1; u.f.rw = 1; u.f.frame = 0x12345;
	printf("%08x\n", u.raw);
	u.f.frame += 0x10; u.f.avail |= 5; u.f.dirty = !u.f.dirty;
	printf("%08x %x %u\n", u.raw, u.f.frame, u.f.avail);
	u.raw = 0xfffff063;
	printf("%u %u %u %x\n", u.f.present, u.f.accessed, u.f.ps, u.f.frame);
	struct { signed int s:5; unsigned int v:27; } t = { -16, 99 };
	t.s -= 1; printf("%d %u\n", t.s, t.v);
	return 0;
}
