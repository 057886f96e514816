/*
 * xenoport libc: stdarg.h. On i386 every argument sits on the stack in 4-byte slots,
 * so va_list is a plain pointer; va_start asks the compiler for the address of the
 * first variadic argument.
 */
#ifndef _XENO_STDARG_H_
#define _XENO_STDARG_H_
typedef char *va_list;
typedef char *__builtin_va_list;
#define __va_size(type) ((sizeof(type) + 3) & ~3)
#define va_start(ap, last) ((ap) = (va_list)__builtin_va_start_address())
#define va_arg(ap, type) (*(type *)((ap) += __va_size(type), (ap) - __va_size(type)))
#define va_copy(dst, src) ((dst) = (src))
#define va_end(ap) ((void)0)
#endif
