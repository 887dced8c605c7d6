import { type FabricType, type Fiber, type GarmentCategory, type PlanRequest, SeedRng, type Weave } from '@cloudloom/matching';

/**
 * Seeded small orders (小单快反: hundreds to a few thousand meters or pieces). "Scarce" orders ask
 * for a lot within days, or for rare product (wool jacquard, extra-wide): they split or miss.
 */
export interface OrderMix {
  readonly garmentShare: number;
  readonly scarceShare: number;
  readonly horizon: number;
}

const FIBERS: readonly (readonly [Fiber, number])[] = [['polyester', 0.35], ['cotton', 0.3], ['nylon', 0.1], ['blend', 0.1], ['viscose', 0.05], ['wool', 0.04], ['linen', 0.03], ['silk', 0.03]];
const WEAVES: readonly (readonly [Weave, number])[] = [['plain', 0.5], ['twill', 0.25], ['satin', 0.1], ['dobby', 0.1], ['jacquard', 0.05]];
const CATEGORIES: readonly GarmentCategory[] = ['tshirt', 'polo', 'shirt', 'dress', 'skirt', 'trousers', 'jeans', 'jacket', 'coat', 'sportswear', 'underwear'];
const FABRIC_TYPES: readonly FabricType[] = ['knit', 'woven'];

export function buildOrders(mix: OrderMix, count: number, seed: number): PlanRequest[] {
  const rng = new SeedRng(seed);
  return Array.from({ length: count }, () => orderOf(rng, mix));
}

function orderOf(rng: SeedRng, mix: OrderMix): PlanRequest {
  const scarce = rng.chance(mix.scarceShare);
  const startDay = rng.int(1, 5);
  const length = scarce ? rng.int(1, 4) : rng.int(7, 30);
  const window = { startDay, endDay: Math.min(mix.horizon - 1, startDay + length) };
  const certifications = rng.chance(0.15) ? ['OEKO-TEX'] : undefined;
  if (rng.chance(mix.garmentShare)) {
    return {
      order: { kind: 'garment', garment: { category: rng.pick(CATEGORIES), fabricType: rng.pick(FABRIC_TYPES), samMinutes: Math.round(rng.range(5, 40) * 10) / 10 } },
      quantity: scarce ? rng.int(5000, 30_000) : rng.int(200, 5000),
      maxSplits: 2, ...window, ...(certifications === undefined ? {} : { certifications }),
    };
  }
  return {
    order: {
      kind: 'fabric',
      fabric: {
        fiber: rng.weighted(FIBERS), weave: rng.weighted(WEAVES),
        widthCm: scarce && rng.chance(0.3) ? rng.pick([280, 320]) : rng.pick([145, 150, 160, 180]),
        picksPerCm: rng.int(15, 45),
      },
    },
    quantity: scarce ? rng.int(20_000, 200_000) : rng.int(300, 5000),
    maxSplits: 3, minSplitQuantity: 100, ...window, ...(certifications === undefined ? {} : { certifications }),
  };
}
