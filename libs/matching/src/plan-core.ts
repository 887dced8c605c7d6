import { demandFor, maxQuantityWithin, unitsPerQuantity } from './capacity';
import {
  belowMinimum, insufficientCapacity, noCapableLine, ruledOutReasons, tooManySplits, windowOutsideHorizon, type RuledOut,
} from './explain';
import { layoutEarliest } from './layout';
import { dayCovering, windowUnits, type LineTable } from './line-table';
import { SCORE_WEIGHTS, scoreParts, staticScore, weightedScore } from './scoring';
import type { PlanRequest, PlanResult, PlannedAllocation, UnmatchedReason } from './types';

/**
 * The one planning algorithm behind both `planOrder` and `MarketIndex.plan`: it sees only lines
 * that already pass every rule that does not depend on capacity (`eligible`), so the two
 * entry points differ only in how they find those lines.
 */
export function planOnTable(
  t: LineTable, eligible: Int32Array, count: number, req: PlanRequest, ruledOut: () => RuledOut,
): PlanResult {
  assertValidRequest(req);
  const ctx = contextOf(t, eligible, count, req);
  if (count === 0) return unmatched([noCapableLine(req.order), ...lineReasons(req, ruledOut)], 0, 0, 0);
  if (ctx.from > ctx.to) {
    return unmatched([windowOutsideHorizon(req.startDay, req.endDay, t.horizon)], 0, 0, count);
  }
  return planWhole(ctx) ?? planSplit(ctx) ?? explainMiss(ctx, ruledOut);
}

interface Ctx {
  readonly t: LineTable;
  readonly eligible: Int32Array;
  readonly count: number;
  readonly req: PlanRequest;
  readonly perItem: number;
  readonly demand: number;
  readonly from: number;
  readonly to: number;
  readonly minRate: number;
  readonly priceDivisor: number;
}

function assertValidRequest(req: PlanRequest): void {
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw new RangeError(`quantity must be a positive integer, got ${req.quantity}`);
  if (!Number.isInteger(req.maxSplits) || req.maxSplits < 1) throw new RangeError(`maxSplits must be an integer >= 1, got ${req.maxSplits}`);
  if (!Number.isInteger(req.startDay) || !Number.isInteger(req.endDay)) throw new RangeError('startDay and endDay must be whole day indexes');
}

function contextOf(t: LineTable, eligible: Int32Array, count: number, req: PlanRequest): Ctx {
  let minRate = Infinity;
  for (let i = 0; i < count; i++) {
    const r = t.rate[eligible[i] ?? 0] ?? Infinity;
    if (r > 0 && r < minRate) minRate = r;
  }
  const perItem = unitsPerQuantity(req.order);
  return {
    t, eligible, count, req, perItem,
    demand: demandFor(req.quantity, perItem),
    from: Math.max(0, req.startDay),
    to: Math.min(req.endDay, t.horizon - 1),
    minRate: Number.isFinite(minRate) ? minRate : 0,
    // Weaving rates are quoted per 1,000 picks.
    priceDivisor: req.order.kind === 'fabric' ? 1000 : 1,
  };
}

const before = (a: string, b: string): boolean => a < b;

/** The best line that takes the whole order: a single allocation outranks every split. */
function planWhole(ctx: Ctx): PlanResult | null {
  const { t, eligible, count, from, to, demand, req, minRate } = ctx;
  const span = Math.max(1, req.endDay - req.startDay);
  let best = -1;
  let bestScore = -Infinity;
  let bestDay = 0;
  for (let i = 0; i < count; i++) {
    const slot = eligible[i] ?? 0;
    if (windowUnits(t, slot, from, to) < demand) continue;
    const done = dayCovering(t, slot, from, to, demand);
    const slack = Math.min(1, Math.max(0, (req.endDay - done) / span));
    const score = SCORE_WEIGHTS.slack * slack + staticScore(t.rate[slot] ?? 0, minRate, t.record[slot] ?? 0, t.load[slot] ?? 0);
    if (score > bestScore || (score === bestScore && before(t.lineId[slot] ?? '', t.lineId[best] ?? ''))) {
      best = slot;
      bestScore = score;
      bestDay = done;
    }
  }
  if (best < 0) return null;
  return planned([allocate(ctx, best, req.quantity, bestDay, 1)]);
}

function allocate(ctx: Ctx, slot: number, quantity: number, until: number, allocations: number): PlannedAllocation {
  const { t, req } = ctx;
  const demand = demandFor(quantity, ctx.perItem);
  const days = layoutEarliest(t, slot, ctx.from, until, demand);
  const startDay = days[0]?.day ?? ctx.from;
  const endDay = days[days.length - 1]?.day ?? ctx.from;
  const rate = t.rate[slot] ?? 0;
  const parts = scoreParts({
    allocations, startDay: req.startDay, endDay: req.endDay, completionDay: endDay,
    rate, minRate: ctx.minRate, record: t.record[slot] ?? 0, load: t.load[slot] ?? 0,
  });
  return {
    lineId: t.lineId[slot] ?? '',
    factoryId: t.factoryId[slot] ?? '',
    quantity, demand, days, startDay, endDay,
    price: Math.round((demand * rate * 100) / ctx.priceDivisor) / 100,
    score: weightedScore(parts),
    scoreParts: parts,
  };
}

function planned(allocations: readonly PlannedAllocation[]): PlanResult {
  let totalDemand = 0;
  let totalPrice = 0;
  let completionDay = 0;
  for (const a of allocations) {
    totalDemand += a.demand;
    totalPrice += a.price;
    if (a.endDay > completionDay) completionDay = a.endDay;
  }
  return { ok: true, allocations, totalDemand, totalPrice: Math.round(totalPrice * 100) / 100, completionDay };
}

