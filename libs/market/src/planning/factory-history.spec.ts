import { type FactoryHistory, factoryRecord } from './factory-history';

const TTL = 1800;
const history = (over: Partial<FactoryHistory> = {}): FactoryHistory => ({ answered: 0, accepted: 0, produced: 0, onTime: 0, responses: 0, responseSeconds: 0, ...over });

describe('factoryRecord', () => {
  it('starts a new factory at the prior', () => {
    const record = factoryRecord(history(), TTL);
    expect(record).toMatchObject({ acceptanceRate: 0.9, onTimeRate: 0.9 });
    expect(record.responseSeconds).toBeCloseTo(180, 9);
    expect(record.responseScore).toBeCloseTo(0.9, 9);
  });

  it('moves with history, more the longer the history', () => {
    const oneRejection = factoryRecord(history({ answered: 1 }), TTL).acceptanceRate;
    const tenRejections = factoryRecord(history({ answered: 10 }), TTL).acceptanceRate;
    expect(oneRejection).toBeLessThan(0.9);
    expect(tenRejections).toBeLessThan(oneRejection);
    const record = factoryRecord(history({ answered: 20, accepted: 20, produced: 10, onTime: 10 }), TTL);
    expect(record).toMatchObject({ acceptanceRate: (20 + 4.5) / 25, onTimeRate: (10 + 4.5) / 15 });
  });

  it('scores response time on the offer lifetime, smoothed toward a tenth of it', () => {
    // Ten answers of 20 minutes each on 30-minute offers: mean (12,000 + 900) / 15 = 860 s.
    const slow = factoryRecord(history({ answered: 10, accepted: 10, responses: 10, responseSeconds: 10 * 1200 }), TTL);
    expect(slow.responseSeconds).toBeCloseTo((12_000 + 900) / 15, 9);
    expect(slow.responseScore).toBeCloseTo(1 - 860 / 1800, 9);
    const fast = factoryRecord(history({ answered: 10, accepted: 10, responses: 10, responseSeconds: 10 * 30 }), TTL);
    expect(fast.responseScore).toBeGreaterThan(0.9);
    // Never below 0, however late the answers.
    expect(factoryRecord(history({ responses: 100, responseSeconds: 100 * 10_000 }), TTL).responseScore).toBe(0);
  });
});
