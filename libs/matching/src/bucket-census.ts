import type { LineStore } from './line-store';

/**
 * What the explanation of a miss asks of a bucket besides capacity: how many of its lines the
 * order is too wide for, lack a certification or belong to an unusable factory. These depend
 * only on which lines are filed there, so they are counted once per membership and a miss reads
 * a few numbers per bucket instead of walking every line.
 */
export interface BucketCensus {
  /** The members' distinct certification masks, with how many usable and unusable members hold each. */
  readonly masks: Int32Array;
  readonly usable: Int32Array;
  readonly unusable: Int32Array;
  /** Members narrowest first, with their widths: the lines an order is too wide for come first. */
  readonly byWidth: Int32Array;
  readonly widths: Float64Array;
  /** The largest moq among the members. */
  readonly maxMoq: number;
}

/** Lines an order's buckets hold at its width: all, those lacking a certification, those not usable, and the eligible rest. */
export interface Tally {
  fitting: number;
  uncertified: number;
  unusable: number;
  eligible: number;
}

/** Whether a line holding these certification bits holds every required one. */
export type MaskTest = (mask: number) => boolean;

export function censusOf(members: readonly number[], store: LineStore): BucketCensus {
  const { certMask, usable, maxWidth } = store;
  const t = store.table;
  const byMask = new Map<number, [number, number]>();
  let maxMoq = 0;
  for (const slot of members) {
    const mask = certMask[slot] ?? 0;
    const counts = byMask.get(mask) ?? [0, 0];
    counts[usable[slot] === 1 ? 0 : 1]++;
    byMask.set(mask, counts);
    maxMoq = Math.max(maxMoq, t.moq[slot] ?? 0);
  }
  const byWidth = Int32Array.from(members).sort((a, b) => (maxWidth[a] ?? 0) - (maxWidth[b] ?? 0) || a - b);
  return {
    masks: Int32Array.from(byMask.keys()),
    usable: Int32Array.from(byMask.values(), (c) => c[0]),
    unusable: Int32Array.from(byMask.values(), (c) => c[1]),
    byWidth,
    widths: Float64Array.from(byWidth, (s) => maxWidth[s] ?? 0),
    maxMoq,
  };
}

/**
 * Adds the bucket's lines at least `minWidth` wide to the tally. With a mask test the counts
 * come from the census, walking only the smaller side of the width cut; without one (a
 * certification past the bits) every fitting line is tested by `certified`.
 */
export function tallyFitting(
  census: BucketCensus, store: LineStore, minWidth: number, test: MaskTest | null, certified: (slot: number) => boolean, into: Tally,
): void {
  const { byWidth, widths } = census;
  let cut = 0;
  for (let hi = widths.length; cut < hi; ) {
    const mid = (cut + hi) >>> 1;
    if ((widths[mid] ?? 0) < minWidth) cut = mid + 1;
    else hi = mid;
  }
  const line = (slot: number, sign: 1 | -1): void => {
    into.fitting += sign;
    if (!certified(slot)) into.uncertified += sign;
    else if (store.usable[slot] !== 1) into.unusable += sign;
    else into.eligible += sign;
  };
  if (test === null || byWidth.length - cut <= cut) {
    for (let i = cut; i < byWidth.length; i++) line(byWidth[i] ?? 0, 1);
    return;
  }
  for (let m = 0; m < census.masks.length; m++) {
    const usable = census.usable[m] ?? 0;
    const unusable = census.unusable[m] ?? 0;
    into.fitting += usable + unusable;
    if (!test(census.masks[m] ?? 0)) into.uncertified += usable + unusable;
    else {
      into.unusable += unusable;
      into.eligible += usable;
    }
  }
  for (let i = 0; i < cut; i++) line(byWidth[i] ?? 0, -1);
}

/**
 * Members by their least non-zero free day, smallest first, as it was when sorted. A least day
 * only falls between sorts (a reservation leaves a sliver) or rises (the horizon moves on), so
 * the lines whose least day is now under a value are the sorted ones under it plus those
 * lowered since, which the bucket is told of.
 */
export interface LeastOrder {
  readonly byLeast: Int32Array;
  readonly least: Float64Array;
  readonly lowered: Set<number>;
}

export function leastOrderOf(members: readonly number[], store: LineStore): LeastOrder {
  const { leastFree } = store;
  const byLeast = Int32Array.from(members).sort((a, b) => {
    const la = leastFree[a] ?? 0;
    const lb = leastFree[b] ?? 0;
    return la < lb ? -1 : la > lb ? 1 : a - b;
  });
  return { byLeast, least: Float64Array.from(byLeast, (s) => leastFree[s] ?? 0), lowered: new Set() };
}

/** Visits every member whose least non-zero day may be under `units`, each once (and some that are not). */
export function eachLeastUnder(order: LeastOrder, units: number, visit: (slot: number) => void): void {
  const { byLeast, least, lowered } = order;
  for (let i = 0; i < byLeast.length && (least[i] ?? 0) < units; i++) {
    const slot = byLeast[i] ?? 0;
    if (!lowered.has(slot)) visit(slot);
  }
  for (const slot of lowered) visit(slot);
}
