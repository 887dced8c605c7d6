import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type DomainEventType =
  | 'order.posted'
  | 'order.matched'
  | 'order.unmatched'
  | 'order.confirmed'
  | 'order.in_production'
  | 'order.completed'
  | 'order.cancelled'
  | 'order.expired'
  | 'allocation.progress'
  | 'allocation.replanned'
  | 'line.changed'
  | 'offer.created'
  | 'offer.accepted'
  | 'offer.rejected'
  | 'offer.expired';

export interface DomainEvent {
  readonly type: DomainEventType;
  readonly orderId?: string;
  /** Organizations that may see the event; operators see all. */
  readonly audience: readonly string[];
  readonly payload: Record<string, unknown>;
}

/** Appends events inside the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class EventsWriter {
  async append(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({ type: e.type, order_id: e.orderId ?? null, audience: [...new Set(e.audience)], payload: e.payload }));
    // One round trip for any number of events; payloads are free-form JSON.
    await manager.query(
      `INSERT INTO events (type, order_id, audience, payload)
       SELECT x.type, x.order_id, ARRAY(SELECT jsonb_array_elements_text(x.audience))::uuid[], x.payload
       FROM jsonb_to_recordset($1::jsonb) AS x(type text, order_id uuid, audience jsonb, payload jsonb)`,
      [JSON.stringify(rows)],
    );
  }
}
