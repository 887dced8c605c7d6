import { factoryRecord } from './market-snapshot';

describe('factoryRecord', () => {
  it('starts a new factory at the prior', () => {
    expect(factoryRecord(0, 0, 0, 0)).toEqual({ acceptanceRate: 0.9, onTimeRate: 0.9 });
  });

  it('moves with history, more the longer the history', () => {
    const oneRejection = factoryRecord(1, 0, 0, 0).acceptanceRate;
    const tenRejections = factoryRecord(10, 0, 0, 0).acceptanceRate;
    expect(oneRejection).toBeLessThan(0.9);
    expect(tenRejections).toBeLessThan(oneRejection);
    expect(factoryRecord(20, 20, 10, 10)).toEqual({ acceptanceRate: (20 + 4.5) / 25, onTimeRate: (10 + 4.5) / 15 });
  });
});
