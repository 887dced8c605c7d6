import { SeedRng } from '@cloudloom/matching';
import { backtest, errorsOf, fitHoltWinters, forecastDemand, forecastFrom, holtWinters, seasonalNaive } from './seasonal-forecast';

/** Working-day pattern: Sunday quiet, Saturday half. */
const WEEKDAY = [100, 110, 105, 108, 115, 60, 10];
const seasonal = (days: number, slope: number, noise: number, seed = 7): number[] => {
  const rng = new SeedRng(seed);
  return Array.from({ length: days }, (_, t) => Math.max(0, WEEKDAY[t % 7]! + slope * t + noise * rng.normal()));
};

describe('seasonal demand forecast', () => {
  it('the naive baseline repeats the last week, weekday for weekday', () => {
    const series = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    expect(seasonalNaive(series, 10)).toEqual([8, 9, 10, 11, 12, 13, 14, 8, 9, 10]);
    expect(() => seasonalNaive([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('Holt-Winters learns a clean weekly pattern with a trend and continues it', () => {
    const series = seasonal(70, 0.5, 0);
    const next = seasonal(84, 0.5, 0).slice(70);
    const fit = fitHoltWinters(series);
    const predicted = forecastFrom(fit, 14);
    const { mae } = errorsOf(next, predicted);
    expect(mae).toBeLessThan(2); // on values of 10..150
    // The baseline misses the trend by 7 × 0.5 a day.
    expect(errorsOf(next, seasonalNaive(series, 14)).mae).toBeGreaterThan(3.4);
  });

  it('beats the naive baseline on noisy seeded demand, over several origins', () => {
    for (const seed of [1, 2, 3]) {
      const series = seasonal(140, 0.2, 12, seed);
      const options = { horizon: 14, origins: 6, step: 7 };
      const hw = backtest(series, forecastDemand, options);
      const naive = backtest(series, seasonalNaive, options);
      expect(hw.points).toBe(84);
      expect(hw.mae).toBeLessThan(naive.mae);
    }
  });

  it('the weights chosen are the ones with the least one-step error', () => {
    const series = seasonal(56, 0, 5);
    const best = fitHoltWinters(series);
    expect(best.sse).toBeLessThanOrEqual(holtWinters(series, { alpha: 0.5, beta: 0.1, gamma: 0.5 }).sse);
    expect(() => holtWinters(series.slice(0, 10), best.params)).toThrow(RangeError);
  });

  it('never forecasts negative demand and falls back on short history', () => {
    const falling = Array.from({ length: 28 }, (_, t) => Math.max(0, 50 - 2 * t));
    expect(forecastDemand(falling, 30).every((x) => x >= 0)).toBe(true);
    expect(forecastDemand([3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([4, 5, 6]);
    expect(forecastDemand([2, 4], 3)).toEqual([3, 3, 3]);
    expect(forecastDemand([], 2)).toEqual([0, 0]);
  });

  it('MAE and MAPE, skipping days without demand for the percentage', () => {
    expect(errorsOf([10, 0, 20], [12, 1, 15])).toEqual({ mae: 8 / 3, mape: (0.2 + 0.25) / 2, points: 3 });
    expect(errorsOf([0, 0], [1, 1]).mape).toBeNull();
    expect(() => errorsOf([1], [])).toThrow(RangeError);
  });
});
