import { dailyCapacity, demandOf, unitsPerQuantity } from './capacity';
import { fabric, garment, sewingSpec, weavingSpec } from './testing/fixtures';

describe('dailyCapacity', () => {
  it.each([
    [{ machines: 1, rpm: 600, hoursPerDay: 22, efficiency: 0.85 }, Math.floor(600 * 60 * 22 * 0.85)],
    [{ machines: 40, rpm: 550, hoursPerDay: 22, efficiency: 0.85 }, Math.floor(40 * 550 * 60 * 22 * 0.85)],
    [{ machines: 3, rpm: 333, hoursPerDay: 7.5, efficiency: 0.77 }, Math.floor(3 * 333 * 60 * 7.5 * 0.77)],
  ])('weaves machines x rpm x 60 x hours x efficiency picks (%o)', (over, picks) => {
    expect(dailyCapacity(weavingSpec(over))).toBe(picks);
  });

  it.each([
    [{ operators: 20, minutesPerDay: 480, efficiency: 0.6 }, 5760],
    [{ operators: 7, minutesPerDay: 450, efficiency: 0.55 }, Math.floor(7 * 450 * 0.55)],
  ])('sews operators x minutes x efficiency standard minutes (%o)', (over, minutes) => {
    expect(dailyCapacity(sewingSpec(over))).toBe(minutes);
  });
});

describe('demand', () => {
  it('counts picks per meter for fabric and standard minutes per piece for garments', () => {
    expect(unitsPerQuantity(fabric({ picksPerCm: 28 }))).toBe(2800);
    expect(unitsPerQuantity(garment({ samMinutes: 12.5 }))).toBe(12.5);
  });

  it('rounds the demand of a quantity up to a whole unit', () => {
    expect(demandOf(fabric({ picksPerCm: 28 }), 1500)).toBe(4_200_000);
    expect(demandOf(garment({ samMinutes: 12.5 }), 3)).toBe(38);
    expect(demandOf(garment({ samMinutes: 0.3 }), 10)).toBe(3);
  });
});
