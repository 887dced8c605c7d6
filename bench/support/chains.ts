import {
  dailyCapacity, planChain, SeedRng, styleStages, type CandidateLine, type ChainRequest, type ChainResult, type FabricType, type Fiber,
  type FinishingLineSpec, type FinishingProcess, type GarmentCategory, type MarketIndex, type Weave,
} from '@cloudloom/matching';

/**
 * Style orders (DESIGN.md §8) for the planner benches: weaving, finishing in most, sewing, over
 * the reference market with dye houses added. Seeded, like the other order mixes.
 */

const PROCESSES: readonly (readonly [FinishingProcess, number])[] = [['dyeing', 0.55], ['printing', 0.25], ['finishing', 0.1], ['washing', 0.05], ['coating', 0.05]];
const FIBERS: readonly (readonly [Fiber, number])[] = [['polyester', 0.4], ['cotton', 0.35], ['blend', 0.1], ['viscose', 0.1], ['linen', 0.05]];
const WEAVES: readonly (readonly [Weave, number])[] = [['plain', 0.55], ['twill', 0.3], ['satin', 0.15]];
const CATEGORIES: readonly GarmentCategory[] = ['tshirt', 'polo', 'shirt', 'dress', 'skirt', 'trousers', 'jeans', 'jacket', 'coat', 'sportswear', 'underwear'];
const FABRIC_TYPES: readonly FabricType[] = ['knit', 'woven'];

/** Dye houses and finishing mills, 1-3 ranges each, 3,000-15,000 m a day; free capacity drawn as the other lines'. */
export function buildFinishing(factories: number, horizon: number, seed: number): CandidateLine[] {
  const rng = new SeedRng(seed);
  const lines: CandidateLine[] = [];
  for (let f = 0; f < factories; f++) {
    const factoryId = `D${f}`;
    const factory = { factoryId, certifications: rng.chance(0.4) ? ['OEKO-TEX'] : [], factoryVerified: rng.chance(0.95), factoryActive: rng.chance(0.97), record: { onTimeRate: rng.range(0.7, 1), acceptanceRate: rng.range(0.6, 1) } };
    for (let l = 0, n = rng.int(1, 3); l < n; l++) {
      const first = rng.weighted(PROCESSES);
      const spec: FinishingLineSpec = {
        kind: 'finishing', processes: rng.chance(0.4) ? [...new Set([first, rng.weighted(PROCESSES)])] : [first],
        metersPerDay: rng.int(3000, 15_000), minBatchM: rng.pick([0, 300, 1000]), maxWidthCm: rng.pick([180, 200, 240, 320]),
      };
      const capacity = dailyCapacity(spec);
      const free = Array.from({ length: horizon }, () => (rng.chance(0.15) ? 0 : Math.floor(capacity * rng.range(0.2, 1))));
      const total = free.reduce((s, x) => s + x, 0);
      lines.push({ ...factory, lineId: `${factoryId}-L${l}`, spec, ratePerUnit: Math.round(rng.range(0.8, 3) * 100) / 100, load: 1 - total / (capacity * horizon), free });
    }
  }
  return lines;
}

export function buildStyleOrders(count: number, horizon: number, seed: number): ChainRequest[] {
  const rng = new SeedRng(seed);
  return Array.from({ length: count }, () => {
    const pieces = rng.int(200, 3000);
    const startDay = rng.int(1, 5);
    const style = {
      garment: { category: rng.pick(CATEGORIES), fabricType: rng.pick(FABRIC_TYPES), samMinutes: Math.round(rng.range(5, 40) * 10) / 10 },
      fabric: { fiber: rng.weighted(FIBERS), weave: rng.weighted(WEAVES), widthCm: rng.pick([145, 150, 160, 180]), picksPerCm: rng.int(15, 45) },
      fabricPerPieceM: Math.round(rng.range(0.8, 2.5) * 10) / 10, wastagePct: 3,
      ...(rng.chance(0.7) ? { finishing: { process: rng.weighted(PROCESSES) } } : {}),
    };
    return {
      stages: styleStages(style, pieces, { maxSplits: 2 }),
      startDay, endDay: Math.min(horizon - 1, startDay + rng.int(10, 40)), transitDays: rng.int(1, 3),
    };
  });
}

/** Takes a planned chain's days off the index, as the worker's one transaction reserves every stage. */
export function reserveChain(index: MarketIndex, result: ChainResult): void {
  if (!result.ok) return;
  for (const stage of result.stages) for (const a of stage.allocations) index.reserve(a.lineId, a.days);
}

/**
 * Plans and reserves each chain in turn; returns per-chain wall times and CPU times of this
 * process (ms; unlike wall time, not inflated when the machine is shared) and how many matched.
 */
export function timeChains(index: MarketIndex, chains: readonly ChainRequest[]): { times: number[]; cpu: number[]; matched: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  let matched = 0;
  for (const req of chains) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = planChain(req, index);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (result.ok) matched++;
    reserveChain(index, result);
  }
  return { times, cpu, matched };
}
