/*
 * xenoport libc: float.h (i386 IEEE 754 single, double and x87 extended). The
 * compiler has no floating-point arithmetic: these names exist so that headers and
 * programs that mention them compile; using one as a value is a CompileError.
 */
#ifndef _XENO_FLOAT_H_
#define _XENO_FLOAT_H_
#define FLT_RADIX 2
#define FLT_MANT_DIG 24
#define DBL_MANT_DIG 53
#define LDBL_MANT_DIG 64
#define FLT_DIG 6
#define DBL_DIG 15
#define LDBL_DIG 18
#define FLT_MAX 3.40282347e+38F
#define DBL_MAX 1.7976931348623157e+308
#define FLT_MIN 1.17549435e-38F
#define DBL_MIN 2.2250738585072014e-308
#define FLT_EPSILON 1.19209290e-07F
#define DBL_EPSILON 2.2204460492503131e-16
#endif
