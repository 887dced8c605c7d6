import type { FabricType, Fiber, GarmentCategory, Weave } from '@cloudloom/matching';
import { addDays } from '../core/clock';
import type { SeedRng } from '@cloudloom/matching';

/** What a brand sends to POST /orders. */
export interface OrderRequest {
  readonly kind: 'fabric' | 'garment';
  readonly fabric?: { fiber: Fiber; weave: Weave; widthCm: number; picksPerCm: number; gsm?: number };
  readonly garment?: { category: GarmentCategory; fabricType: FabricType; samMinutes: number };
  readonly quantity: number;
  readonly dueDate: string;
  readonly earliestStart?: string;
  readonly certifications?: string[];
}

const FIBERS: readonly (readonly [Fiber, number])[] = [['polyester', 0.38], ['cotton', 0.28], ['nylon', 0.1], ['blend', 0.1], ['viscose', 0.06], ['linen', 0.03], ['wool', 0.03], ['silk', 0.02]];
const WEAVES: readonly (readonly [Weave, number])[] = [['plain', 0.5], ['twill', 0.25], ['satin', 0.1], ['dobby', 0.1], ['jacquard', 0.05]];
const CATEGORIES: readonly GarmentCategory[] = ['tshirt', 'polo', 'shirt', 'dress', 'skirt', 'trousers', 'jeans', 'jacket', 'coat', 'sportswear', 'underwear'];
/** Typical standard minutes per piece by garment. */
const SAM: Readonly<Record<GarmentCategory, readonly [number, number]>> = {
  tshirt: [6, 12], polo: [12, 20], shirt: [18, 30], dress: [20, 45], skirt: [12, 25], trousers: [18, 35], jeans: [20, 35],
  jacket: [40, 80], coat: [60, 120], sportswear: [12, 30], underwear: [4, 10],
};

/**
 * A small order (小单快反: a few hundred to a few thousand meters or pieces, due in one to four
 * weeks), the way a brand posts it. Seeded, so a run can be repeated.
 */
export function smallOrder(rng: SeedRng, today: string, options: { garmentShare?: number } = {}): OrderRequest {
  const start = rng.int(1, 3);
  const due = addDays(today, start + rng.int(7, 28));
  const certifications = rng.chance(0.1) ? ['OEKO-TEX'] : undefined;
  const common = { dueDate: due, earliestStart: addDays(today, start), ...(certifications ? { certifications } : {}) };
  if (rng.chance(options.garmentShare ?? 0.3)) {
    const category = rng.pick(CATEGORIES);
    return {
      kind: 'garment',
      garment: { category, fabricType: category === 'jeans' || category === 'coat' || category === 'shirt' ? 'woven' : rng.pick(['knit', 'woven'] as const), samMinutes: Math.round(rng.range(...SAM[category]) * 10) / 10 },
      quantity: rng.int(2, 30) * 100,
      ...common,
    };
  }
  const fiber = rng.weighted(FIBERS);
  return {
    kind: 'fabric',
    fabric: { fiber, weave: rng.weighted(WEAVES), widthCm: rng.pick([145, 150, 160, 180]), picksPerCm: rng.int(18, 45), gsm: rng.int(80, 320) },
    quantity: rng.int(3, 50) * 100,
    ...common,
  };
}
