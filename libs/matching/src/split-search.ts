import type { CapScan } from './cap-scan';
import { maxQuantityWithin } from './capacity';
import { windowUnits } from './line-table';
import { allocate, planned, type PlanContext } from './plan-context';
import { staticScore } from './scoring';
import { firstOf } from './top-k';
import type { PlanResult, PlannedAllocation } from './types';

interface SplitLine {
  readonly slot: number;
  readonly id: string;
  /** Smallest quantity this line may take as one of several allocations. */
  readonly lo: number;
  readonly rank: number;
  /** What it could take by the due date. */
  readonly capAtEnd: number;
  /** What it could take by the day being tried. */
  cap: number;
}

const byId = (a: SplitLine, b: SplitLine): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byCapDesc = (a: SplitLine, b: SplitLine): number => b.cap - a.cap || byId(a, b);
const byRankDesc = (a: SplitLine, b: SplitLine): number => b.rank - a.rank || byId(a, b);

/**
 * The fewest lines that cover the order, then the plan with the best quantity-weighted score
 * among three completion days: the earliest feasible one (most slack), the due date (widest
 * choice of cheap lines) and the day between them. Within a day lines are taken best-ranked
 * first, skipping any whose pick would leave a remainder the other slots cannot cover.
 */
export function planSplit(ctx: PlanContext, scan: CapScan, ranked: RankedLines): PlanResult | null {
  const { req, to } = ctx;
  if (req.maxSplits < 2) return null;
  const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
  const lo = (slot: number) => Math.max(minSplit, ctx.t.moq[slot] ?? 0);
  const top = scan.largest(req.maxSplits, (slot, cap) => cap >= lo(slot));
  for (let k = 2; k <= req.maxSplits; k++) {
    if (sumOf(top, k) < req.quantity) continue;
    // A line smaller than this cannot be one of k lines covering the order, at any day.
    const threshold = req.quantity - sumOf(top, k - 1);
    const shortlist = shortlistOf(scan, ranked, threshold, (slot, cap) => cap >= threshold && cap >= lo(slot), k).map((slot): SplitLine => {
      const cap = scan.capOfSlot(slot);
      return { slot, id: ctx.t.lineId[slot] ?? '', lo: lo(slot), rank: rankOf(ctx, slot), capAtEnd: cap, cap };
    }).sort(byRankDesc);
    const earliest = earliestFeasibleDay(ctx, shortlist, k);
    let best: { score: number; allocations: PlannedAllocation[] } | null = null;
    for (const day of new Set([earliest, middleDay(ctx, earliest), to])) {
      const allocations = greedySplit(ctx, shortlist, k, day);
      if (allocations === null) continue;
      const score = allocations.reduce((s, a) => s + (a.quantity / req.quantity) * a.score, 0);
      if (best === null || score > best.score) best = { score, allocations };
    }
    if (best !== null) return planned(best.allocations);
  }
  return null;
}

/**
 * The day halfway from the earliest feasible day to the due date, clipped to the window. It is
 * taken from the request's due date, not from the window's end: the window ends where the
 * table's horizon does, and the index keeps a longer horizon than the lines of a list carry.
 * Days past every line's last free day hold nothing and must not move the day tried, or the
 * index and the list would plan the same lines differently. Clipped, a later middle day
 * measures the same capacities as the window's end.
 */
function middleDay(ctx: PlanContext, earliest: number): number {
  return Math.min(ctx.to, Math.floor((earliest + ctx.req.endDay) / 2));
}

/** How many of the best-ranked and of the largest lines a split considers, per allowed split. */
const SHORTLIST_PER_SPLIT = 16;

/**
 * The best-ranked eligible lines passing `keep`, best first (score without slack, then lineId).
 * `keep` refuses any line that could take less than `floor` of the order by the due date. The
 * index walks its buckets cheapest first, passes over lines whose peak day rules them out, and
 * stops when no line left could enter the best.
 */
export type RankedLines = (n: number, floor: number, keep: (slot: number) => boolean) => number[];

/**
 * The lines a k-split is chosen from, as slots: every line that could be one of the k (`above`)
 * when there are few, else the best-ranked and the largest of them. The largest guarantee a
 * plan whenever k lines can cover the order; the best-ranked are where the greedy pick looks
 * first. Ten thousand similar lines would otherwise be re-measured at every day tried for a
 * plan that uses three of them.
 */
function shortlistOf(scan: CapScan, ranked: RankedLines, floor: number, above: (slot: number, cap: number) => boolean, k: number): number[] {
  const n = SHORTLIST_PER_SPLIT * k;
  const largestAbove = scan.topLines(2 * n + 1, above, floor).map((i) => scan.slots[i] ?? 0);
  if (largestAbove.length <= 2 * n) return largestAbove;
  const best = ranked(n, floor, (slot) => above(slot, scan.capOfSlot(slot)));
  return [...new Set([...best, ...largestAbove.slice(0, n)])];
}

