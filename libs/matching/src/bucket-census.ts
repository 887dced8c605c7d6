import type { LineStore } from './line-store';

/**
 * What the explanation of a miss asks of a bucket besides capacity: how many of its lines the
 * order is too wide for, lack a certification or belong to an unusable factory. These depend
 * only on which lines are filed there, so they are counted once per membership and a miss reads
 * a few numbers per bucket instead of walking every line.
 */
export interface BucketCensus {
  /** One entry per distinct width and certification mask among the members: how many usable and unusable members have them. */
  readonly widths: Float64Array;
  readonly masks: Int32Array;
  readonly usable: Int32Array;
  readonly unusable: Int32Array;
  /** The largest moq among the members. */
  readonly maxMoq: number;
}

export const NO_CENSUS: BucketCensus = {
  widths: new Float64Array(0), masks: new Int32Array(0), usable: new Int32Array(0), unusable: new Int32Array(0), maxMoq: 0,
};

/** Lines an order's buckets hold at its width: all, those lacking a certification, those not usable, and the eligible rest. */
export interface Tally {
  fitting: number;
  uncertified: number;
  unusable: number;
  eligible: number;
}

/** Whether a line holding these certification bits holds every required one. */
export type MaskTest = (mask: number) => boolean;

/** One pass, no sort: taken with a bucket's sort after its members changed. */
export function censusOf(members: readonly number[], store: LineStore): BucketCensus {
  const { certMask, usable, maxWidth } = store;
  const t = store.table;
  const entries = new Map<number, Map<number, number>>();
  const widths: number[] = [];
  const masks: number[] = [];
  const counts: number[] = [];
  let maxMoq = 0;
  for (const slot of members) {
    const width = maxWidth[slot] ?? 0;
    const mask = certMask[slot] ?? 0;
    let byMask = entries.get(width);
    if (byMask === undefined) entries.set(width, (byMask = new Map<number, number>()));
    let at = byMask.get(mask);
    if (at === undefined) {
      at = widths.length;
      byMask.set(mask, at);
      widths.push(width);
      masks.push(mask);
      counts.push(0, 0);
    }
    const count = 2 * at + (usable[slot] === 1 ? 0 : 1);
    counts[count] = (counts[count] ?? 0) + 1;
    maxMoq = Math.max(maxMoq, t.moq[slot] ?? 0);
  }
  return {
    widths: Float64Array.from(widths),
    masks: Int32Array.from(masks),
    usable: Int32Array.from(widths, (_, i) => counts[2 * i] ?? 0),
    unusable: Int32Array.from(widths, (_, i) => counts[2 * i + 1] ?? 0),
    maxMoq,
  };
}

/**
 * Adds the bucket's lines at least `minWidth` wide to the tally: from the census with a mask
 * test, else (a certification past the bits) by testing every member with `certified`.
 */
export function tallyFitting(
  census: BucketCensus, members: readonly number[], store: LineStore, minWidth: number, test: MaskTest | null,
  certified: (slot: number) => boolean, into: Tally,
): void {
  if (test === null) {
    for (const slot of members) {
      if ((store.maxWidth[slot] ?? 0) < minWidth) continue;
      into.fitting++;
      if (!certified(slot)) into.uncertified++;
      else if (store.usable[slot] !== 1) into.unusable++;
      else into.eligible++;
    }
    return;
  }
  for (let e = 0; e < census.widths.length; e++) {
    if ((census.widths[e] ?? 0) < minWidth) continue;
    const usable = census.usable[e] ?? 0;
    const unusable = census.unusable[e] ?? 0;
    into.fitting += usable + unusable;
    if (!test(census.masks[e] ?? 0)) into.uncertified += usable + unusable;
    else {
      into.unusable += unusable;
      into.eligible += usable;
    }
  }
}

/**
 * Members binned by their least non-zero free day (bin b holds [2^b, 2^(b+1))), so that the
 * lines whose least day is under a value are a few bins, and one boundary bin holds the only
 * ones visited needlessly. Built in one pass without a sort. A least day only falls between
 * builds (a reservation leaves a sliver) or rises (the horizon moves on): a lowered line is
 * added to its new, lower bin and noted as moved, so that a walk visits it once.
 */
export interface LeastBins {
  readonly bins: number[][];
  readonly moved: Set<number>;
  entries: number;
}

function binOf(least: number): number {
  return least < 2 ? 0 : Math.floor(Math.log2(least));
}

export function leastBinsOf(members: readonly number[], store: LineStore): LeastBins {
  const order: LeastBins = { bins: [], moved: new Set(), entries: 0 };
  for (const slot of members) addToBin(order, slot, store.leastFree[slot] ?? 0);
  return order;
}

/** Files a line under its least day; a line with no free day (Infinity) is under no value and is not filed. */
export function addToBin(order: LeastBins, slot: number, least: number): void {
  if (!Number.isFinite(least)) return;
  const b = binOf(least);
  while (order.bins.length <= b) order.bins.push([]);
  order.bins[b]?.push(slot);
  order.entries++;
}

/** Visits every member whose least non-zero day may be under `units`, each once (and some that are not). */
export function eachLeastUnder(order: LeastBins, units: number, visit: (slot: number) => void): void {
  const { bins, moved } = order;
  const seen = moved.size === 0 ? null : new Set<number>();
  for (let b = 0, last = Math.min(bins.length - 1, binOf(units)); b <= last; b++) {
    for (const slot of bins[b] ?? []) {
      if (seen !== null && moved.has(slot)) {
        if (seen.has(slot)) continue;
        seen.add(slot);
      }
      visit(slot);
    }
  }
}
