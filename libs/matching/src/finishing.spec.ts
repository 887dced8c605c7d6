import { dailyCapacity, demandOf, lineMinimum } from './capacity';
import { productMismatch } from './capability';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { fabric, finishing, finishingSpec, freeDays, garment, line, request, sewingSpec, weavingSpec } from './testing/fixtures';

/** Finishing is a capability like the others: its rules in productMismatch, its units in meters, the same planner. */
describe('finishing lines', () => {
  it('does only the processes it lists, at most as wide as its stenter', () => {
    const dyeHouse = finishingSpec({ processes: ['dyeing', 'washing'], maxWidthCm: 180 });
    expect(productMismatch(dyeHouse, finishing({ process: 'dyeing', widthCm: 180 }))).toBeNull();
    expect(productMismatch(dyeHouse, finishing({ process: 'printing' }))).toBe('PROCESS_NOT_SUPPORTED');
    expect(productMismatch(dyeHouse, finishing({ process: 'dyeing', widthCm: 181 }))).toBe('WIDTH_EXCEEDS_MAX');
  });

  it('is no line for fabric or garments, and no loom or sewing line finishes', () => {
    expect(productMismatch(finishingSpec(), fabric())).toBe('NO_CAPABLE_LINE');
    expect(productMismatch(finishingSpec(), garment())).toBe('NO_CAPABLE_LINE');
    expect(productMismatch(weavingSpec(), finishing())).toBe('NO_CAPABLE_LINE');
    expect(productMismatch(sewingSpec(), finishing())).toBe('NO_CAPABLE_LINE');
  });

  it('counts capacity in meters a day, one unit per meter, with its minimum batch as the split minimum', () => {
    expect(dailyCapacity(finishingSpec({ metersPerDay: 6000 }))).toBe(6000);
    expect(demandOf(finishing(), 1234)).toBe(1234);
    expect(lineMinimum(finishingSpec({ minBatchM: 800 }))).toBe(800);
  });

  it('is planned by the same planner: splits respect the minimum batch, price is per meter', () => {
    const lines = [
      line('dye-a', { spec: finishingSpec({ minBatchM: 800 }), ratePerUnit: 2, free: freeDays(30, 0, 29, 100) }),
      line('dye-b', { spec: finishingSpec({ minBatchM: 0 }), ratePerUnit: 3, free: freeDays(30, 0, 29, 100) }),
      line('loom', { spec: weavingSpec(), free: freeDays(30, 0, 29, 1_000_000) }),
    ];
    // 1,500 m in days 0..9: each dye line holds 1,000 m, so the order splits; dye-a may take 800 or more.
    const result = planOrder(request({ order: finishing(), quantity: 1500, startDay: 0, endDay: 9, maxSplits: 2 }), lines);
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.allocations.map((a) => a.lineId).sort()).toEqual(['dye-a', 'dye-b']);
    const a = result.allocations.find((x) => x.lineId === 'dye-a');
    expect(a?.quantity).toBeGreaterThanOrEqual(800);
    expect(result.totalPrice).toBe(result.allocations.reduce((s, x) => s + x.quantity * (x.lineId === 'dye-a' ? 2 : 3), 0));
  });

  it('plans alike from the market index and from a list', () => {
    const lines = [
      line('dye-a', { spec: finishingSpec({ processes: ['dyeing'], maxWidthCm: 150 }), free: freeDays(30, 0, 29, 400) }),
      line('dye-b', { spec: finishingSpec({ processes: ['dyeing', 'printing'], maxWidthCm: 200 }), free: freeDays(30, 0, 29, 300) }),
      line('print', { spec: finishingSpec({ processes: ['printing'], maxWidthCm: 200 }), free: freeDays(30, 0, 29, 900) }),
      line('sew', { spec: sewingSpec(), free: freeDays(30, 0, 29, 900) }),
    ];
    const index = new MarketIndex({ horizon: 30 });
    for (const l of lines) index.upsertLine(l);
    for (const req of [
      request({ order: finishing({ process: 'dyeing', widthCm: 160 }), quantity: 2000, startDay: 0, endDay: 9 }),
      request({ order: finishing({ process: 'printing', widthCm: 160 }), quantity: 9000, startDay: 0, endDay: 9 }),
      request({ order: finishing({ process: 'coating', widthCm: 160 }), quantity: 100, startDay: 0, endDay: 9 }),
      request({ order: finishing({ process: 'dyeing', widthCm: 140 }), quantity: 6000, startDay: 0, endDay: 9 }),
    ]) {
      expect(index.plan(req)).toEqual(planOrder(req, lines));
    }
    expect(index.candidatesFor(finishing({ process: 'dyeing', widthCm: 160 })).map((l) => l.lineId)).toEqual(['dye-b']);
  });
});
