import { listStagePlanner, planChain, styleStages, type StyleSpec } from '../chain';
import { freeDays, line, sewingSpec, weavingSpec } from '../testing/fixtures';
import { calibratedSewing, calibratedSewingByCategory } from './calibrated-planner';
import { calibrate } from './calibration';

const style: StyleSpec = {
  garment: { category: 'shirt', fabricType: 'woven', samMinutes: 20 },
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 },
  fabricPerPieceM: 1.2, wastagePct: 3,
};
// 300 shirts: 6,000 standard minutes at the estimate.
const stages = styleStages(style, 300, { maxSplits: 1 });
const loom = line('loom', { spec: weavingSpec(), free: freeDays(30, 0, 29, 1_000_000) });
// Two sewing factories of 2,000 minutes a day; A is cheaper.
const sewA = line('a', { factoryId: 'A', spec: sewingSpec({ categories: ['shirt'] }), ratePerUnit: 0.4, free: freeDays(30, 0, 29, 2000) });
const sewB = line('b', { factoryId: 'B', spec: sewingSpec({ categories: ['shirt'] }), ratePerUnit: 0.5, free: freeDays(30, 0, 29, 2000) });
const request = { stages, startDay: 0, endDay: 20, transitDays: 2 };

describe('sewing planned at each factory calibrated standard minutes', () => {
  it('without calibrations plans exactly as the planner does', () => {
    const planner = listStagePlanner([loom, sewA, sewB]);
    expect(planChain(request, calibratedSewing(planner, new Map()))).toEqual(planChain(request, planner));
  });

  it('a factory that sews slower than the estimate needs more of its minutes, so the plan moves to one that keeps to it', () => {
    const planner = listStagePlanner([loom, sewA, sewB]);
    const plain = planChain(request, planner);
    if (!plain.ok) throw new Error('expected a plan');
    expect(plain.stages[1]?.allocations.map((a) => a.factoryId)).toEqual(['A']);
    // A reported 60% of what its plans expected, over many reports: 20 min become about 34 min a piece there.
    const slowA = calibrate(Array.from({ length: 40 }, () => ({ produced: 60, expected: 100 })));
    expect(slowA.efficiency).toBeLessThan(0.7);
    const calibrated = planChain(request, calibratedSewing(planner, new Map([['A', slowA]])));
    if (!calibrated.ok) throw new Error('expected a plan');
    const sewing = calibrated.stages[1]!;
    expect(sewing.allocations.map((a) => a.factoryId)).toEqual(['B']);
    expect(sewing.allocations[0]?.demand).toBe(6000);
    expect(calibrated.completionDay).toBeLessThan(plain.completionDay + 2);
  });

  it("plans a calibrated factory's line at its own figure: a faster factory needs fewer minutes, so it finishes sooner", () => {
    const onlyA = listStagePlanner([loom, sewA]);
    const plain = planChain(request, onlyA);
    const fastA = calibrate(Array.from({ length: 40 }, () => ({ produced: 140, expected: 100 })));
    const calibrated = planChain(request, calibratedSewing(onlyA, new Map([['A', fastA]])));
    if (!plain.ok || !calibrated.ok) throw new Error('expected plans');
    // 6,000 min at 2,000 a day is 3 days; at 20 / 1.38 = 14.49 min a piece, 4,347 min: 3 days still, less reserved on the last.
    expect(calibrated.stages[1]!.allocations[0]!.demand).toBeLessThan(plain.stages[1]!.allocations[0]!.demand);
    expect(calibrated.stages[1]!.allocations[0]!.demand).toBe(Math.ceil(300 * Math.round((20 / fastA.efficiency) * 100) / 100));
    expect(calibrated.completionDay).toBeLessThanOrEqual(plain.completionDay);
  });

  it('leaves weaving alone', () => {
    const planner = listStagePlanner([loom, sewA, sewB]);
    const slowA = calibrate(Array.from({ length: 40 }, () => ({ produced: 60, expected: 100 })));
    const calibrated = planChain(request, calibratedSewing(planner, new Map([['A', slowA]])));
    const plain = planChain(request, planner);
    if (!calibrated.ok || !plain.ok) throw new Error('expected plans');
    expect(calibrated.stages[0]).toEqual(plain.stages[0]);
  });

  it('by category: each style sewn at its own category calibrations, as planned alone; a category without any at the estimate', () => {
    const both = { categories: ['shirt', 'dress'] as const };
    const lines = [loom, { ...sewA, spec: sewingSpec(both) }, { ...sewB, spec: sewingSpec(both) }];
    const planner = listStagePlanner(lines);
    const slowA = calibrate(Array.from({ length: 40 }, () => ({ produced: 60, expected: 100 })));
    const byCategory = calibratedSewingByCategory(planner, new Map([['shirt', new Map([['A', slowA]])]]));
    const dresses = { ...request, stages: styleStages({ ...style, garment: { ...style.garment, category: 'dress' } }, 300, { maxSplits: 1 }) };
    const shirts = planChain(request, byCategory);
    expect(shirts).toEqual(planChain(request, calibratedSewing(planner, new Map([['A', slowA]]))));
    if (!shirts.ok) throw new Error('expected a plan');
    expect(shirts.stages[1]?.allocations.map((a) => a.factoryId)).toEqual(['B']);
    expect(planChain(dresses, byCategory)).toEqual(planChain(dresses, planner));
    expect(planChain(dresses, byCategory)).toMatchObject({ ok: true, stages: [{}, { allocations: [{ factoryId: 'A' }] }] });
  });
});
