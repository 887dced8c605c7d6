import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MarketHistory, MarketHistoryBucket, MarketHistorySegment } from '@cloudloom/contracts';
import type { DataSource } from 'typeorm';

interface RollupRow {
  bucket: Date;
  cluster: string;
  segment: string;
  metric: string;
  value: number;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/**
 * Reads `market_rollups` (written by `MarketRollups` alone) into the history the console charts.
 * One range scan on the primary key (grain, bucket, …); the figures that are ratios are derived
 * here from the counts, so a day's fill rate is its orders' and not an average of hourly rates.
 */
@Injectable()
export class HistoryQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async history(granularity: 'hour' | 'day', from: Date, to: Date): Promise<MarketHistory> {
    const rows = await this.db.query<RollupRow[]>(
      `SELECT bucket, cluster, segment, metric, value FROM market_rollups WHERE grain = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket, cluster, segment, metric`,
      [granularity, from, to],
    );
    const market = new Map<string, Map<string, number>>();
    const unmatched = new Map<string, { reason: string; orders: number }[]>();
    const segments = new Map<string, { cluster: string; segment: string; byBucket: Map<string, Map<string, number>> }>();
    for (const r of rows) {
      const at = r.bucket.toISOString();
      if (r.cluster === '' && r.metric === 'unmatched') {
        unmatched.set(at, [...(unmatched.get(at) ?? []), { reason: r.segment, orders: r.value }]);
      } else if (r.cluster === '') {
        const m = market.get(at) ?? new Map<string, number>();
        m.set(r.metric, r.value);
        market.set(at, m);
      } else {
        const key = `${r.cluster}\u0000${r.segment}`;
        const s = segments.get(key) ?? { cluster: r.cluster, segment: r.segment, byBucket: new Map<string, Map<string, number>>() };
        const m = s.byBucket.get(at) ?? new Map<string, number>();
        m.set(r.metric, r.value);
        s.byBucket.set(at, m);
        segments.set(key, s);
      }
    }
    // A bucket exists once rolled (its `rolled` row); its other figures may be absent when zero rows matched.
    const buckets: MarketHistoryBucket[] = [...market].filter(([, m]) => m.has('rolled')).map(([at, m]) => {
      const get = (k: string): number => m.get(k) ?? 0;
      return {
        at,
        hours: get('rolled'),
        ordersPosted: get('orders_posted'),
        ordersMatched: get('orders_matched'),
        fillRate: ratio(get('orders_matched'), get('orders_posted')),
        meanTimeToMatchSeconds: ratio(get('time_to_match_seconds_sum'), get('orders_matched')),
        offersAnswered: get('offers_answered'),
        offersAccepted: get('offers_accepted'),
        acceptance: ratio(get('offers_accepted'), get('offers_answered')),
        unmatched: (unmatched.get(at) ?? []).sort((a, b) => b.orders - a.orders || a.reason.localeCompare(b.reason)),
      };
    });
    const series: MarketHistorySegment[] = [...segments.values()]
      .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.segment.localeCompare(b.segment))
      .map((s) => ({
        cluster: s.cluster,
        segment: s.segment,
        points: [...s.byBucket].map(([at, m]) => {
          const get = (k: string): number => m.get(k) ?? 0;
          return { at, booked7d: get('booked_7d'), capacity7d: get('capacity_7d'), bookedShare: ratio(get('booked_7d'), get('capacity_7d')), loomsDown: get('looms_down'), loomsReporting: get('looms_reporting') };
        }),
      }));
    return { granularity, from: from.toISOString(), to: to.toISOString(), buckets, segments: series };
  }
}
