import { describe, expect, it } from 'vitest';
import { estimateSam, featureErrors } from './estimate';
import { SAM_FEATURES } from './operations';
import { REFERENCE_GARMENTS } from './reference-garments';

describe('SAM estimator', () => {
  it.each(REFERENCE_GARMENTS.map((g) => [g.name, g] as const))('%s lands inside its published range', (_, g) => {
    const e = estimateSam(g.spec);
    expect(e.samMinutes).toBeGreaterThanOrEqual(g.published[0]);
    expect(e.samMinutes).toBeLessThanOrEqual(g.published[1]);
    // the range brackets the figure and overlaps the published one
    expect(e.range[0]).toBeLessThan(e.samMinutes);
    expect(e.range[1]).toBeGreaterThan(e.samMinutes);
    expect(e.range[0]).toBeLessThan(g.published[1]);
    expect(e.range[1]).toBeGreaterThan(g.published[0]);
  });

  it('lists every operation, whose minutes add up to the figure', () => {
    const e = estimateSam(REFERENCE_GARMENTS[0]!.spec);
    expect(e.operations.map((o) => o.name)).toContain('neck rib attach (overlock)');
    expect(e.operations.reduce((s, o) => s + o.minutes, 0)).toBeCloseTo(e.samMinutes, 1);
  });

  it('repeats a counted feature and costs woven seams more than knit ones', () => {
    const one = estimateSam({ category: 'jacket', fabricType: 'woven', features: { patch_pocket: 1 } });
    const three = estimateSam({ category: 'jacket', fabricType: 'woven', features: { patch_pocket: 3 } });
    const patch = one.operations.filter((o) => o.name.startsWith('patch pocket')).reduce((s, o) => s + o.minutes, 0);
    expect(three.samMinutes).toBeCloseTo(one.samMinutes + 2 * patch, 1);
    expect(three.operations.some((o) => o.name === 'patch pocket attach x3')).toBe(true);
    const knit = estimateSam({ category: 'tshirt', fabricType: 'knit', features: {} });
    const woven = estimateSam({ category: 'tshirt', fabricType: 'woven', features: {} });
    expect(woven.samMinutes).toBeGreaterThan(knit.samMinutes);
  });

  it('names unknown features and bad counts', () => {
    const errors = featureErrors({ neck_rib: 1, pocket_of_holding: 1, buttons: 0, labels: 1.5 });
    expect(errors.map((e) => e.feature)).toEqual(['pocket_of_holding', 'buttons', 'labels']);
    expect(errors[0]!.message).toContain('not a known feature');
    expect(errors[1]!.message).toContain('whole number');
    expect(featureErrors({ constructor: 1, toString: 1 }).map((e) => e.feature)).toEqual(['constructor', 'toString']);
    expect(featureErrors(Object.fromEntries(SAM_FEATURES.map((f) => [f, 1])))).toEqual([]);
  });
});
