import { Inject, Injectable } from '@nestjs/common';
import { matchPartitionOf, type OrderSpec } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG, type EnqueueOptions, type QueueBackend } from '@cloudloom/platform';
import { daysBetween } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { OrdersRepository } from '../orders/orders.repository';

/**
 * What queuing a match needs of an order: its id, its due date for the priority, and what it
 * makes for its matcher partition (ADR 0003); callers without the spec at hand leave it out and
 * it is read, once per call, only when the market is partitioned.
 */
export interface OrderToMatch {
  readonly id: string;
  readonly dueDate: string;
  readonly spec?: OrderSpec;
}

/** BullMQ priority from due-date slack: an order due sooner is matched first (1 = highest). */
export function matchPriority(today: string, dueDate: string): number {
  return Math.min(Math.max(daysBetween(today, dueDate), 0), 2_000) + 1;
}

/** The largest `matchPriority`: whatever their due dates, woken orders come after it. */
const LOWEST_FRESH = 2_001;

/**
 * Orders woken by new capacity had their plan already and may well stay unmatched: they queue
 * behind every order posted or released (their priorities are all higher), soonest due first,
 * so a wake-up of hundreds never holds up another brand's new order.
 */
export function wakePriority(today: string, dueDate: string): number {
  return LOWEST_FRESH + matchPriority(today, dueDate);
}

/**
 * How long capacity changes of one line are gathered into one wake-up. A factory toggling a day's
 * availability many times a second (inside its rate limit) used to re-queue the line's unmatched
 * orders on every change, and another brand's fresh orders waited seconds behind them; now a line
 * wakes its orders at most once per window, at the window's end.
 */
export const WAKE_WINDOW_MS = 2_000;

/** The enqueue option naming a match job's partition, when the market has partitions. */
const at = (partition: number | undefined): Pick<EnqueueOptions, 'partition'> => (partition === undefined ? {} : { partition });

/**
 * Every job the market queues, one method per kind, so a job's name, payload and priority are
 * written once. A job is a pointer to rows already committed: callers enqueue after their
 * commit, and a lost enqueue only delays the work until the sweep finds the rows waiting.
 * Methods throw what the queue throws; each caller decides whether that fails its request.
 */
@Injectable()
export class JobQueue {
  constructor(
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
  ) {}

  /** Each order's matcher partition, in order (all undefined when the market is not partitioned). */
  private async partitionsOf(orders: readonly OrderToMatch[]): Promise<(number | undefined)[]> {
    const count = this.config.matchPartitions;
    if (count === 0) return orders.map(() => undefined);
    const missing = orders.filter((o) => o.spec === undefined).map((o) => o.id);
    const read = missing.length > 0 ? await this.orders.specsOf(missing) : new Map<string, OrderSpec>();
    // An order gone meanwhile has nothing to match; its job finds that out under the row lock.
    return orders.map((o) => {
      const spec = o.spec ?? read.get(o.id);
      return spec === undefined ? 0 : matchPartitionOf(spec, count);
    });
  }

  /** One order to match, ranked by its due date. */
  async match(order: OrderToMatch, today: string): Promise<void> {
    const [partition] = await this.partitionsOf([order]);
    await this.queues.enqueue({ name: 'match-order', data: { orderId: order.id } }, { priority: matchPriority(today, order.dueDate), ...at(partition) });
  }

  /**
   * Orders to match, one job each (so each keeps its own priority and deterministic id), added in
   * one bulk call: an id the queue already holds is skipped as a single add would skip it.
   */
  async matchEach(orders: readonly OrderToMatch[], today: string): Promise<void> {
    if (orders.length === 0) return;
    const partitions = await this.partitionsOf(orders);
    await this.queues.enqueueMany(orders.map((o, i) => ({ job: { name: 'match-order', data: { orderId: o.id } }, options: { priority: matchPriority(today, o.dueDate), ...at(partitions[i]) } })));
  }

