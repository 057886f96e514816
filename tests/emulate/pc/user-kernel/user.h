/*
 * What every test program includes: the system call stub (usys.xir) and printing.
 */
int	__syscall(int, ...);
void	halt_cpu(void);

static void
say(char *s)
{
	int n = 0;

	while (s[n])
		n++;
	__syscall(4, 1, s, n);
}

/* Prints s, then v in decimal and a newline. */
static void
sayn(char *s, int v)
{
	char b[16];
	int i = 15, neg = v < 0;

	say(s);
	if (neg)
		v = -v;
	b[i] = 0;
	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	if (neg)
		b[--i] = '-';
	say(b + i);
	say("\n");
}
