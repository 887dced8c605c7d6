import { demandFor, maxQuantityWithin, unitsPerQuantity } from './capacity';
import {
  belowMinimum, insufficientCapacity, noCapableLine, ruledOutReasons, tooManySplits, windowOutsideHorizon, type RuledOut,
} from './explain';
import { windowUnits, type LineTable } from './line-table';
import { allocate, planned, type PlanContext } from './plan-context';
import { planSplit } from './split-search';
import { largest } from './top-k';
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
  /** Every eligible line, for splitting and for explaining a miss. */
  eligible(): Int32Array;
  /** Lines ruled out per rule; asked only when the order is unmatched. */
  ruledOut(): RuledOut;
}

export function planFrom(source: CandidateSource, req: PlanRequest): PlanResult {
  assertValidRequest(req);
  const { any, minRate } = source.cheapest();
  if (!any) return unmatched([noCapableLine(req.order), ...lineReasons(req, source.ruledOut())], 0, 0, 0);
  const ctx = contextOf(source.table, req, minRate);
  if (ctx.from > ctx.to) {
    return unmatched([windowOutsideHorizon(req.startDay, req.endDay, ctx.t.horizon)], 0, 0, source.eligible().length);
  }
  const search = new WholeSearch(ctx);
  source.searchWhole(search);
  // A single allocation outranks every split, however good.
  if (search.best >= 0) return planned([allocate(ctx, search.best, req.quantity, search.bestDay, 1)]);
  const eligible = source.eligible();
  const capsAtEnd = capsByDueDate(ctx, eligible);
  return planSplit(ctx, eligible, capsAtEnd) ?? explainMiss(ctx, eligible, capsAtEnd, source.ruledOut());
}

/** The most each eligible line could take of the order by the due date. */
function capsByDueDate(ctx: PlanContext, eligible: Int32Array): Float64Array {
  const caps = new Float64Array(eligible.length);
  for (let i = 0; i < eligible.length; i++) {
    caps[i] = maxQuantityWithin(windowUnits(ctx.t, eligible[i] ?? 0, ctx.from, ctx.to), ctx.perItem, ctx.req.quantity);
  }
  return caps;
}

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

function explainMiss(ctx: PlanContext, eligible: Int32Array, capsAtEnd: Float64Array, ruledOut: RuledOut): PlanResult {
  const { t, req } = ctx;
  let belowMin = 0;
  const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
  for (let i = 0; i < eligible.length; i++) {
    const cap = capsAtEnd[i] ?? 0;
    if (cap > 0 && cap < Math.max(minSplit, t.moq[eligible[i] ?? 0] ?? 0)) belowMin++;
  }
  let total = 0;
  for (const cap of capsAtEnd) total += cap;
  const withinSplits = Math.min(req.quantity, largest(capsAtEnd, req.maxSplits).reduce((s, c) => s + c, 0));
  const fraction = withinSplits / req.quantity;
  const reasons: UnmatchedReason[] = [];
  if (total < req.quantity) reasons.push(insufficientCapacity(fraction, req.endDay));
  else if (withinSplits < req.quantity) reasons.push(tooManySplits(linesNeeded(capsAtEnd, req.quantity), req.maxSplits, req.order, req.quantity));
  if (belowMin > 0 || reasons.length === 0) reasons.push(belowMinimum(belowMin, minSplit, req.order));
  return unmatched([...reasons, ...lineReasons(req, ruledOut)], fraction, withinSplits, eligible.length);
}

/** How many of the largest lines it takes to cover the quantity (they do, or this is not asked). */
function linesNeeded(caps: Float64Array, quantity: number): number {
  // Usually a handful: select a few of the largest first, sort every line only if that is short.
  for (const n of [8, 64, caps.length]) {
    const top = n < caps.length ? largest(caps, n) : Float64Array.from(caps).sort().reverse();
    let covered = 0;
    for (const [i, cap] of top.entries()) {
      covered += cap;
      if (covered >= quantity) return i + 1;
    }
  }
  return caps.length;
}

function lineReasons(req: PlanRequest, ruledOut: RuledOut): UnmatchedReason[] {
  return ruledOutReasons(ruledOut, req.order, req.certifications ?? []);
}

function unmatched(reasons: UnmatchedReason[], coveredFraction: number, coveredQuantity: number, linesConsidered: number): PlanResult {
  return { ok: false, reasons, closestMiss: { coveredFraction, coveredQuantity, linesConsidered } };
}
