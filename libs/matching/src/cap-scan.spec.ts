import fc from 'fast-check';
import { CapScan, type LineFeed } from './cap-scan';
import type { LineTable } from './line-table';
import type { PlanContext } from './plan-context';
import { fabric } from './testing/fixtures';

/** A scan over lines whose window holds `units` each (one unit per meter), fed most first. */
function scanOf(units: readonly number[], quantity: number): CapScan {
  const order = [...units.keys()].sort((a, b) => (units[b] ?? 0) - (units[a] ?? 0));
  const t: LineTable = {
    horizon: 1, stride: 2, prefix: new Float64Array(2 * units.length), rate: new Float64Array(0), record: new Float64Array(0),
    load: new Float64Array(0), moq: new Float64Array(0), lineId: [], factoryId: [],
  };
  const ctx: PlanContext = {
    t, perItem: 1, demand: quantity, from: 0, to: 0, minRate: 0, priceDivisor: 1000, maxRate: Infinity,
    req: { order: fabric(), quantity, startDay: 0, endDay: 0, maxSplits: 3 },
  };
  let at = 0;
  const feed: LineFeed = {
    peek: () => (at < order.length ? (units[order[at] ?? 0] ?? 0) : -1),
    next: () => order[at++] ?? 0,
    units: (slot) => units[slot] ?? 0,
  };
  return new CapScan(ctx, feed);
}

describe('CapScan', () => {
  it('counts the lines it takes to cover a quantity as a full sort of every capacity does, when all of them cover it', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 120 }), fc.integer({ min: 1, max: 2000 }), (units, quantity) => {
      const scan = scanOf(units, quantity);
      // The explanation asks only then (otherwise it reports the capacity short instead).
      if (!scan.totalCovers(quantity)) return;
      const sorted = units.map((u) => Math.min(u, quantity)).sort((a, b) => b - a);
      let covered = 0;
      let n = 0;
      while (covered < quantity) covered += sorted[n++] ?? 0;
      expect(scan.linesCovering(quantity)).toBe(n);
    }), { numRuns: 500 });
  });
});
