/**
 * Columnar view of the lines a plan may use. Free capacity is kept as per-line prefix sums
 * so that any window's free units cost two reads, whatever its length.
 */
export interface LineTable {
  /** Days stored per line; days at or beyond it have no capacity. */
  readonly horizon: number;
  /** horizon + 1: prefix[slot * stride + d] = free units on days [0, d). */
  readonly stride: number;
  readonly prefix: Float64Array;
  readonly rate: Float64Array;
  /** (onTimeRate + acceptanceRate) / 2. */
  readonly record: Float64Array;
  readonly load: Float64Array;
  /** Minimum quantity per split allocation (sewing moq; 0 for weaving). */
  readonly moq: Float64Array;
  readonly lineId: readonly string[];
  readonly factoryId: readonly string[];
}

/** Free units of one line over the inclusive day window [from, to], both within the horizon. */
export function windowUnits(t: LineTable, slot: number, from: number, to: number): number {
  const base = slot * t.stride;
  return (t.prefix[base + to + 1] ?? 0) - (t.prefix[base + from] ?? 0);
}

export function freeOn(t: LineTable, slot: number, day: number): number {
  return windowUnits(t, slot, day, day);
}

/** First day in [from, to] by which the line has `units` free counted from `from`; -1 if never. */
export function dayCovering(t: LineTable, slot: number, from: number, to: number, units: number): number {
  const base = slot * t.stride;
  const start = t.prefix[base + from] ?? 0;
  if ((t.prefix[base + to + 1] ?? 0) - start < units) return -1;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t.prefix[base + mid + 1] ?? 0) - start >= units) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Writes one line's prefix sums; missing days count as zero and fractions of a unit are not sold. */
export function writePrefix(prefix: Float64Array, stride: number, slot: number, free: ArrayLike<number>): void {
  const base = slot * stride;
  let sum = 0;
  prefix[base] = 0;
  for (let d = 0; d < stride - 1; d++) {
    const f = d < free.length ? (free[d] ?? 0) : 0;
    sum += f > 0 ? Math.floor(f) : 0;
    prefix[base + d + 1] = sum;
  }
}
