/*
 * A switch whose body is a single statement, not a block: the statement is the
 * whole body, and what follows it is outside the switch.
 */
#include <stdio.h>

static int
f(int v)
{
	int r = 0;

	switch (v)
		case 2: r = 20;
	switch (v)
		default: r += 1;
	switch (v)
		case 1: case 3: r += 100;
	return (r);
}

static int
g(int v)
{
	if (v > 0)
		switch (v)
			case 5: return (55);
	else
		return (-1);
	return (0);
}

int
main(void)
{
	int i;

	for (i = 0; i < 5; i++)
		printf("f(%d) = %d\n", i, f(i));
	printf("g = %d %d %d\n", g(5), g(4), g(-3));
	return (0);
}
