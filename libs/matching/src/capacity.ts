import type { LineSpec, ProductSpec } from './types';

/** Weft picks per day (weaving), standard minutes per day (sewing) or meters per day (finishing), whole units. */
export function dailyCapacity(spec: LineSpec): number {
  switch (spec.kind) {
    case 'weaving':
      return Math.floor(spec.machines * spec.rpm * 60 * spec.hoursPerDay * spec.efficiency);
    case 'sewing':
      return Math.floor(spec.operators * spec.minutesPerDay * spec.efficiency);
    case 'finishing':
      return Math.floor(spec.metersPerDay);
  }
}

/** The least quantity one split allocation on the line may take: a sewing line's moq, a dye vat's minimum batch. */
export function lineMinimum(spec: LineSpec): number {
  switch (spec.kind) {
    case 'weaving':
      return 0;
    case 'sewing':
      return spec.moq;
    case 'finishing':
      return spec.minBatchM;
  }
}

/** Capacity units one meter (picks per meter; finishing: the meter itself) or one piece (standard minutes) consumes. */
export function unitsPerQuantity(order: ProductSpec): number {
  switch (order.kind) {
    case 'fabric':
      return order.fabric.picksPerCm * 100;
    case 'garment':
      return order.garment.samMinutes;
    case 'finishing':
      return 1;
  }
}

export function demandOf(order: ProductSpec, quantity: number): number {
  return demandFor(quantity, unitsPerQuantity(order));
}

export function demandFor(quantity: number, unitsPerItem: number): number {
  return Math.ceil(quantity * unitsPerItem);
}

/**
 * The largest whole quantity whose demand fits in `units`. Computed through `demandFor`
 * itself rather than a division so that float rounding can never let an allocation's
 * demand exceed the capacity it was sized against.
 */
export function maxQuantityWithin(units: number, unitsPerItem: number, cap: number): number {
  if (units <= 0 || unitsPerItem <= 0) return unitsPerItem <= 0 ? cap : 0;
  let q = Math.min(cap, Math.floor(units / unitsPerItem));
  while (q < cap && demandFor(q + 1, unitsPerItem) <= units) q++;
  while (q > 0 && demandFor(q, unitsPerItem) > units) q--;
  return q;
}
