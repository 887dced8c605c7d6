import { continueChain, fabricMetersFor, firstShortStage, fitBeforeLater, type HeldStage, listStagePlanner, planChain, replanAfter, styleStages, type StyleSpec } from './chain';
import { MarketIndex } from './market-index';
import { finishingSpec, freeDays, line, sewingSpec, weavingSpec } from './testing/fixtures';

const style: StyleSpec = {
  garment: { category: 'shirt', fabricType: 'woven', samMinutes: 20 },
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 },
  fabricPerPieceM: 1.2, wastagePct: 3, finishing: { process: 'dyeing' },
};

// 300 shirts: 371 m to weave and dye (300 × 1.2 × 1.03 = 370.8), 6,000 standard minutes to sew.
const stages = styleStages(style, 300, { maxSplits: 2 });
const loom = (id: string, from: number, to: number, metersPerDay: number, rate = 1) =>
  line(id, { spec: weavingSpec(), ratePerUnit: rate, free: freeDays(30, from, to, metersPerDay * 2000) });
const dye = (id: string, from: number, to: number, metersPerDay: number, rate = 1) =>
  line(id, { spec: finishingSpec({ processes: ['dyeing'] }), ratePerUnit: rate, free: freeDays(30, from, to, metersPerDay) });
const sew = (id: string, from: number, to: number, minutesPerDay: number, rate = 0.5) =>
  line(id, { spec: sewingSpec({ categories: ['shirt'] }), ratePerUnit: rate, free: freeDays(30, from, to, minutesPerDay) });

describe('style stages', () => {
  it('weaves and finishes pieces × fabric per piece × (1 + wastage), rounded up to a meter, then sews the pieces', () => {
    expect(fabricMetersFor(style, 300)).toBe(371);
    expect(fabricMetersFor({ fabricPerPieceM: 1.1, wastagePct: 0 }, 100)).toBe(110);
    expect(stages.map((s) => [s.order.kind, s.quantity])).toEqual([['fabric', 371], ['finishing', 371], ['garment', 300]]);
    expect(styleStages({ ...style, finishing: undefined }, 300, { maxSplits: 2 }).map((s) => s.order.kind)).toEqual(['fabric', 'garment']);
  });

  it('scales a minimum split in pieces to the same share of the meters', () => {
    const [weaving, , sewing] = styleStages(style, 300, { maxSplits: 2, minSplitQuantity: 100 });
    expect(weaving?.minSplitQuantity).toBe(124);
    expect(sewing?.minSplitQuantity).toBe(100);
  });
});

