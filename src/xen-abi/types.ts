/*
 * Field-width vocabulary for the Xen ABI declarations in xen2.ts. The aliases are
 * plain numbers to TypeScript; their NAMES carry the width, and the generator
 * (generate.ts) reads the names with ts-morph to lay structures out and write C.
 * Invariant: every field of an ABI interface has one of these types, a
 * FixedArray of one, or another ABI interface (an embedded struct).
 */

/** Unsigned 8-bit field. */
export type u8 = number;
/** Unsigned 16-bit field. */
export type u16 = number;
/** Signed 8-bit field. */
export type s8 = number;
/** Signed 16-bit field. */
export type s16 = number;
/** Unsigned 32-bit field. */
export type u32 = number;
/** Signed 32-bit value (hypercall return values). */
export type s32 = number;
/** Unsigned 64-bit field. */
export type u64 = bigint;
/** Xen 2.0 `memory_t`: on x86_32 an `unsigned long`, 32 bits (arch-x86_32.h). */
export type memory_t = number;
/** Xen 2.0 `cpureg_t`: a full-sized register, 32 bits on x86_32. */
export type cpureg_t = number;
/** A guest virtual address passed to a hypercall (32 bits). */
export type Ptr<T> = number & { readonly __pointee?: T };
/** `T name[N]` in C. */
export type FixedArray<T, N extends number> = T[] & { readonly length: N };
/** Marks a hypercall that takes no arguments or returns nothing useful. */
export type Void = void;
