import { FIBERS, GARMENT_CATEGORIES, type OrderSpec } from './types';
import { MATCH_ROUTES, matchPartitionOf } from './partition';

const fabric = (fiber: (typeof FIBERS)[number]): OrderSpec => ({ kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 } });
const garment = (category: (typeof GARMENT_CATEGORIES)[number]): OrderSpec => ({ kind: 'garment', garment: { category, fabricType: 'woven', samMinutes: 12 } });

describe('matchPartitionOf', () => {
  it('sends every order to partition 0 when the market is not partitioned', () => {
    expect(matchPartitionOf(fabric('silk'), 1)).toBe(0);
    expect(matchPartitionOf(garment('coat'), 0)).toBe(0);
  });

  it('deals the routes round-robin, so each of 4 partitions gets fibres and categories alike', () => {
    const all = [...FIBERS.map(fabric), ...GARMENT_CATEGORIES.map(garment)];
    const sizes = [0, 1, 2, 3].map((p) => all.filter((s) => matchPartitionOf(s, 4) === p).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(MATCH_ROUTES.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(matchPartitionOf(fabric('cotton'), 4)).toBe(0);
    expect(matchPartitionOf(fabric('polyester'), 4)).toBe(1);
  });

  it('sends a finishing stage, which routes nowhere of its own, to partition 0', () => {
    expect(matchPartitionOf({ kind: 'finishing', finishing: { process: 'dyeing', widthCm: 150 } }, 4)).toBe(0);
  });

  it('keeps one fibre in one partition whatever its width or weave', () => {
    const wide: OrderSpec = { kind: 'fabric', fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 320, picksPerCm: 50 } };
    expect(matchPartitionOf(wide, 3)).toBe(matchPartitionOf(fabric('wool'), 3));
  });
});
