import { CapScan, capOf, type LineFeed } from './cap-scan';
import { demandFor, unitsPerQuantity } from './capacity';
import {
  belowMinimum, insufficientCapacity, noCapableLine, ruledOutReasons, tooManySplits, windowOutsideHorizon, type RuledOut,
} from './explain';
import type { LineTable } from './line-table';
import { allocate, planned, type PlanContext } from './plan-context';
import { planSplit, type RankedLines } from './split-search';
import { WholeSearch } from './whole-search';
import type { PlanRequest, PlanResult, UnmatchedReason } from './types';

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
  const { any, minRate } = source.cheapest();
  if (!any) return explain ? unmatched([noCapableLine(req.order), ...lineReasons(req, source.ruledOut())], 0, 0, 0) : UNEXPLAINED;
  const ctx = contextOf(source.table, req, minRate);
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

function contextOf(t: LineTable, req: PlanRequest, minRate: number): PlanContext {
  const perItem = unitsPerQuantity(req.order);
  return {
    t, req, perItem, minRate,
    demand: demandFor(req.quantity, perItem),
    from: Math.max(0, req.startDay),
    to: Math.min(req.endDay, t.horizon - 1),
    // Weaving rates are quoted per 1,000 picks.
    priceDivisor: req.order.kind === 'fabric' ? 1000 : 1,
  };
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