describe('planChain', () => {
  it('plans each stage after the one before plus transit, inside the window, with one price and one ready date', () => {
    const lines = [loom('loom', 0, 29, 100), dye('dye', 0, 29, 200), sew('sew', 0, 29, 2000)];
    const result = planChain({ stages, startDay: 1, endDay: 20, transitDays: 2 }, listStagePlanner(lines));
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    const [w, f, s] = result.stages;
    expect(result.stages.map((x) => x.kind)).toEqual(['weaving', 'finishing', 'sewing']);
    expect(w?.startDay).toBeGreaterThanOrEqual(1);
    expect(f?.inputReadyDay).toBe((w?.endDay ?? 0) + 2);
    expect(f?.startDay).toBeGreaterThanOrEqual((w?.endDay ?? 0) + 2);
    expect(s?.startDay).toBeGreaterThanOrEqual((f?.endDay ?? 0) + 2);
    expect(result.completionDay).toBe(s?.endDay);
    expect(result.completionDay).toBeLessThanOrEqual(20);
    expect(result.totalPrice).toBeCloseTo((w?.totalPrice ?? 0) + (f?.totalPrice ?? 0) + (s?.totalPrice ?? 0), 9);
  });

  it('leaves an earlier stage its cheaper line when the later stages still fit after it', () => {
    // A fast dear loom (done day 1) and a slow cheap one (done by day 5); sewing fits either way.
    const lines = [loom('dear', 0, 29, 400, 3), loom('cheap', 0, 29, 80, 1), sew('sew', 0, 29, 6000)];
    const twoStages = styleStages({ ...style, finishing: undefined }, 300, { maxSplits: 1 });
    const result = planChain({ stages: twoStages, startDay: 0, endDay: 12, transitDays: 2 }, listStagePlanner(lines));
    if (!result.ok) throw new Error('expected a plan');
    expect(result.stages[0]?.allocations.map((a) => a.lineId)).toEqual(['cheap']);
  });

  it('takes the fast line when only it leaves sewing time before the due date', () => {
    const lines = [loom('dear', 0, 29, 400, 3), loom('cheap', 0, 29, 80, 1), sew('sew', 0, 29, 6000)];
    const twoStages = styleStages({ ...style, finishing: undefined }, 300, { maxSplits: 1 });
    // Sewing takes a day; with transit 2 weaving must end by day 4 - the cheap loom needs days 0..4 for 371 m.
    const result = planChain({ stages: twoStages, startDay: 0, endDay: 5, transitDays: 2 }, listStagePlanner(lines));
    if (!result.ok) throw new Error('expected a plan');
    expect(result.stages[0]?.allocations.map((a) => a.lineId)).toEqual(['dear']);
    expect(result.stages[1]?.startDay).toBeGreaterThanOrEqual((result.stages[0]?.endDay ?? 0) + 2);
  });

  it('gives up the cheaper loom when its later end would leave sewing too little time (the exact passes after the roomy one misses)', () => {
    // Sewing 6,000 minutes at 1,500 a day takes 4 days. The cheap loom ends day 4, sewing could start day 6 and end day 9: late.
    const lines = [loom('dear', 0, 29, 400, 3), loom('cheap', 0, 29, 80, 1), sew('sew', 0, 29, 1500)];
    const twoStages = styleStages({ ...style, finishing: undefined }, 300, { maxSplits: 1 });
    const result = planChain({ stages: twoStages, startDay: 0, endDay: 8, transitDays: 2 }, listStagePlanner(lines));
    if (!result.ok) throw new Error('expected a plan');
    expect(result.stages[0]?.allocations.map((a) => a.lineId)).toEqual(['dear']);
    expect(result.stages[1]?.endDay).toBeLessThanOrEqual(8);
  });

  it('names the stage that fails, when its input would arrive, and its closest miss', () => {
    // Weaving done by day 3 at the earliest, transit 2: dyeing starts day 5 and holds 100 m a day to day 7 = 300 of 371 m.
    const lines = [loom('loom', 0, 29, 200), dye('dye', 0, 7, 100), sew('sew', 0, 29, 6000)];
    const result = planChain({ stages, startDay: 2, endDay: 7, transitDays: 2 }, listStagePlanner(lines));
    if (result.ok) throw new Error('expected no plan');
    expect(result.failedStage).toBe(1);
    expect(result.failedKind).toBe('finishing');
    expect(result.inputReadyDay).toBe(5);
    expect(result.reasons[0]?.code).toBe('INSUFFICIENT_CAPACITY_BEFORE_DUE');
    expect(result.reasons[0]?.message).toMatch(/^finishing: best plan covers 80%/);
    expect(result.closestMiss.coveredQuantity).toBe(300);
  });

  it('says so when a stage input arrives after the due date', () => {
    const lines = [loom('loom', 0, 29, 40), dye('dye', 0, 29, 1000), sew('sew', 0, 29, 6000)];
    const result = planChain({ stages, startDay: 0, endDay: 9, transitDays: 3 }, listStagePlanner(lines));
    if (result.ok) throw new Error('expected no plan');
    expect(result.failedKind).toBe('finishing');
    expect(result.reasons[0]?.message).toMatch(/input arrives on day 12, after the due date \(day 9\)/);
  });

  it('plans the same chain on the market index as on a list', () => {
    const lines = [loom('l1', 0, 29, 60, 1), loom('l2', 3, 29, 150, 2), dye('d1', 0, 29, 150), dye('d2', 5, 29, 500, 2), sew('s1', 0, 29, 1500), sew('s2', 8, 29, 4000, 0.4)];
    const index = new MarketIndex({ horizon: 30 });
    for (const l of lines) index.upsertLine(l);
    for (const endDay of [8, 12, 20]) {
      const req = { stages, startDay: 0, endDay, transitDays: 1 };
      expect(planChain(req, index)).toEqual(planChain(req, listStagePlanner(lines)));
    }
  });

  it('refuses a chain without stages and a negative transit', () => {
    expect(() => planChain({ stages: [], startDay: 0, endDay: 5, transitDays: 1 }, listStagePlanner([]))).toThrow(RangeError);
    expect(() => planChain({ stages, startDay: 0, endDay: 5, transitDays: -1 }, listStagePlanner([]))).toThrow(RangeError);
  });
});

