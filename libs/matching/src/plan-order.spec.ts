import { demandOf } from './capacity';
import { planOrder } from './plan-order';
import { fabric, freeDays, garment, line, request, sewingSpec } from './testing/fixtures';
import { hardRuleViolations } from './testing/check-plan';
import type { CandidateLine, PlanRequest, PlanResult } from './types';

const order = fabric({ picksPerCm: 20 }); // 2,000 picks per meter
const ok = (r: PlanResult) => {
  if (!r.ok) throw new Error(`unmatched: ${r.reasons.map((x) => x.message).join('; ')}`);
  return r;
};
const miss = (r: PlanResult) => {
  if (r.ok) throw new Error('expected no plan');
  return r;
};
const plan = (req: PlanRequest, lines: readonly CandidateLine[]) => {
  const result = planOrder(req, lines);
  expect(hardRuleViolations(req, lines, result)).toEqual([]);
  return result;
};

describe('planOrder: a single line', () => {
  it('puts the whole order on one line, earliest days first', () => {
    const lines = [line('a', { free: freeDays(30, 0, 29, 600_000) })];
    const r = ok(plan(request({ order, quantity: 1000, startDay: 2, endDay: 20 }), lines));
    expect(r.allocations).toHaveLength(1);
    const [a] = r.allocations;
    expect(a?.demand).toBe(2_000_000);
    expect(a?.days).toEqual([
      { day: 2, units: 600_000 }, { day: 3, units: 600_000 }, { day: 4, units: 600_000 }, { day: 5, units: 200_000 },
    ]);
    expect(r.completionDay).toBe(5);
    expect(a?.price).toBe(2000); // 2,000,000 picks at 1 CNY per 1,000 picks
  });

  it('prefers a whole-order line over any split, however good the split lines are', () => {
    const lines = [
      line('cheap1', { ratePerUnit: 0.5, free: freeDays(30, 0, 29, 50_000) }),
      line('cheap2', { ratePerUnit: 0.5, free: freeDays(30, 0, 29, 50_000) }),
      line('whole', { ratePerUnit: 3, record: { onTimeRate: 0.1, acceptanceRate: 0.1 }, load: 0.9, free: freeDays(30, 18, 20, 1_000_000) }),
    ];
    const r = ok(plan(request({ order, quantity: 1000, endDay: 20 }), lines));
    expect(r.allocations.map((a) => a.lineId)).toEqual(['whole']);
  });

  it.each([
    ['slack', { free: freeDays(30, 10, 29, 2_000_000) }, { free: freeDays(30, 1, 29, 2_000_000) }],
    ['price', { ratePerUnit: 1.5 }, { ratePerUnit: 1.0 }],
    ['record', { record: { onTimeRate: 0.7, acceptanceRate: 0.8 } }, { record: { onTimeRate: 0.95, acceptanceRate: 0.99 } }],
    ['load spread', { load: 0.8 }, { load: 0.1 }],
  ] as const)('ranks by %s when all else is equal', (_part, worse: Partial<CandidateLine>, better: Partial<CandidateLine>) => {
    const lines = [line('a-worse', worse), line('b-better', better)];
    expect(ok(plan(request({ order }), lines)).allocations[0]?.lineId).toBe('b-better');
    expect(ok(plan(request({ order }), [...lines].reverse())).allocations[0]?.lineId).toBe('b-better');
  });

  it('weighs slack above price and price above record', () => {
    const late = freeDays(30, 15, 29, 2_000_000);
    const early = freeDays(30, 1, 29, 2_000_000);
    expect(ok(plan(request({ order }), [line('late-cheap', { free: late, ratePerUnit: 0.9 }), line('early', { free: early })])).allocations[0]?.lineId).toBe('early');
    expect(ok(plan(request({ order }), [line('cheap', { ratePerUnit: 0.8, record: { onTimeRate: 0.8, acceptanceRate: 0.8 } }), line('trusted', { record: { onTimeRate: 1, acceptanceRate: 1 } })])).allocations[0]?.lineId).toBe('cheap');
  });

  it('breaks exact ties by lineId', () => {
    expect(ok(plan(request({ order }), [line('z'), line('m'), line('q')])).allocations[0]?.lineId).toBe('m');
  });

  it('explains each allocation with its score parts', () => {
    const r = ok(plan(request({ order, startDay: 0, endDay: 10 }), [line('a', { ratePerUnit: 2, load: 0.25 }), line('b', { ratePerUnit: 1, free: freeDays(30, 5, 29, 10) })]));
    const a = r.allocations[0]!;
    expect(a.lineId).toBe('a');
    // 2,000,000 picks at 1,000,000 a day: done on day 1 of the 10-day window.
    expect(a.scoreParts).toEqual({ splits: 1, slack: 0.9, price: 0.5, record: 0.9, loadSpread: 0.75 });
    expect(a.score).toBeCloseTo(0.4 * 0.9 + 0.3 * 0.5 + 0.2 * 0.9 + 0.1 * 0.75, 12);
  });

  it('takes a sewing line below its moq when it takes the whole order', () => {
    const lines = [line('s', { spec: sewingSpec({ moq: 500 }), free: freeDays(30, 0, 29, 5000) })];
    const r = ok(plan(request({ order: garment({ samMinutes: 10 }), quantity: 100 }), lines));
    expect(r.allocations[0]?.quantity).toBe(100);
    expect(r.allocations[0]?.demand).toBe(1000);
  });
});

