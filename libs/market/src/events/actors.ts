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

/** At most this many events of one order are listed: far more than an order's life writes (a few dozen), a bound all the same. */
export const HISTORY_LIMIT = 1000;

/**
 * An order's events, oldest first: its history as the brand (`audience`: only the events it was
 * told of) or an operator (null: all) reads it. One scan of the events' order index.
 */
export async function orderHistory(m: Runner, orderId: string, audience: string | null): Promise<{ id: string; type: string; at: string; by: string | null; payload: Record<string, unknown> }[]> {
  const rows: { id: string; type: string; at: Date; by: string | null; payload: Record<string, unknown> }[] = await m.query(
    `SELECT id::text AS id, type, created_at AS at, actor AS by, payload FROM events
     WHERE order_id = $1 AND ($2::uuid IS NULL OR $2 = ANY(audience)) ORDER BY id LIMIT ${HISTORY_LIMIT}`,
    [orderId, audience],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
