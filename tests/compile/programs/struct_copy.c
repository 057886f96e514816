#include <stdio.h>
struct inner { short s; char c; };
struct rec { int id; struct inner in; char name[12]; long long big; };
static struct rec make(int id) { struct rec r = { id, { (short)(id * 2), 'x' }, "rec", 1LL << 40 }; r.name[3] = '0' + id; return r; }
static int sum(struct rec r) { r.id += 100; return r.id + r.in.s + r.in.c; }
int main(void) {
	struct rec a = make(3), b;
	b = a; b.id = 9; b.name[0] = 'R';
	printf("%d %d %c %s %lld\n", a.id, a.in.s, a.in.c, a.name, a.big);
	printf("%d %s\n", b.id, b.name);
	printf("sum=%d a.id=%d\n", sum(a), a.id);
	struct rec arr[3]; arr[1] = make(5); arr[2] = arr[1]; arr[2].in.c = 'y';
	printf("%d %c %c\n", arr[2].id, arr[1].in.c, arr[2].in.c);
	return 0;
}
