export { generateMarket, type MarketOptions, type SeedLine, type SeedMarket, type SeedOrganization, type SeedOverride } from './generate-market';
export { loadMarket, type LoadOptions, type LoadResult, type SeededKey } from './load-market';
export { smallOrder, type OrderRequest } from './orders';
export { SeedRng } from '@cloudloom/matching';
export { SEWING_CLUSTERS, WEAVING_CLUSTERS } from './clusters';
