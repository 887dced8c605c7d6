import {
  dailyCapacity, SeedRng, type CandidateLine, type Fiber, type GarmentCategory, type MachineType, type SewingLineSpec, type WeavingLineSpec,
} from '@cloudloom/matching';

/**
 * Seeded synthetic markets shaped like the reference market of DESIGN.md §7 (6,000 weaving mills,
 * 540,000 looms, 60 days). Shares of machine types and widths follow the mix of a Chinese
 * weaving cluster: water-jet and air-jet dominate, wide and jacquard looms are rare.
 */

export interface MarketShape {
  readonly factories: number;
  readonly looms: number;
  /** Looms per line; [1, 1] models one line per loom. */
  readonly loomsPerLine: readonly [number, number];
  readonly sewingFactories: number;
  readonly horizon: number;
  /** Share of each line-day still free, drawn uniformly from this range; the rest is booked or closed. */
  readonly freeShare: readonly [number, number];
  /** Chance a line-day is closed (maintenance, holiday, fully booked). */
  readonly closedDay: number;
}

export const REFERENCE: MarketShape = {
  factories: 6000, looms: 540_000, loomsPerLine: [20, 60], sewingFactories: 1500, horizon: 60, freeShare: [0.2, 1], closedDay: 0.15,
};

const MACHINES: readonly (readonly [MachineType, number])[] = [['water_jet', 0.38], ['air_jet', 0.37], ['rapier', 0.17], ['projectile', 0.03], ['jacquard', 0.05]];
const RPM: Readonly<Record<MachineType, readonly [number, number]>> = {
  water_jet: [600, 900], air_jet: [550, 900], rapier: [350, 550], projectile: [300, 420], jacquard: [300, 500],
};
const WIDTHS: readonly (readonly [number, number])[] = [[150, 0.15], [170, 0.2], [190, 0.3], [230, 0.2], [280, 0.1], [340, 0.05]];
const CERTS: readonly (readonly [string, number])[] = [['OEKO-TEX', 0.4], ['GRS', 0.15], ['GOTS', 0.1]];
const CATEGORIES: readonly GarmentCategory[] = ['tshirt', 'polo', 'shirt', 'dress', 'skirt', 'trousers', 'jeans', 'jacket', 'coat', 'sportswear', 'underwear'];
const NARROWINGS: readonly (readonly Fiber[])[] = [['cotton', 'blend'], ['polyester', 'nylon'], ['wool', 'linen'], ['silk']];

export function buildMarket(shape: MarketShape, seed: number): CandidateLine[] {
  const rng = new SeedRng(seed);
  const lines: CandidateLine[] = [];
  const perFactory = shape.looms / shape.factories;
  let loomsLeft = shape.looms;
  for (let f = 0; f < shape.factories && loomsLeft > 0; f++) {
    const factory = factoryOf(rng, `W${f}`);
    let looms = f === shape.factories - 1 ? loomsLeft : Math.min(loomsLeft, Math.round(perFactory * rng.range(0.5, 1.5)));
    loomsLeft -= looms;
    for (let l = 0; looms > 0; l++) {
      const machines = Math.min(looms, rng.int(shape.loomsPerLine[0], shape.loomsPerLine[1]));
      looms -= machines;
      lines.push({ ...factory, lineId: `${factory.factoryId}-L${l}`, ...weavingLine(rng, shape, machines) });
    }
  }
  for (let f = 0; f < shape.sewingFactories; f++) {
    const factory = factoryOf(rng, `S${f}`);
    for (let l = 0, n = rng.int(1, 4); l < n; l++) lines.push({ ...factory, lineId: `${factory.factoryId}-L${l}`, ...sewingLine(rng, shape) });
  }
  return lines;
}

type Factory = Pick<CandidateLine, 'factoryId' | 'certifications' | 'factoryVerified' | 'factoryActive' | 'record'>;

function factoryOf(rng: SeedRng, factoryId: string): Factory {
  return {
    factoryId,
    certifications: CERTS.filter(([, p]) => rng.chance(p)).map(([c]) => c),
    factoryVerified: rng.chance(0.95),
    factoryActive: rng.chance(0.97),
    record: { onTimeRate: rng.range(0.7, 1), acceptanceRate: rng.range(0.6, 1) },
  };
}

type LinePart = Pick<CandidateLine, 'spec' | 'ratePerUnit' | 'load' | 'free'>;

function weavingLine(rng: SeedRng, shape: MarketShape, machines: number): LinePart {
  const machineType = rng.weighted(MACHINES);
  const [lo, hi] = RPM[machineType];
  const spec: WeavingLineSpec = {
    kind: 'weaving', machineType, machines, rpm: rng.int(lo, hi), efficiency: 0.85, hoursPerDay: 22,
    maxWidthCm: rng.weighted(WIDTHS), ...(rng.chance(0.1) ? { fibers: rng.pick(NARROWINGS) } : {}),
  };
  return { spec, ratePerUnit: Math.round(rng.range(0.5, 1.5) * 100) / 100, ...availability(rng, shape, dailyCapacity(spec)) };
}

function sewingLine(rng: SeedRng, shape: MarketShape): LinePart {
  const categories = CATEGORIES.filter(() => rng.chance(0.3));
  const spec: SewingLineSpec = {
    kind: 'sewing', operators: rng.int(10, 40), minutesPerDay: 480, efficiency: 0.6,
    categories: categories.length > 0 ? categories : [rng.pick(CATEGORIES)],
    fabricTypes: rng.weighted([[['knit'], 0.4], [['woven'], 0.4], [['knit', 'woven'], 0.2]] as const),
    moq: rng.pick([0, 100, 300]),
  };
  return { spec, ratePerUnit: Math.round(rng.range(0.3, 0.8) * 100) / 100, ...availability(rng, shape, dailyCapacity(spec)) };
}

function availability(rng: SeedRng, shape: MarketShape, capacity: number): Pick<CandidateLine, 'load' | 'free'> {
  const free = new Array<number>(shape.horizon);
  let total = 0;
  for (let d = 0; d < shape.horizon; d++) {
    const units = rng.chance(shape.closedDay) ? 0 : Math.floor(capacity * rng.range(shape.freeShare[0], shape.freeShare[1]));
    free[d] = units;
    total += units;
  }
  return { free, load: capacity > 0 ? 1 - total / (capacity * shape.horizon) : 0 };
}
