import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { productMismatch } from '@cloudloom/matching';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { OrdersRepository } from '../orders/orders.repository';

/** How many waiting orders one capacity change wakes at most; the sweep and later changes cover the rest. */
const WAKE_LIMIT = 2000;

/**
 * The `capacity-changed` job: a new, enlarged or reopened line re-queues the unmatched orders
 * that this line could make — not the whole backlog.
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
    const waiting = await this.orders.unmatchedOfKind(line.kind === 'weaving' ? 'fabric' : 'garment', today, WAKE_LIMIT);
    const served = waiting.filter((o) => productMismatch(line.spec, o.spec) === null);
    await this.jobs.matchEach(served, today);
    return { woken: served.length };
  }
}
