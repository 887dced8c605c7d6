import type { ChainRequest, ProductSpec } from '@cloudloom/matching';
import type { AllocationStage, AllocationStatus } from '@cloudloom/persistence';
import { addDays } from '../core/clock';
import type { EarlierAllocation } from '../orders/orders.repository';
import { paceForecast } from './forecast';
import { heldStagesOf, lateStageOf, overrunStageOf } from './stage-forecast';

const TODAY = '2026-12-07';
const at = (hours: number): Date => new Date(Date.parse(`${TODAY}T00:00:00Z`) + hours * 3_600_000);

describe('paceForecast: when running work ends at the pace its reports show', () => {
  const running = { status: 'in_production' as const, quantity: 600, producedQuantity: 100, startDate: TODAY };

  it('carries the reported pace over the remainder: 100 m in 12 h is 200 m a day, 500 m to go end two and a half days on', () => {
    expect(paceForecast(running, TODAY, at(12))).toBe(addDays(TODAY, 3));
  });

  it('measures a report in the first hours over six hours at least, so it does not extrapolate from minutes', () => {
    // 100 m by 00:30: counted as six hours (400 m a day), done in 1.25 days, not in minutes.
    expect(paceForecast(running, TODAY, at(0.5))).toBe(addDays(TODAY, 1));
    // Work whose first day is ahead is measured the same way.
    expect(paceForecast({ ...running, startDate: addDays(TODAY, 2) }, TODAY, at(0.5))).toBe(addDays(TODAY, 1));
  });

  it('has nothing to say without a pace: not running, nothing reported, or all of it made', () => {
    expect(paceForecast({ ...running, status: 'accepted' }, TODAY, at(12))).toBeUndefined();
    expect(paceForecast({ ...running, producedQuantity: 0 }, TODAY, at(12))).toBeUndefined();
    expect(paceForecast({ ...running, producedQuantity: 600, status: 'in_production' }, TODAY, at(12))).toBeUndefined();
  });
});

describe('lateStageOf: a stage ending too late for the next', () => {
  const fabric: ProductSpec = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 } };
  const garment: ProductSpec = { kind: 'garment', garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 } };
  const chain: ChainRequest = {
    stages: [{ order: fabric, quantity: 600, maxSplits: 3 }, { order: garment, quantity: 300, maxSplits: 2 }], startDay: 0, endDay: 40, transitDays: 2,
  };
  const work = (id: string, stage: AllocationStage, status: AllocationStatus, start: number, end: number): EarlierAllocation => ({
    id, factoryId: 'f', lineId: 'l', quantity: stage === 'weaving' ? 600 : 300, producedQuantity: 0, status, price: 1, stage, startDate: addDays(TODAY, start), endDate: addDays(TODAY, end),
  });
  const live = [work('w', 'weaving', 'in_production', 0, 1), work('s', 'sewing', 'offered', 3, 4)];
  const late = (forecastEnd: number | undefined, allocations = live) =>
    lateStageOf(chain, allocations, heldStagesOf(chain, allocations, TODAY, new Map(forecastEnd === undefined ? [] : [['w', addDays(TODAY, forecastEnd)]])), TODAY);

  it('names the stage, its planned and forecast end when the forecast leaves the next stage without its input', () => {
    expect(late(2)).toEqual({ index: 0, kind: 'weaving', plannedEnd: addDays(TODAY, 1), forecastEnd: addDays(TODAY, 2) });
  });

  it('is quiet while the next stage still gets its input in time, or with no forecast', () => {
    expect(late(undefined)).toBeNull();
    // Ends a day late, but the sewing starts five days after: the transit still fits.
    expect(late(2, [live[0]!, work('s', 'sewing', 'offered', 5, 6)])).toBeNull();
    // A forecast earlier than planned never pulls the stage's end in.
    expect(heldStagesOf(chain, live, TODAY, new Map([['w', TODAY]]))[0]!.endDay).toBe(1);
  });

  it('is quiet when the work after it already runs: running work is never moved', () => {
    expect(late(9, [live[0]!, work('s', 'sewing', 'in_production', 3, 4)])).toBeNull();
  });

  it('overrunStageOf still names the stage running past its plan once the work after it was given back', () => {
    const alone = [live[0]!];
    const held = heldStagesOf(chain, alone, TODAY, new Map([['w', addDays(TODAY, 9)]]));
    // Not late for the next stage: there is no next-stage work left to be late for.
    expect(lateStageOf(chain, alone, held, TODAY)).toBeNull();
    expect(overrunStageOf(chain, alone, held, TODAY, 1)).toEqual({ index: 0, kind: 'weaving', plannedEnd: addDays(TODAY, 1), forecastEnd: addDays(TODAY, 9) });
    // On plan, or asked only about stages before the first: nothing to say.
    expect(overrunStageOf(chain, alone, heldStagesOf(chain, alone, TODAY), TODAY, 1)).toBeNull();
    expect(overrunStageOf(chain, alone, held, TODAY, 0)).toBeNull();
  });
});