export function rankOf(ctx: PlanContext, slot: number): number {
  return staticScore(ctx.t.rate[slot] ?? 0, ctx.minRate, ctx.t.record[slot] ?? 0, ctx.t.load[slot] ?? 0);
}

/** Keeps `best` the n best-ranked slots seen, best first; ties go to the smaller lineId. */
export function insertRanked(ctx: PlanContext, best: number[], rank: number[], n: number, slot: number): void {
  const r = rankOf(ctx, slot);
  const before = (i: number): boolean => ranksBefore(ctx, r, slot, rank[i] ?? 0, best[i] ?? 0);
  if (best.length === n && !before(n - 1)) return;
  let at = Math.min(best.length, n - 1);
  for (; at > 0 && before(at - 1); at--) {
    best[at] = best[at - 1] ?? 0;
    rank[at] = rank[at - 1] ?? 0;
  }
  best[at] = slot;
  rank[at] = r;
}

/** Whether `insertRanked` would keep the slot: a test that needs no more than the line's rank. */
export function entersRanked(ctx: PlanContext, best: readonly number[], rank: readonly number[], n: number, slot: number): boolean {
  return best.length < n || ranksBefore(ctx, rankOf(ctx, slot), slot, rank[n - 1] ?? 0, best[n - 1] ?? 0);
}

function ranksBefore(ctx: PlanContext, r: number, slot: number, other: number, otherSlot: number): boolean {
  const ids = ctx.t.lineId;
  return r > other || (r === other && (ids[slot] ?? '') < (ids[otherSlot] ?? ''));
}

const sumOf = (values: readonly number[], k: number): number => values.slice(0, k).reduce((s, v) => s + v, 0);

/** Sum of the k largest current caps, without sorting the pool. */
function topCapSum(lines: readonly SplitLine[], k: number): number {
  const top = new Array<number>(k).fill(0);
  for (const l of lines) {
    if (l.cap <= (top[k - 1] ?? 0)) continue;
    let i = k - 1;
    while (i > 0 && (top[i - 1] ?? 0) < l.cap) {
      top[i] = top[i - 1] ?? 0;
      i--;
    }
    top[i] = l.cap;
  }
  return top.reduce((s, c) => s + c, 0);
}

function capsUntil(ctx: PlanContext, lines: readonly SplitLine[], day: number): void {
  for (const l of lines) l.cap = maxQuantityWithin(windowUnits(ctx.t, l.slot, ctx.from, day), ctx.perItem, ctx.req.quantity);
}

function earliestFeasibleDay(ctx: PlanContext, lines: SplitLine[], k: number): number {
  let lo = ctx.from;
  let hi = ctx.to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    capsUntil(ctx, lines, mid);
    if (topCapSum(lines, k) >= ctx.req.quantity) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `lines` come best-ranked first. */
function greedySplit(ctx: PlanContext, lines: readonly SplitLine[], k: number, day: number): PlannedAllocation[] | null {
  capsUntil(ctx, lines, day);
  const usable = lines.filter((l) => l.cap >= l.lo);
  // Covering sums look at no more than the k best caps besides the lines already taken.
  return pickGreedy(ctx, usable, firstOf(usable, 2 * k + 1, byCapDesc), k, day);
}

function pickGreedy(
  ctx: PlanContext, ranked: readonly SplitLine[], byCap: readonly SplitLine[], k: number, day: number,
): PlannedAllocation[] | null {
  const picked: { line: SplitLine; quantity: number }[] = [];
  const taken = new Set<number>();
  let remaining = ctx.req.quantity;
  for (const line of ranked) {
    if (remaining === 0 || picked.length === k) break;
    const quantity = Math.min(line.cap, remaining);
    if (remaining - quantity > coverOf(byCap, k - picked.length - 1, taken, line.slot)) continue;
    picked.push({ line, quantity });
    taken.add(line.slot);
    remaining -= quantity;
  }
  if (remaining > 0 || !liftToMinimums(picked)) return null;
  return picked.map((p) => allocate(ctx, p.line.slot, p.quantity, day, picked.length));
}

function coverOf(byCap: readonly SplitLine[], slots: number, taken: ReadonlySet<number>, skip: number): number {
  let sum = 0;
  let used = 0;
  for (let i = 0; i < byCap.length && used < slots; i++) {
    const l = byCap[i];
    if (l === undefined || l.slot === skip || taken.has(l.slot)) continue;
    sum += l.cap;
    used++;
  }
  return sum;
}

/** Greedy filling can leave the last split under its minimum; move quantity from the others. */
function liftToMinimums(picked: { line: SplitLine; quantity: number }[]): boolean {
  for (const p of picked) {
    let need = p.line.lo - p.quantity;
    for (let i = picked.length - 1; i >= 0 && need > 0; i--) {
      const donor = picked[i];
      if (donor === undefined || donor === p) continue;
      const give = Math.min(need, donor.quantity - donor.line.lo);
      if (give <= 0) continue;
      donor.quantity -= give;
      p.quantity += give;
      need -= give;
    }
    if (need > 0) return false;
  }
  return true;
}
