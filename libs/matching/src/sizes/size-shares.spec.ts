import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sizeShares } from './size-shares';

const SIZES = [{ size: 'S', quantity: 100 }, { size: 'M', quantity: 150 }, { size: 'L', quantity: 120 }, { size: 'XL', quantity: 31 }];

describe('size shares of split allocations', () => {
  it('gives each allocation its share per size, summing exactly both ways', () => {
    const shares = sizeShares(SIZES, [200, 120, 81]);
    expect(shares.map((s) => s.reduce((t, x) => t + x.quantity, 0))).toEqual([200, 120, 81]);
    for (const [i, { quantity }] of SIZES.entries()) expect(shares.reduce((t, s) => t + s[i]!.quantity, 0)).toBe(quantity);
    // the first allocation's share is about half of each size
    expect(shares[0]!.map((x) => x.quantity)).toEqual([50, 75, 60, 15]);
  });

  it('keeps a whole allocation whole and a partial plan within its sizes', () => {
    expect(sizeShares(SIZES, [401])).toEqual([SIZES]);
    const partial = sizeShares(SIZES, [100]);
    expect(partial[0]!.reduce((t, x) => t + x.quantity, 0)).toBe(100);
  });

  it('holds for any sizes and any split of the order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 8 }).filter((q) => q.some((n) => n > 0)),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }),
        (perSize, weights) => {
          const sizes = perSize.map((quantity, i) => ({ size: `s${i}`, quantity }));
          const total = perSize.reduce((s, n) => s + n, 0);
          // split the total in proportion to the weights, the last taking the rest
          const w = weights.reduce((s, n) => s + n, 0);
          const quantities = weights.map((x) => Math.floor((x * total) / w));
          quantities[quantities.length - 1]! += total - quantities.reduce((s, n) => s + n, 0);
          const shares = sizeShares(sizes, quantities);
          shares.forEach((s, a) => expect(s.reduce((t, x) => t + x.quantity, 0)).toBe(quantities[a]));
          sizes.forEach((s, i) => expect(shares.reduce((t, row) => t + row[i]!.quantity, 0)).toBe(s.quantity));
          for (const row of shares) for (const x of row) expect(x.quantity).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 15, numRuns: 500 },
    );
  });
});
