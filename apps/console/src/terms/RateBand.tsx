import type { MarketRates } from '@cloudloom/contracts';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { farOutside, fences, rate } from './prices';

/** What the band is asked for: the line's kind and what it is priced by, in the factory's city. */
export interface BandQuery {
  kind: 'weaving' | 'sewing' | 'finishing';
  machineType?: string | undefined;
  category?: string | undefined;
  process?: string | undefined;
  city?: string | null;
}

/** The market's band for lines like this one (`GET /market/rates`); undefined while it loads or when it cannot be read. */
export function useMarketBand(query: BandQuery): MarketRates | undefined {
  const [band, setBand] = useState<MarketRates>();
  const params = new URLSearchParams({ kind: query.kind });
  if (query.kind === 'weaving' && query.machineType) params.set('machineType', query.machineType);
  if (query.kind === 'sewing' && query.category) params.set('category', query.category);
  if (query.kind === 'finishing' && query.process) params.set('process', query.process);
  if (query.city) params.set('city', query.city);
  const path = `/market/rates?${params.toString()}`;
  useEffect(() => {
    let live = true;
    setBand(undefined);
    // Without the band the form still works: the mill types its rate as before.
    api<MarketRates>('GET', path).then((b) => live && setBand(b), () => undefined);
    return () => {
      live = false;
    };
  }, [path]);
  return band;
}

/**
 * The band beside a rate field (not in its label: the band is not the field's name): how many
 * lines, where, the quartiles, a button back to the median, and a flag on a rate far outside it.
 */
export function RateBand({ band, value, onUseMedian }: { band: MarketRates | undefined; value: string; onUseMedian: (median: number) => void }): ReactNode {
  const d = useDomain();
  const { t } = d;
  if (!band) return <div className="muted small" data-testid="market-band">{t('terms.band.loading')}</div>;
  if (band.n === 0 || band.median === null || band.p25 === null || band.p75 === null) return <div className="muted small" data-testid="market-band">{t('terms.band.none')}</div>;
  const median = band.median;
  const far = fences(band);
  return (
    <>
      <div className="muted small market-band" data-testid="market-band" data-median={median} data-low={far?.low} data-high={far?.high}>
        <strong>{t('terms.band.title')}</strong> {t('terms.band.of', { count: band.n, where: band.city ?? t('terms.band.market') })}:{' '}
        {t('terms.band.quartiles', { p25: rate(d, band.p25), median: rate(d, median), p75: rate(d, band.p75) })}{' '}
        <button type="button" className="ghost small" onClick={() => onUseMedian(median)}>{t('terms.band.useMedian')}</button>
      </div>
      {value.trim() !== '' && farOutside(Number(value), band) ? <div className="field-error small" data-testid="rate-far">{t('terms.band.farShort')}</div> : null}
    </>
  );
}
