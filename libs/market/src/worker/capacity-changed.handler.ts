import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { productMismatch } from '@cloudloom/matching';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { OrdersRepository } from '../orders/orders.repository';

/**
 * How many unmatched orders one wake-up re-queues at most. The orders planned longest ago come
 * first, so successive wake-ups of a line take turns through a larger backlog instead of waking
 * the same ones again.
 */
const WAKE_LIMIT = 500;

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

  async handle(lineId: string): Promise<{ woken: number }> {
    const line = await this.db.manager.findOneBy(LineEntity, { id: lineId });
    if (!line?.active) return { woken: 0 };
    const today = this.clock.today();
    const waiting = await this.orders.unmatchedForLine(lineId, line.kind === 'weaving' ? 'fabric' : 'garment', today, WAKE_LIMIT);
    const served = waiting.filter((o) => productMismatch(line.spec, o.spec) === null);
    await this.jobs.wake(served, today);
    return { woken: served.length };
  }
}
