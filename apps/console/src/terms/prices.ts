import type { MarketRates } from '@cloudloom/contracts';
import { TERMS_TEXT } from './text';

/** CNY per unit: up to three decimals below ¥10 (a meter's processing is often under ¥1), two above. */
export function unitPrice(perUnit: number, unit: string): string {
  const digits = perUnit < 10 ? 3 : 2;
  return TERMS_TEXT.perUnit(`¥${perUnit.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })}`, TERMS_TEXT.unit[unit] ?? unit);
}

/** A rate as typed on the line form: as many decimals as the market's rates use. */
export const rate = (v: number): string => `¥${v.toLocaleString('en-US', { maximumFractionDigits: 4 })}`;

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

const pad = (n: number): string => String(n).padStart(2, '0');

/** A moment as the console's users write it: `2026-12-07 14:30`, local time, 24 hours. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
