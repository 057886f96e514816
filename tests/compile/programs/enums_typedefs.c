#include <stdio.h>
typedef unsigned int u_int;
typedef u_int pt_entry_t;
typedef struct point { int x, y; } point_t;
typedef point_t *pointp;
enum color { RED, GREEN = 5, BLUE, LAST = BLUE + 10 };
typedef enum { A1 = -2, A2, A3 } small_t;
int main(void) {
	pt_entry_t pte = 0x1003; pt_entry_t *ptep = &pte;
	point_t p = { 1, 2 }; pointp pp = &p;
	enum color c = BLUE; small_t s = A3;
	printf("%u %x %d\n", *ptep & ~0xfffU, (unsigned)(pte & 0xfff), (int)sizeof(pt_entry_t));
	printf("%d %d %d %d %d\n", RED, GREEN, c, LAST, s);
	printf("%d %d\n", pp->x + pp->y, (int)sizeof(point_t));
	unsigned long addr = (unsigned long)(pt_entry_t *)0 + sizeof(pt_entry_t) * 3;
	printf("%d\n", (int)addr);
	int n = (int)(pt_entry_t)(-1) == -1; printf("%d\n", n);
	return c;
}
