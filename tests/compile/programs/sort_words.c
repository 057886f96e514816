#include <stdio.h>
#include <string.h>
int main(void) {
	char text[] = "the quick brown fox jumps over the lazy dog";
	char *words[16]; int n = 0, i, j; char *p = text;
	while (*p) {
		while (*p == ' ') *p++ = 0;
		if (*p) words[n++] = p;
		while (*p && *p != ' ') p++;
	}
	for (i = 1; i < n; i++) { char *w = words[i]; for (j = i - 1; j >= 0 && strcmp(words[j], w) > 0; j--) words[j + 1] = words[j]; words[j + 1] = w; }
	for (i = 0; i < n; i++) printf("%s%c", words[i], i + 1 < n ? ',' : '\n');
	return n;
}
