/*
 * xenoport libc: program entry. The engine calls __xeno_start(argc, argv) on a fresh
 * stack; main's return value becomes the exit code, after stdout is flushed, as
 * crt0 does on a real system.
 */
#include <stdlib.h>

int main(int argc, char **argv);

void
__xeno_start(int argc, char **argv)
{
	exit(main(argc, argv));
}
