import { describe, expect, it } from 'vitest';
import { SeedRng } from '../seed-rng';
import { calibrate, calibratedSam, CALIBRATION_PRIOR_WEIGHT } from './calibration';

/** Reports from a factory whose true efficiency is `efficiency`: each day's output is the plan's times it, with day-to-day noise. */
function syntheticProgress(rng: SeedRng, efficiency: number, reports: number): { produced: number; expected: number }[] {
  return Array.from({ length: reports }, () => {
    const perDay = rng.int(80, 400);
    const days = rng.int(1, 6);
    const expected = perDay * days;
    const noise = 1 + (rng.next() - 0.5) * 0.2;
    return { expected, produced: Math.round(expected * efficiency * noise) };
  });
}

describe('SAM calibration', () => {
  it.each([0.7, 0.85, 1.2])('recovers a factory efficiency of %s from synthetic progress', (efficiency) => {
    const rng = new SeedRng(42);
    const c = calibrate(syntheticProgress(rng, efficiency, 400));
    expect(c.observations).toBe(400);
    expect(Math.abs(c.efficiency - efficiency)).toBeLessThan(0.02);
  });

  it('shrinks toward 1 with few reports and trusts the data as they grow', () => {
    const rng = new SeedRng(7);
    const all = syntheticProgress(rng, 0.7, 200);
    const few = calibrate(all.slice(0, 2)).efficiency;
    const many = calibrate(all).efficiency;
    expect(few).toBeGreaterThan(0.85);
    expect(many).toBeLessThan(0.72);
    // exactly the prior's weight of reports: halfway between the data and 1
    const exact = Array.from({ length: CALIBRATION_PRIOR_WEIGHT }, () => ({ expected: 100, produced: 60 }));
    expect(calibrate(exact).efficiency).toBeCloseTo(0.8, 3);
  });

  it('knows nothing without reports and ignores reports with nothing expected yet', () => {
    expect(calibrate([])).toEqual({ efficiency: 1, observations: 0 });
    expect(calibrate([{ expected: 0, produced: 10 }])).toEqual({ efficiency: 1, observations: 0 });
  });

  it('stays within bounds and turns into the minutes that factory needs', () => {
    const wild = Array.from({ length: 100 }, () => ({ expected: 100, produced: 1000 }));
    expect(calibrate(wild).efficiency).toBe(1.5);
    expect(calibratedSam(12, { efficiency: 0.8, observations: 10 })).toBe(15);
  });
});
