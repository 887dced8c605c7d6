import type { Counter } from '@cloudloom/contracts';
import type { EntityManager } from 'typeorm';

type Runner = Pick<EntityManager, 'query'>;

/** A counteroffer as stored (`offer_counters`). */
export interface CounterRow {
  readonly id: string;
  readonly allocationId: string;
  readonly orderId: string;
  readonly factoryId: string;
  readonly price: number | null;
  readonly endDate: string | null;
  readonly note: string | null;
  readonly offerPrice: number;
  readonly offerEndDate: string;
  readonly status: Counter['status'];
  readonly acceptedBy: 'brand' | 'tolerance' | null;
  readonly createdAt: Date;
  readonly answeredAt: Date | null;
}

const COLUMNS = `id, allocation_id AS "allocationId", order_id AS "orderId", factory_id AS "factoryId", price::float8 AS price, end_date::text AS "endDate", note,
  offer_price::float8 AS "offerPrice", offer_end_date::text AS "offerEndDate", status, accepted_by AS "acceptedBy", created_at AS "createdAt", answered_at AS "answeredAt"`;

/**
 * Every read and write of `offer_counters`. An open counter is closed by the database when its
 * offer stops being offered by any path (trigger `allocations_close_counter`); the answers
 * written here are the brand's (or its tolerance's). The caller holds the order's lock.
 */
export const CountersRepository = {
  /** Stores a counter and marks its allocation countered (the factory's record counts it; its answer time is now). */
  async insert(m: Runner, c: Omit<CounterRow, 'id' | 'status' | 'acceptedBy' | 'createdAt' | 'answeredAt'>): Promise<CounterRow> {
    const [row] = await m.query<CounterRow[]>(
      `WITH a AS (UPDATE allocations SET countered = true, answered_at = coalesce(answered_at, now()) WHERE id = $1)
       INSERT INTO offer_counters (allocation_id, order_id, factory_id, price, end_date, note, offer_price, offer_end_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [c.allocationId, c.orderId, c.factoryId, c.price, c.endDate, c.note, c.offerPrice, c.offerEndDate],
    );
    return row!;
  },

  async open(m: Runner, allocationId: string): Promise<CounterRow | undefined> {
    const [row] = await m.query<CounterRow[]>(`SELECT ${COLUMNS} FROM offer_counters WHERE allocation_id = $1 AND status = 'open'`, [allocationId]);
    return row;
  },

  async answer(m: Runner, id: string, answer: { status: 'accepted'; by: 'brand' | 'tolerance' } | { status: 'declined' }): Promise<void> {
    await m.query(`UPDATE offer_counters SET status = $2, accepted_by = $3, answered_at = now() WHERE id = $1 AND status = 'open'`, [id, answer.status, answer.status === 'accepted' ? answer.by : null]);
  },

  /** The latest counter of each of these allocations. */
  async latestOf(m: Runner, allocationIds: readonly string[]): Promise<Map<string, CounterRow>> {
    if (allocationIds.length === 0) return new Map();
    const rows = await m.query<CounterRow[]>(
      `SELECT DISTINCT ON (allocation_id) ${COLUMNS} FROM offer_counters WHERE allocation_id = ANY($1::uuid[]) ORDER BY allocation_id, created_at DESC, id DESC`,
      [allocationIds],
    );
    return new Map(rows.map((r) => [r.allocationId, r]));
  },
};

/** A counter as the API shows it. */
export function counterView(c: CounterRow): Counter {
  return {
    id: c.id,
    ...(c.price !== null ? { price: c.price } : {}),
    ...(c.endDate !== null ? { endDate: c.endDate } : {}),
    ...(c.note !== null ? { note: c.note } : {}),
    offerPrice: c.offerPrice,
    offerEndDate: c.offerEndDate,
    status: c.status,
    ...(c.acceptedBy !== null ? { acceptedBy: c.acceptedBy } : {}),
    createdAt: c.createdAt.toISOString(),
    ...(c.answeredAt !== null ? { answeredAt: c.answeredAt.toISOString() } : {}),
  };
}
