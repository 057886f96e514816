/*
 * Empty arrays of one shape. A plain `[]` (and an empty .map() or .filter()
 * result) starts with small-integer elements and changes kind on its first
 * push of an object or string, so empty and non-empty arrays get two hidden
 * shapes; a hot loop that meets both is optimized, thrown away and compiled
 * again, in every worker. The scanner's per-node arrays start here instead.
 */
const HOLE = {};

/** An empty array whose elements kind is already "any value". */
export function objectArray<T>(): T[] {
  const a = [HOLE] as unknown as T[];
  a.pop();
  return a;
}

/**
 * The one empty array a finished summary points at wherever a list stayed
 * empty: four in ten of a summary's arrays are, and each cost an object and a
 * backing store kept (and copied by the collector) for the whole scan. Frozen:
 * a push into it throws instead of corrupting every summary.
 */
export const NONE: readonly never[] = Object.freeze(objectArray<never>());

/** `items.filter(keep).map(f)` into an array of the one shape. */
export function mapKept<A, B>(items: readonly A[], keep: (a: A) => boolean, f: (a: A) => B): B[] {
  const out = objectArray<B>();
  for (const a of items) if (keep(a)) out.push(f(a));
  return out;
}
