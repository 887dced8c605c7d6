import {
  dailyCapacity, lineFibers, SeedRng, unitsPerQuantity, type CandidateLine, type ProductSpec, type PlanRequest,
} from '@cloudloom/matching';
import { buildMarket } from './market';

/**
 * Small seeded batches for the quality bench: a market and orders cut to fit it. Each order is
 * drawn from a real line of the market (so some line can make it) and sized against that line's
 * capacity over the order's window, times `pressure`: under 1 most orders fit one line, above 1
 * most need splits and the batch outgrows the market.
 */
export interface InstanceSpec {
  readonly name: string;
  readonly factories: number;
  readonly looms: number;
  readonly sewingFactories: number;
  readonly horizon: number;
  readonly orders: number;
  readonly pressure: number;
  readonly seed: number;
}

export interface Instance {
  readonly spec: InstanceSpec;
  readonly lines: readonly CandidateLine[];
  readonly orders: readonly PlanRequest[];
}

export function buildInstance(spec: InstanceSpec): Instance {
  const lines = buildMarket({
    factories: spec.factories, looms: spec.looms, loomsPerLine: [20, 60], sewingFactories: spec.sewingFactories,
    horizon: spec.horizon, freeShare: [0.2, 1], closedDay: 0.15,
  }, spec.seed);
  const rng = new SeedRng(spec.seed * 7919 + 1);
  const orders = Array.from({ length: spec.orders }, () => orderFor(rng, rng.pick(lines), spec));
  return { spec, lines, orders };
}

function orderFor(rng: SeedRng, line: CandidateLine, spec: InstanceSpec): PlanRequest {
  const startDay = rng.int(0, 3);
  const endDay = Math.min(spec.horizon - 1, startDay + rng.int(2, spec.horizon - 4));
  const order = productFor(rng, line);
  const windowUnits = dailyCapacity(line.spec) * 0.6 * (endDay - startDay + 1);
  const quantity = Math.max(1, Math.round((rng.range(0.2, 1.2) * spec.pressure * windowUnits) / unitsPerQuantity(order)));
  const certifications = rng.chance(0.1) ? ['OEKO-TEX'] : undefined;
  return {
    order, quantity, startDay, endDay,
    maxSplits: order.kind === 'fabric' ? 3 : 2,
    ...(order.kind === 'fabric' ? { minSplitQuantity: Math.min(200, Math.ceil(quantity / 10)) } : {}),
    ...(certifications === undefined ? {} : { certifications }),
  };
}

export function productFor(rng: SeedRng, line: CandidateLine): ProductSpec {
  const s = line.spec;
  if (s.kind === 'sewing') {
    return { kind: 'garment', garment: { category: rng.pick(s.categories), fabricType: rng.pick(s.fabricTypes), samMinutes: Math.round(rng.range(5, 40) * 10) / 10 } };
  }
  if (s.kind === 'finishing') return { kind: 'finishing', finishing: { process: rng.pick(s.processes), widthCm: Math.min(s.maxWidthCm, 160) } };
  const fibers = lineFibers(s);
  const widths = [145, 150, 160, 180].filter((w) => w <= s.maxWidthCm);
  return {
    kind: 'fabric',
    fabric: {
      fiber: fibers.length > 0 ? rng.pick(fibers) : 'polyester',
      weave: s.machineType === 'jacquard' && rng.chance(0.5) ? 'jacquard' : rng.pick(['plain', 'twill', 'satin'] as const),
      widthCm: widths.length > 0 ? rng.pick(widths) : s.maxWidthCm,
      picksPerCm: rng.int(15, 45),
    },
  };
}
