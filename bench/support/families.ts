import { dailyCapacity, SeedRng, unitsPerQuantity, type CandidateLine, type PlanRequest } from '@cloudloom/matching';
import type { Instance, InstanceSpec } from './instances';
import { productFor } from './instances';
import { buildMarket, type MarketShape } from './market';

/**
 * Instance families for the quality bench, each a market shape and an order mix the batch
 * planner was not tuned on: many tiny mills or a few big ones, short windows, wide fabrics,
 * certification-limited orders, garments with binding minimums, shared holidays, heavier
 * scarcity. `buildFamily(family, seed)` is seeded: the same family and seed give the same
 * market and batch, so the bench compares like with like across runs and machines.
 */
export interface Family {
  readonly name: string;
  readonly market: Omit<MarketShape, 'horizon'>;
  readonly horizon: number;
  readonly orders: number;
  /** Order quantity against the drawn line's capacity over the window (above 1: more than one line). */
  readonly pressure: number;
  /** Days of an order's window, inclusive, drawn from this range. */
  readonly window: readonly [number, number];
  /** Share of orders drawn from sewing lines (garments). */
  readonly garmentShare: number;
  /** Share of orders that require a certification their drawn line's factory holds. */
  readonly certShare: number;
  /** Only lines at least this wide make fabric orders, woven at the line's full width. */
  readonly minWidthCm?: number;
  /** minSplitQuantity as a share of the order (fabric); sewing lines' moq comes from the market. */
  readonly minSplitShare: number;
  /** Days every line is closed (a shared holiday), e.g. the Mid-Autumn break. */
  readonly holidays: readonly number[];
}

const BASE = { loomsPerLine: [20, 60] as const, freeShare: [0.2, 1] as const, closedDay: 0.15 };

export const FAMILIES: readonly Family[] = [
  { name: 'tiny-mills', market: { ...BASE, factories: 30, looms: 600, loomsPerLine: [2, 8], sewingFactories: 4 }, horizon: 14, orders: 30, pressure: 1.4, window: [3, 10], garmentShare: 0.2, certShare: 0.1, minSplitShare: 0.1, holidays: [] },
  { name: 'few-big', market: { ...BASE, factories: 3, looms: 1200, loomsPerLine: [80, 160], sewingFactories: 2 }, horizon: 14, orders: 30, pressure: 1.4, window: [3, 10], garmentShare: 0.2, certShare: 0.1, minSplitShare: 0.1, holidays: [] },
  { name: 'short-windows', market: { ...BASE, factories: 8, looms: 1000, sewingFactories: 4 }, horizon: 10, orders: 30, pressure: 1.4, window: [1, 3], garmentShare: 0.3, certShare: 0.1, minSplitShare: 0.1, holidays: [] },
  { name: 'wide', market: { ...BASE, factories: 10, looms: 1400, sewingFactories: 0 }, horizon: 14, orders: 30, pressure: 1.4, window: [3, 10], garmentShare: 0, certShare: 0.1, minWidthCm: 230, minSplitShare: 0.1, holidays: [] },
  { name: 'certified', market: { ...BASE, factories: 10, looms: 1200, sewingFactories: 4 }, horizon: 14, orders: 30, pressure: 1.4, window: [3, 10], garmentShare: 0.2, certShare: 0.8, minSplitShare: 0.1, holidays: [] },
  { name: 'garment-moq', market: { ...BASE, factories: 2, looms: 200, sewingFactories: 10 }, horizon: 14, orders: 30, pressure: 1.4, window: [3, 10], garmentShare: 0.9, certShare: 0, minSplitShare: 0.3, holidays: [] },
  { name: 'holidays', market: { ...BASE, factories: 8, looms: 1000, sewingFactories: 4, closedDay: 0.25 }, horizon: 16, orders: 30, pressure: 1.4, window: [4, 12], garmentShare: 0.3, certShare: 0.1, minSplitShare: 0.1, holidays: [5, 6, 7] },
  { name: 'very-scarce', market: { ...BASE, factories: 8, looms: 1000, sewingFactories: 4 }, horizon: 14, orders: 30, pressure: 2.4, window: [3, 10], garmentShare: 0.3, certShare: 0.1, minSplitShare: 0.1, holidays: [] },
];

export function buildFamily(family: Family, seed: number): Instance {
  const built = buildMarket({ ...family.market, horizon: family.horizon }, seed);
  const holidays = new Set(family.holidays);
  const lines: CandidateLine[] = holidays.size === 0 ? built : built.map((line) => closedOn(line, holidays));
  const rng = new SeedRng(seed * 104_729 + 17);
  const sewing = lines.filter((l) => l.spec.kind === 'sewing');
  const weaving = lines.filter((l) => l.spec.kind === 'weaving' && (family.minWidthCm === undefined || l.spec.maxWidthCm >= family.minWidthCm));
  const orders = Array.from({ length: family.orders }, () => {
    const garment = sewing.length > 0 && (weaving.length === 0 || rng.chance(family.garmentShare));
    return orderFor(rng, rng.pick(garment ? sewing : weaving), family);
  });
  const spec: InstanceSpec = {
    name: `${family.name}#${seed}`, factories: family.market.factories, looms: family.market.looms,
    sewingFactories: family.market.sewingFactories, horizon: family.horizon, orders: family.orders, pressure: family.pressure, seed,
  };
  return { spec, lines, orders };
}

function closedOn(line: CandidateLine, days: ReadonlySet<number>): CandidateLine {
  const free = Array.from(line.free, (units, day) => (days.has(day) ? 0 : units));
  return { ...line, free };
}

function orderFor(rng: SeedRng, line: CandidateLine, family: Family): PlanRequest {
  const length = rng.int(family.window[0], family.window[1]);
  const startDay = rng.int(0, Math.max(0, family.horizon - length));
  const endDay = Math.min(family.horizon - 1, startDay + length - 1);
  const drawn = productFor(rng, line);
  const order = drawn.kind === 'fabric' && family.minWidthCm !== undefined && line.spec.kind === 'weaving'
    ? { kind: 'fabric' as const, fabric: { ...drawn.fabric, widthCm: line.spec.maxWidthCm } }
    : drawn;
  const windowUnits = dailyCapacity(line.spec) * 0.6 * (endDay - startDay + 1);
  const quantity = Math.max(1, Math.round((rng.range(0.2, 1.2) * family.pressure * windowUnits) / unitsPerQuantity(order)));
  const certification = rng.chance(family.certShare) ? line.certifications[0] : undefined;
  return {
    order, quantity, startDay, endDay,
    maxSplits: order.kind === 'fabric' ? 3 : 2,
    ...(order.kind === 'fabric' ? { minSplitQuantity: Math.max(1, Math.ceil(quantity * family.minSplitShare)) } : {}),
    ...(certification === undefined ? {} : { certifications: [certification] }),
  };
}