describe('planOrder: hard rules', () => {
  it('uses only days inside the window and never more than a day holds', () => {
    const free = [9e9, 100_000, 0, 300_000, 400_000, 9e9];
    const r = ok(plan(request({ order: fabric({ picksPerCm: 1 }), quantity: 7000, startDay: 1, endDay: 4, maxSplits: 1 }), [line('a', { free })]));
    expect(r.allocations[0]?.days).toEqual([{ day: 1, units: 100_000 }, { day: 3, units: 300_000 }, { day: 4, units: 300_000 }]);
  });

  it('treats days beyond the line\'s free array as closed', () => {
    const r = miss(plan(request({ order, quantity: 1000, startDay: 0, endDay: 40, maxSplits: 1 }), [line('a', { free: freeDays(3, 0, 2, 600_000) })]));
    expect(r.reasons[0]?.code).toBe('INSUFFICIENT_CAPACITY_BEFORE_DUE');
    expect(r.closestMiss.coveredQuantity).toBe(900);
    expect(r.closestMiss.coveredFraction).toBeCloseTo(0.9);
  });

  it('skips excluded lines, unverified and inactive factories, and lines lacking a certification', () => {
    const lines = [
      line('excluded', { ratePerUnit: 0.1 }),
      line('unverified', { ratePerUnit: 0.1, factoryVerified: false }),
      line('inactive', { ratePerUnit: 0.1, factoryActive: false }),
      line('uncertified', { ratePerUnit: 0.1, certifications: ['GRS'] }),
      line('good', { ratePerUnit: 5, certifications: ['GRS', 'OEKO-TEX'] }),
    ];
    const req = request({ order, certifications: ['OEKO-TEX', 'GRS'], excludedLineIds: ['excluded'] });
    expect(ok(plan(req, lines)).allocations.map((a) => a.lineId)).toEqual(['good']);
  });

  it('splits across lines, each split at least minSplitQuantity, summing to the order', () => {
    const lines = ['a', 'b', 'c'].map((id) => line(id, { free: freeDays(30, 0, 29, 100_000) })); // 1,000 m each by day 19
    const req = request({ order, quantity: 2500, startDay: 0, endDay: 19, maxSplits: 3, minSplitQuantity: 600 });
    const r = ok(plan(req, lines));
    expect(r.allocations).toHaveLength(3);
    expect(r.allocations.reduce((s, a) => s + a.quantity, 0)).toBe(2500);
    for (const a of r.allocations) expect(a.quantity).toBeGreaterThanOrEqual(600);
    for (const a of r.allocations) expect(a.scoreParts.splits).toBeCloseTo(1 / 3);
  });

  it('uses the fewest splits possible', () => {
    const lines = [
      line('big', { free: freeDays(30, 0, 29, 150_000) }),
      ...['s1', 's2', 's3'].map((id) => line(id, { ratePerUnit: 0.5, free: freeDays(30, 0, 29, 40_000) })),
    ];
    // big covers 1,500 m by day 19, each small line 400 m: two lines suffice, the cheap three would not be fewer.
    const r = ok(plan(request({ order, quantity: 1800, startDay: 0, endDay: 19, maxSplits: 3 }), lines));
    expect(r.allocations).toHaveLength(2);
    expect(r.allocations.map((a) => a.lineId)).toContain('big');
  });

  it('lifts the last split to the sewing line\'s moq', () => {
    const spec = sewingSpec({ moq: 300 });
    // a (preferred) could take 900 pieces by day 8, leaving b only 100: below b's moq.
    const lines = [line('a', { spec, free: freeDays(30, 0, 29, 1000) }), line('b', { spec, ratePerUnit: 2, free: freeDays(30, 0, 29, 400) })];
    const req = request({ order: garment({ samMinutes: 10 }), quantity: 1000, startDay: 0, endDay: 8, maxSplits: 2 });
    const r = ok(plan(req, lines));
    expect(r.allocations.map((a) => a.quantity).sort()).toEqual([300, 700]);
  });

  it('sizes every split demand with demandOf', () => {
    const lines = ['a', 'b'].map((id) => line(id, { spec: sewingSpec(), free: freeDays(30, 0, 29, 1000) }));
    const o = garment({ samMinutes: 7.3 });
    const r = ok(plan(request({ order: o, quantity: 2000, startDay: 0, endDay: 9, maxSplits: 2 }), lines));
    for (const a of r.allocations) expect(a.demand).toBe(demandOf(o, a.quantity));
  });
});

describe('planOrder: is deterministic', () => {
  it('returns the same plan for shuffled candidates', () => {
    const lines = Array.from({ length: 12 }, (_, i) => line(`l${i}`, { ratePerUnit: 1 + (i % 3) / 10, free: freeDays(30, i % 4, 29, 30_000 + 1000 * (i % 5)) }));
    const req = request({ order, quantity: 1500, startDay: 0, endDay: 25 });
    const first = planOrder(req, lines);
    expect(planOrder(req, [...lines].reverse())).toEqual(first);
    expect(planOrder(req, [...lines.slice(5), ...lines.slice(0, 5)])).toEqual(first);
  });
});
