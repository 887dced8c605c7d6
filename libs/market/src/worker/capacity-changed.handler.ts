import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type OrderSpec, productMismatch } from '@cloudloom/matching';
import type { QueueBackend } from '@cloudloom/platform';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { matchPriority } from '../jobs/match-priority';

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
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    private readonly clock: Clock,
  ) {}

  async handle(lineId: string): Promise<{ woken: number }> {
    const line = await this.db.manager.findOneBy(LineEntity, { id: lineId });
    if (!line?.active) return { woken: 0 };
    const today = this.clock.today();
    const waiting: { id: string; spec: OrderSpec; dueDate: string }[] = await this.db.query(
      `SELECT id, spec, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders
       WHERE status IN ('unmatched', 'partial') AND kind = $1 AND due_date >= $2::date ORDER BY due_date, id LIMIT ${WAKE_LIMIT}`,
      [line.kind === 'weaving' ? 'fabric' : 'garment', today],
    );
    const served = waiting.filter((o) => productMismatch(line.spec, o.spec) === null);
    for (const order of served) {
      await this.queues.enqueue({ name: 'match-order', data: { orderId: order.id } }, { priority: matchPriority(today, order.dueDate) });
    }
    return { woken: served.length };
  }
}
