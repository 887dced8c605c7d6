import { demandFor } from './capacity';
import { layoutEarliest } from './layout';
import type { LineTable } from './line-table';
import { scoreParts, weightedScore } from './scoring';
import type { PlanRequest, PlanResult, PlannedAllocation } from './types';

/** What every step of one plan shares: the order in capacity units and the clipped window. */
export interface PlanContext {
  readonly t: LineTable;
  readonly req: PlanRequest;
  readonly perItem: number;
  readonly demand: number;
  /** The request's window clipped to the horizon. */
  readonly from: number;
  readonly to: number;
  readonly minRate: number;
  readonly priceDivisor: number;
  /** Lines above this rate are not used (a price ceiling); Infinity without one. */
  readonly maxRate: number;
}

export function allocate(ctx: PlanContext, slot: number, quantity: number, until: number, allocations: number): PlannedAllocation {
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

export function planned(allocations: readonly PlannedAllocation[]): PlanResult {
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