interface SplitLine {
  readonly slot: number;
  readonly id: string;
  /** Smallest quantity this line may take as one of several allocations. */
  readonly lo: number;
  readonly rank: number;
  cap: number;
}

const byCapDesc = (a: SplitLine, b: SplitLine): number => b.cap - a.cap || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byRankDesc = (a: SplitLine, b: SplitLine): number => b.rank - a.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function splitPool(ctx: Ctx): SplitLine[] {
  const { t, eligible, count, req, from, to, perItem } = ctx;
  const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
  const pool: SplitLine[] = [];
  for (let i = 0; i < count; i++) {
    const slot = eligible[i] ?? 0;
    const cap = maxQuantityWithin(windowUnits(t, slot, from, to), perItem, req.quantity);
    const lo = Math.max(minSplit, t.moq[slot] ?? 0);
    if (cap < lo) continue;
    const rank = staticScore(t.rate[slot] ?? 0, ctx.minRate, t.record[slot] ?? 0, t.load[slot] ?? 0);
    pool.push({ slot, id: t.lineId[slot] ?? '', lo, rank, cap });
  }
  return pool;
}

function topSum(sorted: readonly SplitLine[], k: number): number {
  let sum = 0;
  for (let i = 0; i < k && i < sorted.length; i++) sum += sorted[i]?.cap ?? 0;
  return sum;
}

function capsUntil(ctx: Ctx, pool: readonly SplitLine[], day: number): void {
  for (const line of pool) line.cap = maxQuantityWithin(windowUnits(ctx.t, line.slot, ctx.from, day), ctx.perItem, ctx.req.quantity);
}

/**
 * The fewest lines that cover the order, then the plan with the best quantity-weighted score
 * among a few completion days: the earliest feasible one (most slack), the due date (widest
 * choice of cheap lines) and the day between them.
 */
function planSplit(ctx: Ctx): PlanResult | null {
  const { req, to } = ctx;
  if (req.maxSplits < 2) return null;
  const pool = splitPool(ctx);
  pool.sort(byCapDesc);
  for (let k = 2; k <= req.maxSplits; k++) {
    if (topSum(pool, k) < req.quantity) continue;
    const earliest = earliestFeasibleDay(ctx, pool, k);
    const days = [...new Set([earliest, Math.floor((earliest + to) / 2), to])];
    let best: { score: number; allocations: PlannedAllocation[] } | null = null;
    for (const day of days) {
      const allocations = greedySplit(ctx, pool, k, day);
      if (allocations === null) continue;
      const score = allocations.reduce((s, a) => s + (a.quantity / req.quantity) * a.score, 0);
      if (best === null || score > best.score) best = { score, allocations };
    }
    if (best !== null) return planned(best.allocations);
  }
  return null;
}

function earliestFeasibleDay(ctx: Ctx, pool: SplitLine[], k: number): number {
  let lo = ctx.from;
  let hi = ctx.to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    capsUntil(ctx, pool, mid);
    pool.sort(byCapDesc);
    if (topSum(pool, k) >= ctx.req.quantity) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function greedySplit(ctx: Ctx, pool: SplitLine[], k: number, day: number): PlannedAllocation[] | null {
  const { req } = ctx;
  capsUntil(ctx, pool, day);
  const usable = pool.filter((l) => l.cap >= l.lo);
  const byCap = [...usable].sort(byCapDesc);
  const ranked = usable.sort(byRankDesc);
  const picked: { line: SplitLine; quantity: number }[] = [];
  const taken = new Set<number>();
  let remaining = req.quantity;
  for (const line of ranked) {
    if (remaining === 0 || picked.length === k) break;
    const quantity = Math.min(line.cap, remaining);
    const slotsLeft = k - picked.length - 1;
    if (remaining - quantity > coverOf(byCap, slotsLeft, taken, line.slot)) continue;
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

function explainMiss(ctx: Ctx, ruledOut: () => RuledOut): PlanResult {
  const { t, eligible, count, req, from, to, perItem } = ctx;
  const caps: number[] = [];
  let belowMin = 0;
  const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
  for (let i = 0; i < count; i++) {
    const slot = eligible[i] ?? 0;
    const cap = maxQuantityWithin(windowUnits(t, slot, from, to), perItem, req.quantity);
    if (cap > 0) caps.push(cap);
    if (cap > 0 && cap < Math.max(minSplit, t.moq[slot] ?? 0)) belowMin++;
  }
  caps.sort((a, b) => b - a);
  let covered = 0;
  let needed = 0;
  for (const cap of caps) {
    if (covered >= req.quantity) break;
    covered += cap;
    needed++;
  }
  const withinSplits = Math.min(req.quantity, caps.slice(0, req.maxSplits).reduce((s, c) => s + c, 0));
  const fraction = withinSplits / req.quantity;
  const reasons: UnmatchedReason[] = [];
  if (covered < req.quantity) reasons.push(insufficientCapacity(fraction, req.endDay));
  else if (needed > req.maxSplits) reasons.push(tooManySplits(needed, req.maxSplits, req.order, req.quantity));
  if (belowMin > 0 || reasons.length === 0) reasons.push(belowMinimum(belowMin, minSplit, req.order));
  return unmatched([...reasons, ...lineReasons(req, ruledOut)], fraction, withinSplits, count);
}

function lineReasons(req: PlanRequest, ruledOut: () => RuledOut): UnmatchedReason[] {
  return ruledOutReasons(ruledOut(), req.order, req.certifications ?? []);
}

function unmatched(reasons: UnmatchedReason[], coveredFraction: number, coveredQuantity: number, linesConsidered: number): PlanResult {
  return { ok: false, reasons, closestMiss: { coveredFraction, coveredQuantity, linesConsidered } };
}
