import type { EntityManager } from 'typeorm';

type Runner = Pick<EntityManager, 'query'>;

/** The last change of an order: what happened, when, and who caused it (null: the platform). */
export interface LastChange {
  readonly type: string;
  readonly at: string;
  readonly by: string | null;
}

/**
 * Who did what, read back from the events each change wrote (`events.actor`): per order its last
 * event, per allocation who answered its offer. Two index scans whatever the number of orders.
 */
export async function lastChanges(m: Runner, orderIds: readonly string[]): Promise<Map<string, LastChange>> {
  if (orderIds.length === 0) return new Map();
  const rows: { orderId: string; type: string; at: Date; by: string | null }[] = await m.query(
    `SELECT DISTINCT ON (order_id) order_id AS "orderId", type, created_at AS at, actor AS by
     FROM events WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, id DESC`,
    [orderIds],
  );
  return new Map(rows.map((r) => [r.orderId, { type: r.type, at: r.at.toISOString(), by: r.by }]));
}

/** Per allocation of these orders, who accepted, rejected or countered its offer, the latest of these (null: the platform, e.g. a factory's auto-accept). */
export async function offerAnswerers(m: Runner, orderIds: readonly string[]): Promise<Map<string, string | null>> {
  if (orderIds.length === 0) return new Map();
  const rows: { allocationId: string; by: string | null }[] = await m.query(
    `SELECT DISTINCT ON (payload->>'allocationId') payload->>'allocationId' AS "allocationId", actor AS by
     FROM events WHERE order_id = ANY($1::uuid[]) AND type IN ('offer.accepted', 'offer.rejected', 'offer.countered')
     ORDER BY payload->>'allocationId', id DESC`,
    [orderIds],
  );
  return new Map(rows.map((r) => [r.allocationId, r.by]));
}
