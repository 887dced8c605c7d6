/** The k largest values, largest first, in one pass (k is a split count: small). */
export function largest(values: Iterable<number>, k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  for (const v of values) insertTop(top, k, v);
  return top;
}

/** Adds `v` to `top`, the k largest so far, largest first. */
export function insertTop(top: number[], k: number, v: number): void {
  if (top.length === k && v <= (top[k - 1] ?? 0)) return;
  let i = Math.min(top.length, k - 1);
  for (top[i] = v; i > 0 && (top[i - 1] ?? 0) < v; i--) {
    top[i] = top[i - 1] ?? 0;
    top[i - 1] = v;
  }
}

/** The n first of `items` in `order`, sorted, without sorting all of them. */
export function firstOf<T>(items: readonly T[], n: number, order: (a: T, b: T) => number): T[] {
  const out: T[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (out.length === n && last !== undefined && order(item, last) >= 0) continue;
    let i = out.length < n ? out.length : n - 1;
    for (let prev = out[i - 1]; i > 0 && prev !== undefined && order(item, prev) < 0; prev = out[i - 1]) {
      out[i] = prev;
      i--;
    }
    out[i] = item;
  }
  return out;
}
