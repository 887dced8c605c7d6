import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { productMismatch, styleStages } from '@cloudloom/matching';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { OrdersRepository } from '../orders/orders.repository';
import { termsOfStored } from '../orders/style-terms';

/**
 * How many unmatched orders one wake-up re-queues at most. The orders planned longest ago come
 * first; a wake-up that meets the bound queues its continuation, which takes the next ones still
 * not planned since the chain began, so a backlog of any size is worked through in steps of this
 * size and never left waiting for the line's next change.
 */
export const WAKE_LIMIT = 500;

/**
 * The `capacity-changed` job: a new, enlarged or reopened line re-queues the unmatched orders
 * that this line could make — not the whole backlog. Wake-ups are coalesced per line and window
 * (`JobQueue.capacityChanged`); an order is woken only if its product fits the line and the line has
 * free capacity on a day of its window, and it queues behind fresh orders (`wakePriority`).
 */
@Injectable()
export class CapacityChangedHandler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly orders: OrdersRepository,
    private readonly clock: Clock,
  ) {}

  /** `before`: set on a continuation, the time its chain's first wake-up ran (ms since the epoch). */
  async handle(lineId: string, before?: number): Promise<{ woken: number; more: boolean }> {
    const line = await this.db.manager.findOneBy(LineEntity, { id: lineId });
    if (!line?.active) return { woken: 0, more: false };
    const now = this.clock.now();
    const today = this.clock.today();
    const since = before ?? now.getTime();
    // Finishing is a stage of a style order only: only style orders wait on a finishing line.
    const kind = line.kind === 'finishing' ? null : line.kind === 'weaving' ? 'fabric' : 'garment';
    const waiting = await this.orders.unmatchedForLine(lineId, kind, today, new Date(since), WAKE_LIMIT);
    // A style order is woken when the line can make one of its stages.
    const served = waiting.filter((o) => (o.style === null
      ? productMismatch(line.spec, o.spec) === null
      : styleStages(termsOfStored({ ...o, style: o.style }).style, o.quantity, { maxSplits: 1 }).some((stage) => productMismatch(line.spec, stage.order) === null)));
    await this.jobs.wake(served, today);
    // The woken orders are planned again (their updated_at moves past `since`) before the
    // continuation runs, or are still queued under their job ids, so it takes the next ones.
    const more = waiting.length === WAKE_LIMIT;
    if (more) await this.jobs.capacityChangedMore(lineId, since);
    return { woken: served.length, more };
  }
}
