import type { MarketRates } from '@cloudloom/contracts';
import type { Domain } from '../i18n/domain';

/** CNY per unit: three decimals below ¥10 (a meter's processing is often under ¥1, where fen hide a tenth of it), two above. */
export function unitPrice(d: Domain, perUnit: number, unit: string): string {
  const price = d.f.cny(perUnit, perUnit < 10 ? 3 : 2);
  return d.t('terms.perUnit', { price, unit: d.t(`terms.unit.${unit}`, { defaultValue: unit }) });
}

/** A rate as a mill types it: as many decimals as the market's rates use. */
export const rate = (d: Domain, v: number): string => `¥${d.f.num(v, 4)}`;

/**
 * Where a rate stops being "a bit cheaper" and becomes a likely typo or a price the mill will
 * regret: Tukey's fences (1.5 interquartile ranges beyond the quartiles), but never closer to the
 * median than a quarter of it, so a market whose lines all charge the same does not flag a cent.
 */
export function fences(band: MarketRates): { low: number; high: number } | null {
  if (band.p25 === null || band.median === null || band.p75 === null || band.n === 0) return null;
  const iqr = band.p75 - band.p25;
  return { low: Math.max(0, Math.min(band.p25 - 1.5 * iqr, band.median * 0.75)), high: Math.max(band.p75 + 1.5 * iqr, band.median * 1.25) };
}

export function farOutside(value: number, band: MarketRates | undefined): boolean {
  const f = band ? fences(band) : null;
  return f !== null && Number.isFinite(value) && (value < f.low || value > f.high);
}

/** Asks before saving a rate far outside the band; true when it may be saved. */
export function confirmRate(d: Domain, value: number, band: MarketRates | undefined): boolean {
  const far = band ? fences(band) : null;
  if (!far || !farOutside(value, band)) return true;
  return window.confirm(d.t('terms.band.far', { rate: rate(d, value), low: rate(d, far.low), high: rate(d, far.high) }));
}
