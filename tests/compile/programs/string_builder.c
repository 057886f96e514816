#include <stdio.h>
#include <string.h>
#include <stdlib.h>
static char *join(const char **parts, int n, const char *sep) {
	int i, len = 0; char *r, *p;
	for (i = 0; i < n; i++) len += strlen(parts[i]) + (i ? strlen(sep) : 0);
	r = malloc(len + 1); p = r;
	for (i = 0; i < n; i++) { if (i) { strcpy(p, sep); p += strlen(sep); } strcpy(p, parts[i]); p += strlen(parts[i]); }
	*p = 0;
	return r;
}
static void upcase(char *s) { for (; *s; s++) if (*s >= 'a' && *s <= 'z') *s -= 32; }
static int count(const char *s, char c) { int n = 0; while (*s) n += *s++ == c; return n; }
int main(void) {
	const char *parts[] = { "alpha", "beta", "gamma", "delta" };
	char *s = join(parts, 4, ", ");
	printf("%s (%d)\n", s, (int)strlen(s));
	upcase(s); printf("%s %d\n", s, count(s, 'A'));
	free(s);
	char rev[32]; const char *src = "reverse me"; int n = strlen(src), i;
	for (i = 0; i < n; i++) rev[i] = src[n - 1 - i];
	rev[n] = 0; puts(rev);
	return 0;
}
