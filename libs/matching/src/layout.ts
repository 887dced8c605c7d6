import { freeOn, type LineTable } from './line-table';
import type { DayReservation } from './types';

/**
 * Lays `demand` units on the line's earliest free days from `from`. Earliest-first makes each
 * allocation finish as soon as the line allows, which is what the slack preference rewards and
 * what leaves a line's later days whole for orders due later.
 */
export function layoutEarliest(t: LineTable, slot: number, from: number, to: number, demand: number): DayReservation[] {
  const days: DayReservation[] = [];
  let remaining = demand;
  for (let day = from; day <= to && remaining > 0; day++) {
    const free = freeOn(t, slot, day);
    if (free <= 0) continue;
    const units = free < remaining ? free : remaining;
    days.push({ day, units });
    remaining -= units;
  }
  return days;
}
