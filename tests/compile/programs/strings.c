#include <stdio.h>
#include <string.h>
int main(void) {
	char buf[64];
	const char *s = "hello, world";
	strcpy(buf, s);
	printf("%d %s\n", (int)strlen(buf), buf);
	strcat(buf, "!!");
	printf("%s %d\n", buf, (int)strlen(buf));
	printf("%d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("x", "x"));
	printf("%d %d\n", strncmp("abcdef", "abcxyz", 3), strncmp("abcdef", "abcxyz", 4) < 0);
	printf("%s|%s\n", strchr(s, 'w'), strrchr(s, 'o'));
	memset(buf, 'z', 5); buf[5] = 0; printf("%s\n", buf);
	char a[] = "0123456789";
	memmove(a + 2, a, 5); printf("%s\n", a);
	memmove(a, a + 3, 5); printf("%s\n", a);
	memcpy(a, "AB", 2); printf("%s %d\n", a, memcmp(a, "AB", 2));
	printf("%s\n", strstr("needle in haystack", "hay"));
	return 0;
}
