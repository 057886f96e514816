/*
 * xenoport libc: math.h, declarations only. The compiler has no floating-point
 * arithmetic and the libc no math library: a program may include this header and
 * declare or define functions over double (an unused one costs nothing), but a call
 * is a CompileError.
 */
#ifndef _XENO_MATH_H_
#define _XENO_MATH_H_
#define HUGE_VAL (__builtin_huge_val())
double fabs(double);
float fabsf(float);
double sqrt(double);
double floor(double);
double ceil(double);
double fmod(double, double);
double pow(double, double);
double exp(double);
double log(double);
double sin(double);
double cos(double);
double tan(double);
double atan2(double, double);
#endif
