import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type OrderSpec, productMismatch } from '@cloudloom/matching';
import type { QueueBackend } from '@cloudloom/platform';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { wakePriority } from '../jobs/match-priority';

/**
 * How many unmatched orders one wake-up re-queues at most. The orders planned longest ago come
 * first, so successive wake-ups of a line take turns through a larger backlog instead of waking
 * the same ones again.
 */
const WAKE_LIMIT = 500;

/**
 * The `capacity-changed` job: a new, enlarged or reopened line re-queues the unmatched orders
 * that this line could make — not the whole backlog. Wake-ups are coalesced per line and window
 * (`enqueueCapacityWake`); an order is woken only if its product fits the line and the line has
 * free capacity on a day of its window, and it queues behind fresh orders (`wakePriority`).
 */
@Injectable()
export class CapacityChangedHandler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    private readonly clock: Clock,
  ) {}

  async handle(lineId: string): Promise<{ woken: number }> {
    const line = await this.db.manager.findOneBy(LineEntity, { id: lineId });
    if (!line?.active) return { woken: 0 };
    const today = this.clock.today();
    const waiting: { id: string; spec: OrderSpec; dueDate: string }[] = await this.db.query(
      `SELECT o.id, o.spec, to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders o
       WHERE o.status = 'unmatched' AND o.kind = $1 AND o.due_date >= $2::date
         AND EXISTS (SELECT 1 FROM capacity_days c WHERE c.line_id = $3 AND c.capacity > c.reserved
                     AND c.day BETWEEN greatest(o.earliest_start, $2::date) AND o.due_date)
       ORDER BY o.updated_at, o.id LIMIT ${WAKE_LIMIT}`,
      [line.kind === 'weaving' ? 'fabric' : 'garment', today, lineId],
    );
    const served = waiting.filter((o) => productMismatch(line.spec, o.spec) === null);
    if (served.length > 0) {
      await this.queues.enqueueMany(served.map((o) => ({ job: { name: 'match-order' as const, data: { orderId: o.id } }, options: { priority: wakePriority(today, o.dueDate) } })));
    }
    return { woken: served.length };
  }
}
