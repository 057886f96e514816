#include <stdio.h>
static void atomic_add(volatile unsigned *p, unsigned v) { __asm __volatile("lock; addl %1,%0" : "+m" (*p) : "ir" (v) : "memory"); }
static void atomic_set(volatile unsigned *p, unsigned v) { __asm __volatile("lock; orl %1,%0" : "+m" (*p) : "ir" (v) : "memory"); }
static void atomic_clear(volatile unsigned *p, unsigned v) { __asm __volatile("lock; andl %1,%0" : "+m" (*p) : "ir" (~v) : "memory"); }
static int cmpset(volatile unsigned *dst, unsigned exp, unsigned src) {
	unsigned char res;
	__asm __volatile("lock; cmpxchgl %3,%1; sete %0" : "=q" (res), "+m" (*dst), "+a" (exp) : "r" (src) : "memory");
	return res;
}
static unsigned swap(volatile unsigned *p, unsigned v) { __asm __volatile("xchgl %1,%0" : "+r" (v), "+m" (*p) : : "memory"); return v; }
static int ffs_(int mask) { int r; __asm __volatile("bsfl %1,%0" : "=r" (r) : "rm" (mask)); return r; }
static int fls_(int mask) { int r; __asm __volatile("bsrl %1,%0" : "=r" (r) : "rm" (mask)); return r; }
static unsigned bswap_(unsigned x) { __asm("bswap %0" : "+r" (x)); return x; }
static unsigned addmov(unsigned a, unsigned b) { unsigned r; __asm("movl %1,%0; addl %2,%0; shll $2,%0" : "=&r" (r) : "r" (a), "r" (b)); return r; }
int main(void) {
	volatile unsigned x = 10;
	atomic_add(&x, 5); atomic_set(&x, 0x100); atomic_clear(&x, 1);
	printf("%u\n", x);
	printf("%d %u ", cmpset(&x, 999, 1), x);
	printf("%d %u\n", cmpset(&x, x, 77), x);
	printf("%u %u\n", swap(&x, 5), x);
	printf("%d %d %x %u\n", ffs_(0x50), fls_(0x50), bswap_(0x11223344), addmov(3, 4));
	__asm __volatile("" : : : "memory");
	return 0;
}
