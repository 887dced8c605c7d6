import { planOrder } from './plan-order';
import { fabric, finishing, finishingSpec, freeDays, garment, line, request, sewingSpec, weavingSpec } from './testing/fixtures';
import { REASON_CODES, type CandidateLine, type PlanRequest, type ReasonCode } from './types';

interface Case {
  readonly req: PlanRequest;
  readonly lines: readonly CandidateLine[];
  readonly message: RegExp;
  readonly lines_?: number;
}

const cotton280 = fabric({ fiber: 'cotton', widthCm: 280 });
const order = fabric({ picksPerCm: 20 });
const perDay = (meters: number) => freeDays(30, 0, 29, meters * 2000);

const CASES: Record<ReasonCode, Case> = {
  NO_CAPABLE_LINE: { req: request({ order: cotton280 }), lines: [line('narrow', { spec: weavingSpec({ maxWidthCm: 190 }) })], message: /^no line weaves cotton plain at 280 cm wide$/ },
  WIDTH_EXCEEDS_MAX: { req: request({ order: cotton280 }), lines: [line('a', { spec: weavingSpec({ maxWidthCm: 190 }) }), line('b', { spec: weavingSpec({ maxWidthCm: 250 }) })], message: /2 lines are narrower than 280 cm/, lines_: 2 },
  FIBER_NOT_SUPPORTED: { req: request({ order: fabric({ fiber: 'wool' }) }), lines: [line('a', { spec: weavingSpec({ machineType: 'air_jet' }) })], message: /1 line cannot weave wool/, lines_: 1 },
  WEAVE_NOT_SUPPORTED: { req: request({ order: fabric({ weave: 'jacquard' }) }), lines: [line('a', { spec: weavingSpec({ machineType: 'rapier' }) })], message: /not jacquard looms/, lines_: 1 },
  CATEGORY_NOT_SUPPORTED: { req: request({ order: garment({ category: 'coat' }) }), lines: [line('a', { spec: sewingSpec() })], message: /do not sew coat/, lines_: 1 },
  FABRIC_TYPE_NOT_SUPPORTED: { req: request({ order: garment({ fabricType: 'woven' }) }), lines: [line('a', { spec: sewingSpec({ fabricTypes: ['knit'] }) })], message: /do not sew woven fabric/, lines_: 1 },
  PROCESS_NOT_SUPPORTED: { req: request({ order: finishing({ process: 'printing' }) }), lines: [line('a', { spec: finishingSpec({ processes: ['dyeing', 'washing'] }) })], message: /1 line do not do printing/, lines_: 1 },
  CERTIFICATION_MISSING: { req: request({ certifications: ['GRS'] }), lines: [line('a', { certifications: ['OEKO-TEX'] })], message: /lack GRS/, lines_: 1 },
  FACTORY_NOT_VERIFIED: { req: request(), lines: [line('a', { factoryVerified: false }), line('b', { factoryActive: false })], message: /2 lines belong to unverified or inactive/, lines_: 2 },
  BELOW_MOQ: {
    req: request({ order: garment({ samMinutes: 10 }), quantity: 1000, startDay: 0, endDay: 9, maxSplits: 3 }),
    lines: ['a', 'b', 'c'].map((id) => line(id, { spec: sewingSpec({ moq: 500 }), free: freeDays(30, 0, 29, 400) })), // 400 pieces each by day 9
    message: /3 lines could take part of the order only below their minimum/, lines_: 3,
  },
  WINDOW_OUTSIDE_HORIZON: { req: request({ startDay: 35, endDay: 40 }), lines: [line('a')], message: /days 35-40 has no day inside the 30-day/ },
  INSUFFICIENT_CAPACITY_BEFORE_DUE: {
    req: request({ order, quantity: 1000, startDay: 0, endDay: 9, maxSplits: 2 }),
    lines: [line('a', { free: perDay(31) }), line('b', { free: perDay(31) })], // 310 m each by day 9
    message: /^best plan covers 62% by the due date \(day 9\)$/,
  },
  TOO_MANY_SPLITS_NEEDED: {
    req: request({ order, quantity: 1000, startDay: 0, endDay: 9, maxSplits: 3 }),
    lines: ['a', 'b', 'c', 'd', 'e'].map((id) => line(id, { free: perDay(25) })), // 250 m each by day 9
    message: /1,000 m needs 4 lines by the due date; the order allows 3/,
  },
};

describe('unmatched reasons', () => {
  it('has a case for every reason code', () => {
    expect(Object.keys(CASES).sort()).toEqual([...REASON_CODES].sort());
  });

  it.each(REASON_CODES.map((code) => [code] as const))('%s is reported with a readable message', (code) => {
    const c = CASES[code];
    const result = planOrder(c.req, c.lines);
    if (result.ok) throw new Error('expected no plan');
    const reason = result.reasons.find((r) => r.code === code);
    expect(reason?.message).toMatch(c.message);
    if (c.lines_ !== undefined) expect(reason?.lines).toBe(c.lines_);
  });

  it('gives the closest miss of the best plan within maxSplits', () => {
    const c = CASES.INSUFFICIENT_CAPACITY_BEFORE_DUE;
    const result = planOrder(c.req, c.lines);
    if (result.ok) throw new Error('expected no plan');
    expect(result.closestMiss).toEqual({ coveredFraction: 0.62, coveredQuantity: 620, linesConsidered: 2 });
  });

  it('reports no capable line before any line-level rule, and the rules by how many lines they ruled out', () => {
    const lines = [
      line('a', { spec: weavingSpec({ maxWidthCm: 150 }) }),
      line('b', { spec: weavingSpec({ machineType: 'water_jet' }) }),
      line('c', { spec: weavingSpec({ machineType: 'water_jet' }) }),
    ];
    const result = planOrder(request({ order: fabric({ fiber: 'cotton', widthCm: 160 }) }), lines);
    if (result.ok) throw new Error('expected no plan');
    expect(result.reasons.map((r) => [r.code, r.lines])).toEqual([['NO_CAPABLE_LINE', 0], ['FIBER_NOT_SUPPORTED', 2], ['WIDTH_EXCEEDS_MAX', 1]]);
  });
});
