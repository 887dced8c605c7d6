import { orderWidthCm } from './capability';
import type { PlanNote, PriceCeiling, ProductSpec, ReasonCode, UnmatchedReason } from './types';

/** How many candidate lines each line-level rule ruled out (first failing rule per line). */
export type RuledOut = ReadonlyMap<ReasonCode, number>;

/** Thousands separated by commas, as en-US writes them; by hand, since Intl formatting is slow on a hot path. */
function fmt(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Math.round(n) < 0 ? `-${grouped}` : grouped;
}
const pct = (x: number): string => `${Math.floor(x * 100)}%`;

export function quantityUnit(order: ProductSpec): string {
  return order.kind === 'garment' ? 'pieces' : 'm';
}

export function describeProduct(order: ProductSpec): string {
  if (order.kind === 'fabric') {
    const f = order.fabric;
    return `${f.fiber} ${f.weave} at ${fmt(f.widthCm)} cm wide`;
  }
  if (order.kind === 'finishing') return `${order.finishing.process} at ${fmt(order.finishing.widthCm)} cm wide`;
  return `${order.garment.fabricType} ${order.garment.category}`;
}

function lineRuleMessage(code: ReasonCode, order: ProductSpec, lines: number, certifications: readonly string[]): string {
  const n = `${fmt(lines)} line${lines === 1 ? '' : 's'}`;
  switch (code) {
    case 'FIBER_NOT_SUPPORTED':
      return order.kind === 'fabric' ? `${n} cannot weave ${order.fabric.fiber}` : `${n} cannot make it`;
    case 'WEAVE_NOT_SUPPORTED':
      return `${n} are not jacquard looms`;
    case 'WIDTH_EXCEEDS_MAX':
      return order.kind === 'garment' ? `${n} are too narrow` : `${n} are narrower than ${fmt(orderWidthCm(order))} cm`;
    case 'PROCESS_NOT_SUPPORTED':
      return order.kind === 'finishing' ? `${n} do not do ${order.finishing.process}` : `${n} cannot make it`;
    case 'CATEGORY_NOT_SUPPORTED':
      return order.kind === 'garment' ? `${n} do not sew ${order.garment.category}` : `${n} cannot make it`;
    case 'FABRIC_TYPE_NOT_SUPPORTED':
      return order.kind === 'garment' ? `${n} do not sew ${order.garment.fabricType} fabric` : `${n} cannot make it`;
    case 'CERTIFICATION_MISSING':
      return `${n} lack ${certifications.join(', ')}`;
    case 'FACTORY_NOT_VERIFIED':
      return `${n} belong to unverified or inactive factories`;
    case 'NO_CAPABLE_LINE':
    case 'BELOW_MOQ':
    case 'WINDOW_OUTSIDE_HORIZON':
    case 'INSUFFICIENT_CAPACITY_BEFORE_DUE':
    case 'TOO_MANY_SPLITS_NEEDED':
    case 'PRICE_ABOVE_TARGET':
    case 'PRICE_ABOVE_AGREED':
      return `${n} ruled out`;
  }
}

/** Line-level reasons, largest first then by code, so the same market explains itself the same way. */
export function ruledOutReasons(ruledOut: RuledOut, order: ProductSpec, certifications: readonly string[]): UnmatchedReason[] {
  return [...ruledOut.entries()]
    .filter(([code, lines]) => lines > 0 && code !== 'NO_CAPABLE_LINE')
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, lines]) => ({ code, lines, message: lineRuleMessage(code, order, lines, certifications) }));
}

export function noCapableLine(order: ProductSpec): UnmatchedReason {
  const verb = order.kind === 'fabric' ? 'weaves' : 'sews';
  return { code: 'NO_CAPABLE_LINE', lines: 0, message: `no line ${verb} ${describeProduct(order)}` };
}

export function windowOutsideHorizon(startDay: number, endDay: number, horizon: number): UnmatchedReason {
  return {
    code: 'WINDOW_OUTSIDE_HORIZON',
    lines: 0,
    message: `production window days ${startDay}-${endDay} has no day inside the ${horizon}-day capacity horizon`,
  };
}

export function insufficientCapacity(coveredFraction: number, endDay: number): UnmatchedReason {
  return {
    code: 'INSUFFICIENT_CAPACITY_BEFORE_DUE',
    lines: 0,
    message: `best plan covers ${pct(coveredFraction)} by the due date (day ${endDay})`,
  };
}

export function tooManySplits(needed: number, maxSplits: number, order: ProductSpec, quantity: number): UnmatchedReason {
  return {
    code: 'TOO_MANY_SPLITS_NEEDED',
    lines: 0,
    message: `${fmt(quantity)} ${quantityUnit(order)} needs ${needed} lines by the due date; the order allows ${maxSplits}`,
  };
}

export function belowMinimum(lines: number, minimum: number, order: ProductSpec): UnmatchedReason {
  const n = `${fmt(lines)} line${lines === 1 ? '' : 's'}`;
  return {
    code: 'BELOW_MOQ',
    lines,
    message: lines > 0
      ? `${n} could take part of the order only below their minimum quantity`
      : `any split would fall below the minimum of ${fmt(minimum)} ${quantityUnit(order)} per allocation`,
  };
}

/** Every plan the market holds costs more than the order may: the cheapest found is the closest miss. */
export function priceAbove(ceiling: PriceCeiling, cheapest: number): UnmatchedReason {
  const what = ceiling.source === 'target' ? 'target price' : 'agreed price';
  return {
    code: ceiling.source === 'target' ? 'PRICE_ABOVE_TARGET' : 'PRICE_ABOVE_AGREED',
    lines: 0,
    message: `the cheapest plan found costs CNY ${fmt(cheapest)}, above the ${what} of CNY ${fmt(ceiling.price)}`,
  };
}

/**
 * A matched order that the batch moved off the plan it would get alone (ADR 0002): later days
 * inside its window, other lines or more splits, so that more of the batch could be matched.
 */
export function yieldedToBatch(what: { readonly later?: { readonly from: number; readonly to: number }; readonly splits?: { readonly from: number; readonly to: number }; readonly otherLines?: boolean }, endDay: number): PlanNote {
  const parts: string[] = [];
  if (what.later !== undefined) parts.push(`completes on day ${what.later.to} instead of day ${what.later.from}`);
  if (what.splits !== undefined) parts.push(`is split across ${what.splits.to} lines instead of ${what.splits.from}`);
  if (what.otherLines === true && what.splits === undefined) parts.push('uses other lines than its best plan alone');
  return {
    code: 'PREFERENCE_YIELDED_TO_BATCH',
    message: `${parts.join(' and ')} so that more orders of the same batch could be matched; still within its window (due day ${endDay})`,
  };
}
