#include <stdio.h>
#include <string.h>
static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static void enc(const unsigned char *in, int n, char *out) {
	int i;
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
		*out++ = tbl[v >> 18]; *out++ = tbl[(v >> 12) & 63]; *out++ = tbl[(v >> 6) & 63]; *out++ = tbl[v & 63];
	}
	if (n - i == 1) { unsigned v = in[i] << 16; *out++ = tbl[v >> 18]; *out++ = tbl[(v >> 12) & 63]; *out++ = '='; *out++ = '='; }
	else if (n - i == 2) { unsigned v = in[i] << 16 | in[i + 1] << 8; *out++ = tbl[v >> 18]; *out++ = tbl[(v >> 12) & 63]; *out++ = tbl[(v >> 6) & 63]; *out++ = '='; }
	*out = 0;
}
int main(void) {
	const char *s[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar", "Many hands make light work." };
	char out[64]; int i;
	for (i = 0; i < 8; i++) { enc((const unsigned char *)s[i], strlen(s[i]), out); printf("[%s]\n", out); }
	return 0;
}
