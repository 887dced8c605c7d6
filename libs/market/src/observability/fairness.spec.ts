import { fairnessOf, gini, isSmallMill } from './fairness';

describe('fairness figures', () => {
  it('gini is 0 for equal work, (n-1)/n when one factory has it all, null with nothing to share', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(0.75, 12);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    expect(gini([])).toBeNull();
    expect(gini([0, 0])).toBeNull();
    // order of the input does not matter
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
  });

  it('a small mill is small in every kind it runs', () => {
    expect(isSmallMill(50, 0)).toBe(true);
    expect(isSmallMill(51, 0)).toBe(false);
    expect(isSmallMill(0, 30)).toBe(true);
    expect(isSmallMill(0, 31)).toBe(false);
    expect(isSmallMill(40, 200)).toBe(false);
  });

  it('shares of orders and value, counting factories without work', () => {
    const f = fairnessOf(
      [
        { small: true, value: 100 },
        { small: true, value: 0 },
        { small: false, value: 300 },
      ],
      { total: 4, atSmallMills: 1 },
    );
    expect(f).toMatchObject({ factories: 3, smallMills: 2, smallMillOrderShare: 0.25, smallMillValueShare: 0.25 });
    // sorted 0, 100, 300: (−2·0 + 0·100 + 2·300) / (3 · 400)
    expect(f.gini).toBeCloseTo(0.5, 12);
    expect(fairnessOf([], { total: 0, atSmallMills: 0 })).toEqual({ factories: 0, smallMills: 0, smallMillOrderShare: null, smallMillValueShare: null, gini: null });
  });
});
