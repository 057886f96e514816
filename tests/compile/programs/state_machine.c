#include <stdio.h>
enum state { S_START, S_INT, S_IDENT, S_SPACE };
int main(void) {
	const char *in = "abc 123 x9 42  foo7 8";
	enum state st = S_START;
	int ints = 0, idents = 0; const char *p;
	for (p = in; ; p++) {
		char c = *p;
		int digit = c >= '0' && c <= '9', alpha = (c >= 'a' && c <= 'z');
		switch (st) {
		case S_START: case S_SPACE:
			if (digit) st = S_INT; else if (alpha) st = S_IDENT; else st = S_SPACE;
			break;
		case S_INT:
			if (!digit) { ints++; st = alpha ? S_IDENT : S_SPACE; }
			break;
		case S_IDENT:
			if (!digit && !alpha) { idents++; st = S_SPACE; }
			break;
		}
		if (!c) break;
	}
	printf("ints %d idents %d\n", ints, idents);
	return 0;
}
