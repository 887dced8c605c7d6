import type { LineSpec, OrderSpec } from './types';

/** Weft picks per day (weaving) or standard minutes per day (sewing), whole units. */
export function dailyCapacity(spec: LineSpec): number {
  switch (spec.kind) {
    case 'weaving':
      return Math.floor(spec.machines * spec.rpm * 60 * spec.hoursPerDay * spec.efficiency);
    case 'sewing':
      return Math.floor(spec.operators * spec.minutesPerDay * spec.efficiency);
  }
}

/** Capacity units one meter (picks per meter) or one piece (standard minutes) consumes. */
export function unitsPerQuantity(order: OrderSpec): number {
  switch (order.kind) {
    case 'fabric':
      return order.fabric.picksPerCm * 100;
    case 'garment':
      return order.garment.samMinutes;
  }
}

export function demandOf(order: OrderSpec, quantity: number): number {
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
