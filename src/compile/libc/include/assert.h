/* xenoport libc: assert.h. */
#ifndef _XENO_ASSERT_H_
#define _XENO_ASSERT_H_
void __xeno_assert_fail(const char *expr, const char *file, int line);
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __xeno_assert_fail(#e, __FILE__, __LINE__))
#endif
#endif
