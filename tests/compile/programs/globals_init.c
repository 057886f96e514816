#include <stdio.h>
int gi = 42;
int garr[5] = { 1, 2, 3 };
char gstr[] = "global";
const char *gptr = "pointer";
struct cfg { int a; const char *name; short s[3]; } gcfg = { 7, "cfg", { 1, -2, 3 } };
struct cfg gcfgs[2] = { { 1, "one" }, { 2, "two", { 9 } } };
int *gip = &garr[2];
static int sgi;
unsigned char bytes[] = { 0xff, 0x80, 1 };
long long gll = -5000000000LL;
int matrix[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
int main(void) {
	printf("%d %d %d %d %s %s\n", gi, garr[0], garr[2], garr[4], gstr, gptr);
	printf("%d %s %d %d\n", gcfg.a, gcfg.name, gcfg.s[1], gcfg.s[2]);
	printf("%s %s %d %d\n", gcfgs[0].name, gcfgs[1].name, gcfgs[1].s[0], gcfgs[0].s[0]);
	printf("%d %d %d %d\n", *gip, sgi, bytes[0], (int)sizeof(bytes));
	printf("%lld %d %d\n", gll, matrix[1][2], (int)sizeof(gstr));
	gi++; sgi += 3; printf("%d %d\n", gi, sgi);
	return 0;
}
