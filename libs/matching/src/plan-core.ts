import { CapScan, capOf, type LineFeed } from './cap-scan';
import { demandFor, unitsPerQuantity } from './capacity';
import {
  belowMinimum, insufficientCapacity, noCapableLine, priceAbove, ruledOutReasons, tooManySplits, windowOutsideHorizon, type RuledOut,
} from './explain';
import type { LineTable } from './line-table';
import { allocate, planned, type PlanContext } from './plan-context';
import { planSplit, type RankedLines } from './split-search';
import { WholeSearch } from './whole-search';
import type { PlanRequest, PlanResult, PriceCeiling, UnmatchedReason } from './types';

/**
 * Where a plan's lines come from. `planOrder` walks a list; `MarketIndex` walks capability
 * buckets best-first and stops early. Both feed the same algorithm, so they plan alike.
 */
export interface CandidateSource {
  readonly table: LineTable;
  /** Whether any line passes the capacity-free rules, and the lowest positive rate among them (0 if none). */
  cheapest(): { readonly any: boolean; readonly minRate: number };
  /** Offers eligible lines to the search; may stop once no line left can beat its best. */
  searchWhole(search: WholeSearch): void;
  /** The best-ranked eligible lines passing a test (see `RankedLines`). */
  ranked(ctx: PlanContext): RankedLines;
  /** Eligible lines, those with the most room in the window first (see `LineFeed`). */
  feed(ctx: PlanContext): LineFeed;
  /**
   * Counts the eligible lines, and visits each that might take part of the order under its
   * minimum, max(minSplit, moq), with bounds on its free units per day: `peak` at least any
   * day's, `least` at most any day's that is not zero (Infinity or 0 when they cannot decide).
   * A line may go unvisited only if the order is at least its minimum and its least day alone
   * holds the minimum's demand.
   */
  eachEligible(ctx: PlanContext, minSplit: number, visit: (slot: number, peak: number, least: number) => void): number;
  /** Lines ruled out per rule; asked only when the order is unmatched. */
  ruledOut(): RuledOut;
}

/** Plans the order; with `explain` false a miss comes without reasons, for callers that only ask whether it fits. */
export function planFrom(source: CandidateSource, req: PlanRequest, explain = true): PlanResult {
  assertValidRequest(req);
  const ceiling = req.priceCeiling;
  if (ceiling === undefined) return planWithin(source, req, Infinity, explain);
  const maxRate = rateCeiling(req, ceiling.price);
  const capped = planWithin(source, req, maxRate, explain);
  // Splits round their demand up and prices to the fen, so a plan of lines at the rate ceiling
  // can still cost a little more: the ceiling is on the plan, the rate only keeps lines out.
  if (capped.ok && capped.totalPrice <= ceiling.price) return capped;
  const free = planWithin(source, req, Infinity, false);
  // Without the ceiling there is no plan either: price is not why it missed.
  if (!free.ok) return capped.ok || !explain ? UNEXPLAINED : capped;
  // The rate ceiling keeps out every line that would price the order above it alone, but a split
  // may mix a dear line into a cheap plan: the cheapest plan found under rising rate ceilings is
  // used if it is within the price, and otherwise is the closest miss.
  const cheapest = cheapestPlan(source, req, maxRate, free, capped);
  if (cheapest.totalPrice <= ceiling.price) return cheapest;
  return explain ? priceMiss(ceiling, cheapest.totalPrice, capped) : UNEXPLAINED;
}

/** The rate at which one line would price the whole request at `price`. */
function rateCeiling(req: PlanRequest, price: number): number {
  const demand = demandFor(req.quantity, unitsPerQuantity(req.order));
  return demand > 0 ? (price * divisorOf(req)) / demand : Infinity;
}

/** Rate ceilings tried for the cheapest plan, as multiples of the request's; fixed, so any source of the same lines finds the same. */
const CHEAPEST_STEPS = [1.05, 1.1, 1.25, 1.5, 2, 3, 5] as const;
type Planned = Extract<PlanResult, { ok: true }>;

/**
 * The cheapest of the unrestricted plan, the plan within the rate ceiling (if it planned, but
 * rounding put it above the price) and the first plan under rising rate ceilings: a plan
 * restricted to cheaper lines is never dearer in rate, usually in price. On the miss path only.
 */
function cheapestPlan(source: CandidateSource, req: PlanRequest, maxRate: number, free: Planned, capped: PlanResult): Planned {
  let best = capped.ok && capped.totalPrice < free.totalPrice ? capped : free;
  if (!capped.ok) {
    for (const step of CHEAPEST_STEPS) {
      const plan = planWithin(source, req, maxRate * step, false);
      if (!plan.ok) continue;
      if (plan.totalPrice < best.totalPrice) best = plan;
      break;
    }
  }
  return best;
}

function priceMiss(ceiling: PriceCeiling, cheapest: number, capped: PlanResult): PlanResult {
  const within = capped.ok ? { coveredFraction: 0, coveredQuantity: 0, linesConsidered: 0 } : capped.closestMiss;
  return { ok: false, reasons: [priceAbove(ceiling, cheapest)], closestMiss: { ...within, cheapestPrice: cheapest } };
}

