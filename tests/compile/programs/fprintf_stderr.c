#include <stdio.h>
int main(void) {
	fprintf(stderr, "this goes to stderr %d\n", 1);
	fprintf(stdout, "stdout %s\n", "ok");
	fputs("fputs line\n", stdout);
	fputc('!', stdout); fputc('\n', stdout);
	fflush(stdout);
	printf("%d\n", printf("abc\n"));
	return 0;
}
