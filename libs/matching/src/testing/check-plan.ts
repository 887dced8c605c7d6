import { demandOf } from '../capacity';
import { lineMismatch } from '../capability';
import type { CandidateLine, PlanRequest, PlanResult } from '../types';

/**
 * Every hard rule of DESIGN.md §4 checked from the outside, returning the broken ones so a
 * failing property prints what went wrong rather than a bare `false`.
 */
export function hardRuleViolations(req: PlanRequest, lines: readonly CandidateLine[], result: PlanResult): string[] {
  if (!result.ok) return result.reasons.length > 0 ? [] : ['unmatched without a reason'];
  const errors: string[] = [];
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const excluded = new Set(req.excludedLineIds ?? []);
  const used = new Map<string, number>();
  let total = 0;
  const whole = result.allocations.length === 1;
  if (req.priceCeiling !== undefined && result.totalPrice > req.priceCeiling.price) errors.push(`price ${result.totalPrice} above the ceiling ${req.priceCeiling.price}`);
  if (result.allocations.length > req.maxSplits) errors.push(`${result.allocations.length} allocations > maxSplits ${req.maxSplits}`);
  for (const a of result.allocations) {
    const l = byId.get(a.lineId);
    if (l === undefined) { errors.push(`unknown line ${a.lineId}`); continue; }
    if (excluded.has(a.lineId)) errors.push(`excluded line ${a.lineId} used`);
    const miss = lineMismatch(l, req.order, req.certifications);
    if (miss !== null) errors.push(`line ${a.lineId} breaks ${miss}`);
    if (!Number.isInteger(a.quantity) || a.quantity <= 0) errors.push(`quantity ${a.quantity} not a positive integer`);
    if (!whole) {
      const moq = l.spec.kind === 'sewing' ? l.spec.moq : 0;
      if (a.quantity < Math.max(req.minSplitQuantity ?? 0, moq)) errors.push(`split of ${a.quantity} below minimum on ${a.lineId}`);
    }
    if (a.demand !== demandOf(req.order, a.quantity)) errors.push(`demand ${a.demand} != demandOf(${a.quantity})`);
    let units = 0;
    let last = -1;
    for (const d of a.days) {
      if (d.day <= last) errors.push(`days of ${a.lineId} not ascending`);
      last = d.day;
      if (d.day < req.startDay || d.day > req.endDay) errors.push(`day ${d.day} outside window`);
      if (d.units <= 0) errors.push(`non-positive units on day ${d.day}`);
      const key = `${a.lineId}@${d.day}`;
      const sum = (used.get(key) ?? 0) + d.units;
      used.set(key, sum);
      if (sum > (l.free[d.day] ?? 0)) errors.push(`line ${a.lineId} over-reserved on day ${d.day}: ${sum} > ${l.free[d.day] ?? 0}`);
      units += d.units;
    }
    if (units !== a.demand) errors.push(`days of ${a.lineId} hold ${units} units, demand ${a.demand}`);
    if (a.startDay !== a.days[0]?.day || a.endDay !== a.days[a.days.length - 1]?.day) errors.push(`start/end of ${a.lineId} disagree with days`);
    total += a.quantity;
  }
  if (total !== req.quantity) errors.push(`allocations sum to ${total}, order is ${req.quantity}`);
  return errors;
}
