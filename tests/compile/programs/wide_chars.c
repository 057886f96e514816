/*
 * Wide and prefixed character constants (L'x' is a wchar_t, an int here as on
 * every Linux target), wide string literals, and gcc's multi-character constants.
 */
#include <stdio.h>

static int wide[] = L"wide\x263a";
static unsigned short narrow16[] = u"ab";

int
main(void)
{
	int *p = L"xyz";
	int i;

	printf("%d %d %d %d\n", L'x', L'\0', L'\x263a', (int)sizeof(L'x'));
	printf("%d %u %d\n", u'q', U'\U0001F600', (int)sizeof(u'q'));
	printf("%d %d\n", 'ab', '\x01\x02');
	for (i = 0; i < (int)(sizeof(wide) / sizeof(wide[0])); i++)
		printf("%x ", wide[i]);
	printf("\n%d %d %d %d\n", p[0], p[2], p[3], narrow16[1]);
	return (0);
}
