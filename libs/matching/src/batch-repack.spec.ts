import fc from 'fast-check';
import { bestPacking, placements, type LineRoom, type PackSpace, type Share } from './batch-repack';

/**
 * A space of plain line capacities: an order's share takes its quantity from the line. Enough to
 * check the search itself; the batch's space (batch-flex.ts) measures room by day instead.
 */
function toySpace(capacity: Record<string, number>, orders: readonly { quantity: number; maxSplits: number; least?: number }[], nodes = 100_000): PackSpace & { held: () => Record<string, number> } {
  const left = { ...capacity };
  const placed = new Map<number, readonly Share[]>();
  return {
    quantity: (o) => orders[o]?.quantity ?? 0,
    maxSplits: (o) => orders[o]?.maxSplits ?? 1,
    rooms: (o): LineRoom[] => Object.keys(left).map((lineId) => ({
      lineId, most: Math.min(left[lineId] ?? 0, orders[o]?.quantity ?? 0), least: Math.min(orders[o]?.quantity ?? 0, orders[o]?.least ?? 1),
    })),
    put: (o, shares) => {
      for (const s of shares) left[s.lineId] = (left[s.lineId] ?? 0) - s.quantity;
      placed.set(o, shares);
    },
    take: (o) => {
      for (const s of placed.get(o) ?? []) left[s.lineId] = (left[s.lineId] ?? 0) + s.quantity;
      placed.delete(o);
    },
    spend: () => nodes-- > 0,
    held: () => ({ ...left }),
  };
}

const packed = (orders: readonly { quantity: number }[], plan: ReadonlyMap<number, readonly Share[]> | null): number =>
  [...(plan?.keys() ?? [])].reduce((s, o) => s + (orders[o]?.quantity ?? 0), 0);

describe('placements', () => {
  it('offers the order whole on the tightest line first, then splits over the roomiest, each at least its minimum', () => {
    const rooms: LineRoom[] = [
      { lineId: 'A', most: 500, least: 100 },
      { lineId: 'B', most: 300, least: 100 },
      { lineId: 'C', most: 260, least: 100 },
      { lineId: 'D', most: 50, least: 100 },
    ];
    const options = placements(rooms, 280, 2);
    expect(options.slice(0, 2)).toEqual([[{ lineId: 'B', quantity: 280 }], [{ lineId: 'A', quantity: 280 }]]);
    expect(options.slice(2)).toEqual([]);

    const splits = placements(rooms, 700, 3);
    expect(splits.length).toBeGreaterThan(0);
    for (const shares of splits) {
      expect(shares.reduce((s, x) => s + x.quantity, 0)).toBe(700);
      expect(shares.length).toBeLessThanOrEqual(3);
      for (const s of shares) {
        const room = rooms.find((r) => r.lineId === s.lineId) as LineRoom;
        expect(s.quantity).toBeGreaterThanOrEqual(room.least);
        expect(s.quantity).toBeLessThanOrEqual(room.most);
      }
    }
    // Two lines suffice (A takes 500, B or C the rest), so no three-way split is offered before them.
    expect(splits[0]).toHaveLength(2);
    expect(placements(rooms, 700, 1)).toEqual([]);
  });
});

describe('bestPacking', () => {
  it('finds the packing a greedy refit misses: the left-out order and both dropped ones on two lines', () => {
    // Lines of 10 and 7. Largest first, tightest line first, puts 6 on the 7 line and 5 on the
    // 10 line, and then 4 + 2 cannot both follow; the best packing is 6 + 4 on one, 5 + 2 on the other.
    const orders = [{ quantity: 6, maxSplits: 1 }, { quantity: 5, maxSplits: 1 }, { quantity: 4, maxSplits: 1 }, { quantity: 2, maxSplits: 1 }];
    const space = toySpace({ A: 10, B: 7 }, orders);
    const plan = bestPacking(space, [0, 1, 2, 3], 11);
    expect(packed(orders, plan)).toBe(17);
    expect(space.held()).toEqual({ A: 10, B: 7 });
  });

  it('returns nothing when no packing beats what the orders held before', () => {
    const orders = [{ quantity: 8, maxSplits: 1 }, { quantity: 8, maxSplits: 1 }];
    expect(bestPacking(toySpace({ A: 10 }, orders), [0, 1], 8)).toBeNull();
  });

  it('stops at its budget with the best found so far', () => {
    const orders = Array.from({ length: 8 }, (_, i) => ({ quantity: 3 + i, maxSplits: 1 }));
    const plan = bestPacking(toySpace({ A: 12, B: 12 }, orders, 3), orders.map((_, i) => i), 0);
    expect(plan).not.toBeNull();
    expect(packed(orders, plan)).toBeLessThanOrEqual(24);
  });

  it('matches the most any assignment could, for orders that each go whole on one line', () => {
    const instance = fc.record({
      capacity: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }),
      quantities: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(fc.property(instance, ({ capacity, quantities }) => {
      const lines = Object.fromEntries(capacity.map((c, i) => [`L${i}`, c]));
      const orders = quantities.map((quantity) => ({ quantity, maxSplits: 1 }));
      const plan = bestPacking(toySpace(lines, orders), orders.map((_, i) => i), 0);
      expect(packed(orders, plan)).toBe(bruteForce(capacity, quantities));
      // Whatever it packs fits: no line over its capacity.
      const used = new Map<string, number>();
      for (const shares of plan?.values() ?? []) for (const s of shares) used.set(s.lineId, (used.get(s.lineId) ?? 0) + s.quantity);
      for (const [lineId, q] of used) expect(q).toBeLessThanOrEqual(lines[lineId] ?? 0);
    }), { numRuns: 300, seed: 2 });
  });
});

/** Every assignment of each order to a line or to none: the most quantity that fits. */
function bruteForce(capacity: readonly number[], quantities: readonly number[]): number {
  let best = 0;
  const left = [...capacity];
  const visit = (i: number, sum: number): void => {
    if (i === quantities.length) {
      best = Math.max(best, sum);
      return;
    }
    const q = quantities[i] ?? 0;
    visit(i + 1, sum);
    left.forEach((c, l) => {
      if (c < q) return;
      left[l] = c - q;
      visit(i + 1, sum + q);
      left[l] = c;
    });
  };
  visit(0, 0);
  return best;
}