describe('replanAfter: the chain follows its slowest link', () => {
  const lines = [loom('loom', 0, 29, 200), dye('dye', 0, 29, 400), sew('sew', 0, 29, 3000)];
  const request = { stages, startDay: 0, endDay: 20, transitDays: 2 };

  it('moves the stages after a late weaving stage to start after its new end plus transit, and keeps the due date', () => {
    const first = planChain(request, listStagePlanner(lines));
    if (!first.ok) throw new Error('expected a plan');
    const slippedEnd = (first.stages[0]?.endDay ?? 0) + 4;
    const later = replanAfter(request, 0, slippedEnd, listStagePlanner(lines));
    if (!later.ok) throw new Error(JSON.stringify(later.reasons));
    expect(later.stages.map((s) => s.kind)).toEqual(['finishing', 'sewing']);
    expect(later.stages[0]?.inputReadyDay).toBe(slippedEnd + 2);
    expect(later.stages[0]?.startDay).toBeGreaterThanOrEqual(slippedEnd + 2);
    expect(later.stages[0]?.startDay).toBeGreaterThan(first.stages[1]?.startDay ?? Infinity);
    expect(later.stages[1]?.startDay).toBeGreaterThanOrEqual((later.stages[0]?.endDay ?? 0) + 2);
    expect(later.completionDay).toBeLessThanOrEqual(20);
  });

  it('says which later stage no plan reaches, with the chain\'s own stage index, before the due date', () => {
    const slow = [loom('loom', 0, 29, 200), dye('dye', 0, 29, 400), sew('sew', 0, 29, 600)];
    // Dyeing slips to day 14: sewing from day 16 holds 600 min a day, 3,000 by day 20 of 6,000.
    const result = replanAfter(request, 1, 14, listStagePlanner(slow));
    if (result.ok) throw new Error('expected no plan');
    expect(result.failedStage).toBe(2);
    expect(result.failedKind).toBe('sewing');
    expect(result.inputReadyDay).toBe(16);
    expect(result.reasons[0]?.message).toMatch(/^sewing: best plan covers 50%/);
    expect(replanAfter(request, 1, 19, listStagePlanner(slow))).toMatchObject({ ok: false, failedStage: 2, inputReadyDay: 21 });
  });

  it('refuses a stage outside the chain and the last stage', () => {
    expect(() => replanAfter(request, 3, 5, listStagePlanner(lines))).toThrow(RangeError);
    expect(() => replanAfter(request, 2, 5, listStagePlanner(lines))).toThrow(RangeError);
  });
});

describe('continuing a chain after a slip (a stage lost part of its work)', () => {
  const request = { stages, startDay: 0, endDay: 20, transitDays: 2 };
  const nothing: HeldStage = { quantity: 0, splits: 0, startDay: null, endDay: null };
  // Weaving lost everything (its offer was declined); dyeing holds days 5-5, sewing days 8-9.
  const dyed: HeldStage = { quantity: 371, splits: 1, startDay: 5, endDay: 5 };
  const sewn: HeldStage = { quantity: 300, splits: 1, startDay: 8, endDay: 9 };

  it('finds the first stage whose held work falls short, or none', () => {
    expect(firstShortStage(request, [nothing, dyed, sewn])).toBe(0);
    expect(firstShortStage(request, [{ quantity: 371, splits: 1, startDay: 0, endDay: 2 }, { ...dyed, quantity: 100 }, sewn])).toBe(1);
    expect(firstShortStage(request, [{ quantity: 371, splits: 1, startDay: 0, endDay: 2 }, dyed, sewn])).toBeNull();
  });

  it('keeps the later stages when the short stage still ends in time for them', () => {
    const lines = [loom('other', 0, 29, 400), dye('dye', 0, 29, 400), sew('sew', 0, 29, 3000)];
    const fit = fitBeforeLater(request, [nothing, dyed, sewn], 0, listStagePlanner(lines));
    expect(fit?.kind).toBe('weaving');
    expect(fit?.endDay).toBeLessThanOrEqual(dyed.startDay! - 2);
    expect(fit?.quantity).toBe(371);
  });

  it('gives up keeping them when the short stage can only end later, and then plans the later stages after it', () => {
    // Only a slow loom is left: 371 m at 60 m a day ends on day 6, after dyeing's day 5 less transit.
    const lines = [loom('slow', 0, 29, 60), dye('dye', 0, 29, 400), sew('sew', 0, 29, 3000)];
    const planner = listStagePlanner(lines);
    expect(fitBeforeLater(request, [nothing, dyed, sewn], 0, planner)).toBeNull();
    const result = continueChain(request, [nothing, nothing, nothing], 0, planner);
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    const [w, f, s] = result.stages;
    expect(result.stages.map((x) => x.kind)).toEqual(['weaving', 'finishing', 'sewing']);
    expect(w?.endDay).toBe(6);
    expect(f?.startDay).toBeGreaterThanOrEqual(8);
    expect(s?.startDay).toBeGreaterThanOrEqual((f?.endDay ?? 99) + 2);
  });

  it('plans only what a short stage lacks, and starts the next stage after its held part too', () => {
    // Weaving holds 200 m until day 7 and lacks 171; the new part ends sooner, but dyeing waits for day 7 + 2.
    const lines = [loom('fast', 0, 29, 400), dye('dye', 0, 29, 400), sew('sew', 0, 29, 3000)];
    const held: HeldStage[] = [{ quantity: 200, splits: 1, startDay: 3, endDay: 7 }, nothing, nothing];
    const result = continueChain(request, held, 0, listStagePlanner(lines));
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.stages[0]?.allocations.reduce((sum, a) => sum + a.quantity, 0)).toBe(171);
    expect(result.stages[0]?.allocations.every((a) => a.lineId === 'fast')).toBe(true);
    expect(result.stages[1]?.startDay).toBeGreaterThanOrEqual(9);
  });

  it("names the later stage no plan reaches with the chain's own index", () => {
    const lines = [loom('slow', 0, 29, 60), dye('dye', 0, 29, 400), sew('sew', 0, 29, 300)];
    const result = continueChain(request, [nothing, nothing, nothing], 0, listStagePlanner(lines));
    expect(result).toMatchObject({ ok: false, failedStage: 2, failedKind: 'sewing' });
  });
});
