import type { MarketRates } from '@cloudloom/contracts';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api';
import { fences, rate } from './prices';
import { TERMS_TEXT } from './text';

const T = TERMS_TEXT.band;

/** What the band is asked for: the line's kind and what it is priced by, in the factory's city. */
export interface BandQuery {
  kind: 'weaving' | 'sewing' | 'finishing';
  machineType?: string;
  category?: string;
  process?: string;
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

/** The band beside the rate field: how many lines, where, the quartiles, and a button back to the median. */
export function RateBand({ band, onUseMedian }: { band: MarketRates | undefined; onUseMedian: (median: number) => void }): ReactNode {
  if (!band) return <div className="muted small" data-testid="market-band">{T.loading}</div>;
  if (band.n === 0 || band.median === null || band.p25 === null || band.p75 === null) return <div className="muted small" data-testid="market-band">{T.none}</div>;
  const median = band.median;
  const far = fences(band);
  return (
    <div className="muted small market-band" data-testid="market-band" data-median={median} data-low={far?.low} data-high={far?.high}>
      <strong>{T.title}</strong> {T.of(band.n, band.city ?? T.market)}: {T.quartiles(rate(band.p25), rate(median), rate(band.p75))}{' '}
      <button type="button" className="ghost small" onClick={() => onUseMedian(median)}>{T.useMedian}</button>
    </div>
  );
}
