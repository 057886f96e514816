#include <stdio.h>
int main(void) {
	int row, col;
	for (row = 0; row < 8; row++) {
		for (col = 0; col < 16; col++) putchar((row ^ col) & 1 ? '#' : '.');
		putchar('\n');
	}
	for (row = 32; row < 127; row++) putchar(row);
	putchar('\n');
	return 0;
}