function planWithin(source: CandidateSource, req: PlanRequest, maxRate: number, explain: boolean): PlanResult {
  const { any, minRate } = source.cheapest();
  if (!any) return explain ? unmatched([noCapableLine(req.order), ...lineReasons(req, source.ruledOut())], 0, 0, 0) : UNEXPLAINED;
  const ctx = contextOf(source.table, req, minRate, maxRate);
  if (ctx.from > ctx.to) {
    if (!explain) return UNEXPLAINED;
    const lines = source.eachEligible(ctx, 1, () => undefined);
    return unmatched([windowOutsideHorizon(req.startDay, req.endDay, ctx.t.horizon)], 0, 0, lines);
  }
  const search = new WholeSearch(ctx);
  source.searchWhole(search);
  // A single allocation outranks every split, however good.
  if (search.best >= 0) {
    const fair = search.fairChoice();
    if (fair === null) return planned([allocate(ctx, search.best, req.quantity, search.bestDay, 1)]);
    const fairness = {
      preferredOverLineId: ctx.t.lineId[search.best] ?? '', preferredOverFactoryId: ctx.t.factoryId[search.best] ?? '',
      bestScore: search.bestScore, chosenScore: fair.score,
    };
    return planned([{ ...allocate(ctx, fair.slot, req.quantity, fair.day, 1), fairness }]);
  }
  const scan = new CapScan(ctx, source.feed(ctx));
  return planSplit(ctx, scan, source.ranked(ctx)) ?? (explain ? explainMiss(ctx, scan, source) : UNEXPLAINED);
}

const UNEXPLAINED: PlanResult = unmatched([], 0, 0, 0);

function assertValidRequest(req: PlanRequest): void {
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw new RangeError(`quantity must be a positive integer, got ${req.quantity}`);
  if (!Number.isInteger(req.maxSplits) || req.maxSplits < 1) throw new RangeError(`maxSplits must be an integer >= 1, got ${req.maxSplits}`);
  if (!Number.isInteger(req.startDay) || !Number.isInteger(req.endDay)) throw new RangeError('startDay and endDay must be whole day indexes');
}

function contextOf(t: LineTable, req: PlanRequest, minRate: number, maxRate: number): PlanContext {
  const perItem = unitsPerQuantity(req.order);
  return {
    t, req, perItem, minRate, maxRate,
    demand: demandFor(req.quantity, perItem),
    from: Math.max(0, req.startDay),
    to: Math.min(req.endDay, t.horizon - 1),
    priceDivisor: divisorOf(req),
  };
}

/** Weaving rates are quoted per 1,000 picks. */
function divisorOf(req: PlanRequest): number {
  return req.order.kind === 'fabric' ? 1000 : 1;
}

function explainMiss(ctx: PlanContext, scan: CapScan, source: CandidateSource): PlanResult {
  const { req } = ctx;
  const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
  const { lines, belowMin } = countBelowMinimum(ctx, source, minSplit);
  const withinSplits = Math.min(req.quantity, scan.largest(req.maxSplits, () => true).reduce((s, c) => s + c, 0));
  const fraction = withinSplits / req.quantity;
  const reasons: UnmatchedReason[] = [];
  if (!scan.totalCovers(req.quantity)) reasons.push(insufficientCapacity(fraction, req.endDay));
  else if (withinSplits < req.quantity) reasons.push(tooManySplits(scan.linesCovering(req.quantity), req.maxSplits, req.order, req.quantity));
  if (belowMin > 0 || reasons.length === 0) reasons.push(belowMinimum(belowMin, minSplit, req.order));
  return unmatched([...reasons, ...lineReasons(req, source.ruledOut())], fraction, withinSplits, lines);
}

/**
 * Eligible lines, and those that could take part of the order but less than their minimum.
 * A line's free units in the window are 0 or at least its least non-zero day, and at most its
 * peak times the window's length: most lines are decided by those bounds without a read, and
 * the index does not even visit the lines its least days decide.
 */
function countBelowMinimum(ctx: PlanContext, source: CandidateSource, minSplit: number): { lines: number; belowMin: number } {
  const { t, perItem, req } = ctx;
  const windowDays = ctx.to - ctx.from + 1;
  const one = demandFor(1, perItem);
  let belowMin = 0;
  const lines = source.eachEligible(ctx, minSplit, (slot, peak, least) => {
    if (peak * windowDays < one) return;
    const lo = Math.max(minSplit, t.moq[slot] ?? 0);
    if (req.quantity >= lo && least >= demandFor(lo, perItem)) return;
    const cap = capOf(ctx, slot);
    if (cap > 0 && cap < lo) belowMin++;
  });
  return { lines, belowMin };
}

function lineReasons(req: PlanRequest, ruledOut: RuledOut): UnmatchedReason[] {
  return ruledOutReasons(ruledOut, req.order, req.certifications ?? []);
}

function unmatched(reasons: UnmatchedReason[], coveredFraction: number, coveredQuantity: number, linesConsidered: number): PlanResult {
  return { ok: false, reasons, closestMiss: { coveredFraction, coveredQuantity, linesConsidered } };
}
