import { FIBERS, GARMENT_CATEGORIES, type ProductSpec } from './types';

/**
 * What a matcher partition is cut along (ADR 0003): an order's fibre (fabric) or garment
 * category (garment; a style order by its garment, the stage that names it). Every capability
 * bucket an order can use (`orderKeys`) carries its fibre or category, so the orders of two
 * routes never look at the same bucket; only lines filed under several fibres or categories are
 * shared, and there the database's conditional updates settle who keeps a cell.
 */
export const MATCH_ROUTES: readonly string[] = [...FIBERS.map((f) => `fabric|${f}`), ...GARMENT_CATEGORIES.map((c) => `garment|${c}`)];

/** An order's route; finishing is only ever a stage of a style order, which routes by its garment. */
export function matchRouteOf(spec: ProductSpec): string {
  switch (spec.kind) {
    case 'fabric':
      return `fabric|${spec.fabric.fiber}`;
    case 'garment':
      return `garment|${spec.garment.category}`;
    case 'finishing':
      return `finishing|${spec.finishing.process}`;
  }
}

/**
 * The partition (0..count-1) that matches orders of this spec. Routes are dealt round-robin in
 * their fixed order, so every partition gets fibres and categories alike, and a partition's
 * routes do not change while the count stays. An unknown route (a spec from a newer producer)
 * goes to partition 0, which also takes the unpartitioned queue.
 */
export function matchPartitionOf(spec: ProductSpec, count: number): number {
  const at = MATCH_ROUTES.indexOf(matchRouteOf(spec));
  return at < 0 || count <= 1 ? 0 : at % count;
}
