import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@cloudloom/contracts';
import type { QueueBackend } from '@cloudloom/platform';
import { collectDefaultMetrics, Counter, Gauge, type Metric, Registry } from 'prom-client';
import { EventStreams } from '../events/event-streams';
import { Clock } from '../core/clock';
import { type CountedMetric, MetricCounts, type MetricCountsSnapshot } from '../core/metric-counts';
import { QUEUE_BACKEND } from '../core/tokens';
import { type LoadRow, MarketQueries } from './market.queries';

/** Seconds; a healthy market matches in well under a second, a backlog shows in the tail. */
export const TIME_TO_MATCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;
const UTILIZATION_DAYS = 30;

/** Sums reserved and capacity per key; ratio is reserved / capacity (0 when there is no capacity). */
export function utilizationBy(rows: readonly LoadRow[], key: (r: LoadRow) => string): { key: string; reserved: number; capacity: number; ratio: number }[] {
  const sums = new Map<string, { reserved: number; capacity: number }>();
  for (const row of rows) {
    const k = key(row);
    const s = sums.get(k) ?? { reserved: 0, capacity: 0 };
    s.reserved += row.reserved;
    s.capacity += row.capacity;
    sums.set(k, s);
  }
  return [...sums].map(([k, s]) => ({ key: k, ...s, ratio: s.capacity > 0 ? s.reserved / s.capacity : 0 })).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * A histogram read from the counted metrics (`MetricCounts`): prom-client's own histogram can
 * only count observations made in this process, but matches happen in whichever worker took the
 * job. The buckets are stored one by one and summed here from one snapshot, so they are
 * cumulative by construction and `+Inf` equals `_count`; the registry only needs `get()`.
 */
class CountedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    private readonly read: () => { buckets: ReadonlyMap<string, number>; sum: number },
  ) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: { metricName: string; labels: Record<string, string | number>; value: number }[] } {
    const { buckets, sum } = this.read();
    const bucket = (le: string, value: number): { metricName: string; labels: Record<string, string>; value: number } => ({ metricName: `${this.name}_bucket`, labels: { le }, value });
    let below = 0;
    const values = this.bounds.map((b) => bucket(String(b), (below += buckets.get(String(b)) ?? 0)));
    const count = below + (buckets.get('+Inf') ?? 0);
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...values, bucket('+Inf', count), { metricName: `${this.name}_sum`, labels: {}, value: sum }, { metricName: `${this.name}_count`, labels: {}, value: count }],
    };
  }
}

/** The Prometheus registry of one API process: market numbers read from the database at scrape time. */
@Injectable()
export class MarketMetrics {
  readonly registry = new Registry();

  /** The counted metrics as read by the current scrape: one statement, so one snapshot for all of them. */
  private counted: MetricCountsSnapshot = new Map();

  constructor(
    queries: MarketQueries,
    @Inject(QUEUE_BACKEND) queues: QueueBackend,
    clock: Clock,
    private readonly counts: MetricCounts,
    streams: EventStreams,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const counted = (metric: CountedMetric): ReadonlyMap<string, number> => this.counted.get(metric) ?? new Map<string, number>();

    new Counter({
      name: 'cloudloom_orders_posted_total',
      help: 'Orders posted by brands, by kind of order.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const kind of ['fabric', 'garment']) this.inc({ kind }, counted('orders_posted').get(kind) ?? 0);
      },
    });
    new Gauge({
      name: 'cloudloom_event_streams',
      help: 'GET /events streams open in this API process.',
      registers,
      collect() {
        this.set(streams.size);
      },
    });
    new Gauge({
      name: 'cloudloom_orders',
      help: 'Orders by status now.',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, n] of counted('orders')) if (n !== 0) this.set({ status }, n);
      },
    });
    this.registry.registerMetric(
      new CountedHistogram('cloudloom_time_to_match_seconds', 'Seconds from an order being posted to its first plan.', TIME_TO_MATCH_BUCKETS, () => ({
        buckets: counted('time_to_match_bucket'),
        sum: counted('time_to_match_sum').get('') ?? 0,
      })) as unknown as Metric,
    );
    new Counter({
      name: 'cloudloom_sweep_step_failures_total',
      help: 'Steps of the sweep that failed (each is logged with its id); the sweep goes on with the others.',
      labelNames: ['step'],
      registers,
      collect() {
        this.reset();
        for (const [step, n] of counted('sweep_step_failures')) this.inc({ step }, n);
      },
    });
    new Counter({
      name: 'cloudloom_jobs_failed_total',
      help: 'Jobs that used up their attempts, by job name (the sweep re-adds the work they carried).',
      labelNames: ['job'],
      registers,
      collect() {
        this.reset();
        for (const [job, n] of counted('jobs_failed')) this.inc({ job }, n);
      },
    });
    new Counter({
      name: 'cloudloom_match_races_lost_total',
      help: 'Orders whose plan lost loom-days to another matcher at commit and were planned again (ADR 0003: partitions keep this near zero).',
      registers,
      collect() {
        this.reset();
        this.inc(counted('match_races_lost').get('orders') ?? 0);
      },
    });
    new Gauge({
      name: 'cloudloom_queue_jobs',
      help: 'Jobs in each queue by state (queue depth).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const all = await Promise.all(Object.values(QueueName).map(async (queue) => ({ queue, counts: await queues.counts(queue) })));
        this.reset();
        for (const { queue, counts } of all) for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'cloudloom_offers',
      help: 'Allocations (offers) by status now.',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, n] of counted('offers')) if (n !== 0) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'cloudloom_capacity_utilization_ratio',
      help: `Reserved share of capacity over the next ${UTILIZATION_DAYS} days, by machine type (sewing lines as "sewing").`,
      labelNames: ['machine_type'],
      registers,
      async collect() {
        const rows = await queries.load(clock.today(), UTILIZATION_DAYS);
        this.reset();
        for (const u of utilizationBy(rows, (r) => r.machineType)) this.set({ machine_type: u.key }, u.ratio);
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  async text(): Promise<string> {
    await this.counts.fold();
    this.counted = await this.counts.read();
    return this.registry.metrics();
  }
}
