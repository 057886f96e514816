#include <stdio.h>
static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
static const char msg[] = "multi" "part" " string " "literal";
static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
int main(void) {
	int i, total = 0;
	for (i = 0; i < 12; i++) { total += days[i]; if (days[i] == 30) printf("%s ", months[i]); }
	printf("\n%d %s %d\n", total, msg, (int)sizeof(msg));
	printf("%c%c\n", "hello"[1], *("world" + 4));
	return 0;
}
