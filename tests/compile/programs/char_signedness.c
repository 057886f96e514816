#include <stdio.h>
int main(void) {
	char c = (char)0xff; signed char sc = -128; unsigned char uc = 0xff;
	short s = (short)0x8000; unsigned short us = 0xffff;
	printf("%d %d %d %d %d\n", c, sc, uc, s, us);
	int i = c + uc; printf("%d\n", i);
	c = 127; c++; printf("%d\n", c);
	uc = 0; uc--; printf("%d\n", uc);
	s = 32767; s += 2; printf("%d\n", s);
	printf("%d %d\n", (char)300, (unsigned char)-1);
	printf("%d\n", (short)70000);
	char str[] = "\x80\x7f\377"; printf("%d %d %d\n", str[0], str[1], str[2]);
	printf("%d\n", '\n' + '\t' + '\0' + '\\' + '\'' + '\101');
	return 0;
}
