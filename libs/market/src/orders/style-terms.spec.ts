import { plainToInstance } from 'class-transformer';
import { StyleOrderDto } from './style-order.dto';
import { chainRequestOf, checkStyle } from './style-terms';

const TODAY = '2026-12-07';
const body = (over: Record<string, unknown> = {}): StyleOrderDto => plainToInstance(StyleOrderDto, {
  kind: 'style', garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 },
  fabricPerPieceM: 1.5, quantity: 200, dueDate: '2027-01-10', ...over,
});

describe('style terms', () => {
  it('fills the defaults: tomorrow, 3% wastage, 2 transit days, 3 splits for fabric stages and 2 for sewing', () => {
    const chain = chainRequestOf(checkStyle(body({ finishing: { process: 'dyeing' } }), TODAY), TODAY);
    expect(chain).toMatchObject({ startDay: 1, endDay: 34, transitDays: 2 });
    expect(chain.stages.map((s) => [s.order.kind, s.quantity, s.maxSplits])).toEqual([['fabric', 309, 3], ['finishing', 309, 3], ['garment', 200, 2]]);
  });

  it('applies the splits sent to every stage and the wastage and transit sent', () => {
    const chain = chainRequestOf(checkStyle(body({ maxSplits: 1, wastagePct: 0, transitDays: 0, earliestStart: '2026-12-20' }), TODAY), TODAY);
    expect(chain).toMatchObject({ startDay: 13, transitDays: 0 });
    expect(chain.stages.map((s) => [s.order.kind, s.quantity, s.maxSplits])).toEqual([['fabric', 300, 1], ['garment', 200, 1]]);
  });

  it('refuses dates against today, naming the field', () => {
    expect(() => checkStyle(body({ earliestStart: '2026-12-01' }), TODAY)).toThrow();
    try {
      checkStyle(body({ earliestStart: '2027-02-01' }), TODAY);
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error)).toMatch(/dueDate/);
    }
  });
});