  /**
   * The orders of one post: a bulk post is one `match-orders` job per matcher partition it
   * touches, ranked by its soonest due order, so the queue's cost per order falls with the
   * batch's size.
   */
  async matchPosted(orders: readonly OrderToMatch[], today: string): Promise<void> {
    if (orders.length === 1) return this.match(orders[0]!, today);
    const partitions = await this.partitionsOf(orders);
    const groups = new Map<number | undefined, OrderToMatch[]>();
    orders.forEach((o, i) => groups.set(partitions[i], [...(groups.get(partitions[i]) ?? []), o]));
    await this.queues.enqueueMany([...groups].map(([partition, group]) => ({
      job: { name: 'match-orders', data: { orderIds: group.map((o) => o.id) } },
      options: { priority: Math.min(...group.map((o) => matchPriority(today, o.dueDate))), ...at(partition) },
    })));
  }

  /** Orders that lost capacity they held: first in line, whatever their due date. */
  async matchFirst(orderIds: readonly string[], today: string): Promise<void> {
    await this.matchEach(orderIds.map((id) => ({ id, dueDate: today })), today);
  }

  /** Unmatched orders new capacity may serve, one job each, behind every fresh order (`wakePriority`). */
  async wake(orders: readonly OrderToMatch[], today: string): Promise<void> {
    if (orders.length === 0) return;
    const partitions = await this.partitionsOf(orders);
    await this.queues.enqueueMany(orders.map((o, i) => ({ job: { name: 'match-order', data: { orderId: o.id } }, options: { priority: wakePriority(today, o.dueDate), ...at(partitions[i]) } })));
  }

  /**
   * New or grown capacity on a line: wakes the unmatched orders it can make, coalesced. The job id
   * carries the window (`WAKE_WINDOW_MS`), so every change of the line within one window adds one
   * job (BullMQ ignores an id it holds), delayed to the window's end; a change arriving while a
   * window's job already runs belongs to the next window, so it is never lost.
   */
  async capacityChanged(lineId: string, nowMs = Date.now()): Promise<void> {
    const window = Math.floor(nowMs / WAKE_WINDOW_MS);
    await this.queues.enqueue({ name: 'capacity-changed', data: { lineId, window } }, { delayMs: (window + 1) * WAKE_WINDOW_MS - nowMs });
  }

  /**
   * The rest of a wake-up that met its bound: one window later, the line's orders last planned
   * before `before` (when the chain's first wake-up ran). Its own id (per chain), so a factory's
   * change in the meantime is its own wake-up and neither swallows the other.
   */
  async capacityChangedMore(lineId: string, before: number): Promise<void> {
    await this.queues.enqueue({ name: 'capacity-changed', data: { lineId, before } }, { delayMs: WAKE_WINDOW_MS });
  }

  /** Each offer's expiry, due when the offer's time is up. */
  async expireOffers(offers: readonly { readonly allocationId: string; readonly expiresAt: Date }[], now: Date): Promise<void> {
    if (offers.length === 0) return;
    await this.queues.enqueueMany(
      offers.map((o) => ({ job: { name: 'expire-offer', data: { allocationId: o.allocationId } }, options: { delayMs: Math.max(o.expiresAt.getTime() - now.getTime(), 0) } })),
    );
  }

  /** A telemetry batch written ahead into `telemetry_batches`. */
  async ingestTelemetry(batchId: string): Promise<void> {
    await this.queues.enqueue({ name: 'ingest-telemetry', data: { batchId } });
  }

  /** Webhook deliveries whose rows are due (or soon due: `delayMs`), one job per attempt. */
  async deliverWebhooks(deliveries: readonly { readonly deliveryId: string; readonly attempt: number; readonly delayMs: number }[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queues.enqueueMany(deliveries.map((d) => ({ job: { name: 'deliver-webhook', data: { deliveryId: d.deliveryId, attempt: d.attempt } }, options: { delayMs: d.delayMs } })));
  }
}
