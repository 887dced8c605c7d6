import type { StagePlanner } from '../chain';
import type { CandidateLine, GarmentCategory, PlanRequest, PlanResult } from '../types';
import { type Calibration, calibratedSam } from './calibration';

/**
 * A factory's calibration for the garment category being planned, by factory id (absent: the
 * estimate as it is, efficiency 1). Made from the factory's reported output (`calibrate`).
 */
export type FactoryCalibrations = ReadonlyMap<string, Calibration>;

/** A stage planner that can also list the lines able to make a product (a `MarketIndex`, or a list). */
export interface CandidatePlanner extends StagePlanner {
  candidatesFor(order: PlanRequest['order']): readonly Pick<CandidateLine, 'lineId' | 'factoryId'>[];
}

/**
 * Sewing planned at each factory's own standard minutes (DESIGN.md §8: "use the calibrated figure
 * when that factory's lines are planned"): a factory that sews this category slower than the
 * estimate needs more of its line's minutes per piece, a faster one fewer. The planner prices and
 * sizes an allocation with one minutes-per-piece figure, so the capable lines are grouped by their
 * factory's calibrated figure and each group is planned at its own figure with the other groups'
 * lines left out; the plan that completes first (then the cheaper) is taken. With no calibration
 * in play it is the planner itself, unchanged. Pure, like the planner: calibrations come in as data.
 *
 * A plan does not mix factories of different figures in one split; a group whose lines alone cannot
 * make the stage gives way to one that can.
 */
export function calibratedSewing(planner: CandidatePlanner, calibrations: FactoryCalibrations): StagePlanner {
  const groups = (request: PlanRequest): PlanRequest[] | null => {
    const { order } = request;
    if (order.kind !== 'garment' || calibrations.size === 0) return null;
    const lines = planner.candidatesFor(order);
    const bySam = new Map<number, string[]>();
    for (const l of lines) {
      const calibration = calibrations.get(l.factoryId);
      const sam = calibration === undefined ? order.garment.samMinutes : calibratedSam(order.garment.samMinutes, calibration);
      const ids = bySam.get(sam) ?? [];
      ids.push(l.lineId);
      bySam.set(sam, ids);
    }
    if (bySam.size <= 1 && bySam.has(order.garment.samMinutes)) return null;
    const excluded = request.excludedLineIds ?? [];
    return [...bySam].map(([sam, ids]) => ({
      ...request,
      order: { kind: 'garment', garment: { ...order.garment, samMinutes: sam } },
      excludedLineIds: [...excluded, ...lines.filter((l) => !ids.includes(l.lineId)).map((l) => l.lineId)],
    }));
  };
  return {
    plan(request: PlanRequest): PlanResult {
      const asked = groups(request);
      if (asked === null) return planner.plan(request);
      const results = asked.map((r) => planner.plan(r));
      const ok = results.filter((r): r is Extract<PlanResult, { ok: true }> => r.ok);
      if (ok.length > 0) return ok.reduce((best, r) => (r.completionDay < best.completionDay || (r.completionDay === best.completionDay && r.totalPrice < best.totalPrice) ? r : best));
      const misses = results as Extract<PlanResult, { ok: false }>[];
      return misses.reduce((best, r) => (r.closestMiss.coveredFraction > best.closestMiss.coveredFraction ? r : best));
    },
    fits(request: PlanRequest): boolean {
      const asked = groups(request);
      return asked === null ? planner.fits(request) : asked.some((r) => planner.fits(r));
    },
  };
}

/**
 * Stages of styles of several garment categories planned with one planner (a batch of chains):
 * a sewing stage at its category's calibrations (`calibratedSewing`), as if its style were
 * planned alone; any other stage, or a category without calibrations, by the planner itself.
 */
export function calibratedSewingByCategory(planner: CandidatePlanner, calibrations: ReadonlyMap<GarmentCategory, FactoryCalibrations>): StagePlanner {
  const byCategory = new Map([...calibrations].map(([category, factories]) => [category, calibratedSewing(planner, factories)]));
  const of = ({ order }: PlanRequest): StagePlanner => (order.kind === 'garment' ? byCategory.get(order.garment.category) : undefined) ?? planner;
  return {
    plan: (request) => of(request).plan(request),
    fits: (request) => of(request).fits(request),
  };
}
