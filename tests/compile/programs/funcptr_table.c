#include <stdio.h>
typedef int (*binop_t)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int dvd(int a, int b) { return b ? a / b : 0; }
struct op { char sym; binop_t fn; };
static struct op ops[] = { { '+', add }, { '-', sub }, { '*', mul }, { '/', dvd } };
static int apply(int (*f)(int, int), int x, int y) { return f(x, y); }
int main(void) {
	unsigned i;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) printf("12 %c 5 = %d\n", ops[i].sym, ops[i].fn(12, 5));
	binop_t t[2] = { mul, add };
	printf("%d %d\n", apply(t[0], 6, 7), (*t[1])(1, 2));
	int (*fp)(int, int) = &sub;
	printf("%d %d\n", fp(3, 10), fp == sub);
	return 0;
}
