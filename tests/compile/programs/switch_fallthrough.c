#include <stdio.h>
static const char *kind(int c) {
	switch (c) {
	case 0: return "zero";
	case 1: case 2: case 3: return "small";
	case 10: return "ten";
	default: return "other";
	case -1: return "minus";
	}
}
int main(void) {
	int i, acc = 0;
	for (i = 0; i < 6; i++) {
		switch (i) {
		case 0: acc += 1;
		case 1: acc += 10;
			break;
		case 2: acc += 100;
		case 3: acc += 1000;
		default: acc += 10000;
		}
		printf("%d:%d ", i, acc);
	}
	printf("\n%s %s %s %s %s\n", kind(0), kind(2), kind(10), kind(-1), kind(99));
	switch (acc) { }
	switch (acc & 3) { case 1: printf("one\n"); break; case 2: { int k = 5; printf("k%d\n", k); } break; default: printf("d\n"); }
	return 0;
}
