import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { recordOf } from './scoring';
import { fabric, freeDays, line, request } from './testing/fixtures';
import type { CandidateLine, PlanResult } from './types';

const lineId = (r: PlanResult): string | undefined => (r.ok ? r.allocations[0]?.lineId : undefined);

describe("the factory's record in ranking", () => {
  it('averages on-time rate, acceptance rate and response score alike', () => {
    expect(recordOf({ onTimeRate: 0.9, acceptanceRate: 0.6, responseScore: 0.3 })).toBeCloseTo(0.6, 12);
    expect(recordOf({ onTimeRate: 0.9, acceptanceRate: 0.6 })).toBeCloseTo(0.75, 12);
  });

  it('a line whose factory answers offers fast wins over an identical slow one, in planOrder and in the index', () => {
    const same = { free: freeDays(30, 1, 29, 2_000_000) };
    // 'a-slow' would win the exact tie by id: only the response score can put 'b-fast' first.
    const lines: CandidateLine[] = [
      line('a-slow', { ...same, record: { onTimeRate: 0.9, acceptanceRate: 0.9, responseScore: 0.2 } }),
      line('b-fast', { ...same, record: { onTimeRate: 0.9, acceptanceRate: 0.9, responseScore: 0.95 } }),
    ];
    const req = request({ order: fabric() });
    expect(lineId(planOrder(req, lines))).toBe('b-fast');
    expect(lineId(planOrder(req, [...lines].reverse()))).toBe('b-fast');
    const index = new MarketIndex({ horizon: 30 });
    for (const l of lines) index.upsertLine(l);
    const planned = index.plan(req);
    expect(lineId(planned)).toBe('b-fast');
    expect(planned.ok && planned.allocations[0]?.scoreParts.record).toBeCloseTo((0.9 + 0.9 + 0.95) / 3, 12);
  });
});
