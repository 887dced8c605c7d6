import { SEWING_CLUSTERS, SeedRng, WEAVING_CLUSTERS } from '@cloudloom/market';

/**
 * A seeded order history for the forecast bench: per weaving cluster × machine type and sewing
 * cluster × category, the capacity units ordered per day. The volume follows the seed's cluster
 * and machine shares; the shape is what mills see: a working-week pattern (Saturday half, Sunday
 * quiet), a slow trend per series, log-normal day-to-day noise, and a few one-week surges
 * (a brand's campaign) that no forecast should chase.
 */
export interface DemandSeries {
  readonly key: string;
  readonly daily: number[];
}

const WEEKDAY = [1, 1.08, 1.05, 1.1, 1.12, 0.55, 0.12];

export function demandHistory(days: number, seed: number): DemandSeries[] {
  const rng = new SeedRng(seed);
  const series: DemandSeries[] = [];
  const make = (key: string, volume: number): void => {
    const trend = rng.range(-0.002, 0.004); // per day, relative
    const noise = rng.range(0.12, 0.3);
    const surges = new Set<number>();
    for (let s = rng.int(0, 2); s > 0; s--) {
      const start = rng.int(14, days - 7);
      for (let d = start; d < start + 7; d++) surges.add(d);
    }
    const daily = Array.from({ length: days }, (_, t) => {
      const level = volume * (1 + trend * t) * WEEKDAY[t % 7]! * (surges.has(t) ? 1.8 : 1);
      return Math.max(0, Math.round(level * Math.exp(noise * rng.normal() - (noise * noise) / 2)));
    });
    series.push({ key, daily });
  };
  for (const c of WEAVING_CLUSTERS) for (const [machine, share] of c.machines) make(`${c.town} × ${machine}`, 20_000 * c.share * share);
  for (const c of SEWING_CLUSTERS) for (const category of c.categories) make(`${c.town} × ${category}`, 4_000 * c.share / c.categories.length);
  return series;
}
