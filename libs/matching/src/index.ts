export * from './types';
export { dailyCapacity, demandOf, unitsPerQuantity } from './capacity';
export { lineFibers, lineMismatch, machineFibers, productMismatch } from './capability';
export { planOrder } from './plan-order';
export { SCORE_WEIGHTS } from './scoring';
export { MarketIndex, type MarketIndexOptions } from './market-index';
export { SeedRng } from './seed-rng';
