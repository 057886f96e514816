/* xenoport libc: stddef.h (i386, ILP32). */
#ifndef _XENO_STDDEF_H_
#define _XENO_STDDEF_H_
typedef unsigned int size_t;
typedef int ptrdiff_t;
typedef int wchar_t;
#ifndef NULL
#define NULL ((void *)0)
#endif
#define offsetof(type, member) ((size_t)&((type *)0)->member)
#endif
