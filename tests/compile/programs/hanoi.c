#include <stdio.h>
static int moves;
static void hanoi(int n, char from, char to, char via) {
	if (n == 0) return;
	hanoi(n - 1, from, via, to);
	if (n >= 4) printf("move %d %c->%c\n", n, from, to);
	moves++;
	hanoi(n - 1, via, to, from);
}
int main(void) { hanoi(6, 'A', 'C', 'B'); printf("moves=%d\n", moves); return 0; }
