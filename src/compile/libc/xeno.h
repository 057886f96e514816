/*
 * The services the libc needs from the machine, provided by the compiler as builtins
 * (lowered to the IR's sys_* intrinsics): write and read bytes, move the heap break,
 * and end the program with an exit code. Everything else is plain C.
 */
#ifndef _XENO_XENO_H_
#define _XENO_XENO_H_
int __xeno_write(int fd, const char *buf, int len);
int __xeno_read(int fd, char *buf, int len);
void __xeno_exit(int code);
void *__xeno_sbrk(int n);
void __xeno_flush_stdout(void);
#endif
