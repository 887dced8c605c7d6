import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AllocationStage, AllocationStatus, OrderExplanation, OrderStatus } from '@cloudloom/persistence';
import { OrderEntity } from '@cloudloom/persistence';
import type { OrderSpec, SizeBreakdown } from '@cloudloom/matching';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { type DomainEvent, eventsParameter, insertEvents, insertEventsFrom } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { type OrderFilter, orderFilterSql } from './order-search';

/** An order as the matcher reads it (under its row lock, or not), with what its earlier allocations hold. */
export type OrderToPlan = Pick<OrderEntity, 'id' | 'brandId' | 'kind' | 'status' | 'spec' | 'style' | 'quantity' | 'earliestStart' | 'dueDate' | 'maxSplits' | 'minSplitQuantity' | 'certifications'
  | 'targetPrice' | 'agreedPrice' | 'priceTolerancePct' | 'priceDeclined'> & {
  readonly earlier: readonly EarlierAllocation[];
  /** The row version read (`xmin`): any write to the order since changes it (`settleMatches` checks it). */
  readonly version: string;
};

/** An order's allocation as the matcher reads it with its order: what it holds, where, when, and (style orders) for which stage. */
export interface EarlierAllocation {
  readonly id: string;
  readonly factoryId: string;
  readonly lineId: string;
  readonly quantity: number;
  readonly producedQuantity: number;
  readonly status: AllocationStatus;
  readonly price: number;
  readonly stage: AllocationStage | null;
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * The orders table's columns as the application writes them, once: the insert's column list,
 * the type of its JSON records and each row's fields are all made from this list, and reads
 * select by the entity's field names from it.
 */
const COLUMNS = [
  ['id', 'uuid', 'id'],
  ['brand_id', 'uuid', 'brandId'],
  ['kind', 'text', 'kind'],
  ['status', 'text', 'status'],
  ['spec', 'jsonb', 'spec'],
  ['quantity', 'integer', 'quantity'],
  ['earliest_start', 'date', 'earliestStart'],
  ['due_date', 'date', 'dueDate'],
  ['max_splits', 'integer', 'maxSplits'],
  ['min_split_quantity', 'integer', 'minSplitQuantity'],
  ['certifications', 'text[]', 'certifications'],
  ['target_price', 'numeric', 'targetPrice'],
  ['agreed_price', 'numeric', 'agreedPrice'],
  ['price_tolerance_pct', 'numeric', 'priceTolerancePct'],
  ['price_declined', 'boolean', 'priceDeclined'],
  ['idempotency_key', 'text', 'idempotencyKey'],
  ['request_hash', 'text', 'requestHash'],
  ['sizes', 'jsonb', 'sizes'],
  ['style', 'jsonb', 'style'],
] as const satisfies readonly (readonly [column: string, type: string, field: keyof OrderEntity])[];

type Field = (typeof COLUMNS)[number][2];

/** `o.<column> AS "<field>"` for each field, dates as 'YYYY-MM-DD' as the entity holds them. */
function selectOf(fields: readonly Field[]): string {
  return fields
    .map((f) => {
      const [column, type] = COLUMNS.find((c) => c[2] === f)!;
      if (type === 'date') return `to_char(o.${column}, 'YYYY-MM-DD') AS "${f}"`;
      // pg reads numeric as a string; the matcher computes with these.
      return type === 'numeric' ? `o.${column}::float8 AS "${f}"` : `o.${column} AS "${f}"`;
    })
    .join(', ');
}

/**
 * Orders and their `order.posted` events in one statement, from two JSON parameters: atomic
 * without a transaction, and one round trip for one order or a hundred.
 */
const INSERT_ORDERS = `WITH o AS (
     INSERT INTO orders (${COLUMNS.map(([c]) => c).join(', ')})
     SELECT ${COLUMNS.map(([c]) => `x.${c}`).join(', ')}
     FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
     RETURNING id, created_at, updated_at),
   e AS (${insertEvents('$2')})
   SELECT id, created_at AS "createdAt", updated_at AS "updatedAt" FROM o`;

const READ_FOR_MATCHING = `SELECT o.xmin::text AS version, ${selectOf(['id', 'brandId', 'kind', 'status', 'spec', 'style', 'quantity', 'earliestStart', 'dueDate', 'maxSplits', 'minSplitQuantity', 'certifications',
  'targetPrice', 'agreedPrice', 'priceTolerancePct', 'priceDeclined'])},
       coalesce((SELECT json_agg(json_build_object('id', a.id, 'factoryId', a.factory_id, 'lineId', a.line_id, 'quantity', a.quantity,
                   'producedQuantity', a.produced_quantity, 'status', a.status, 'price', a.price::float8, 'stage', a.stage,
                   'startDate', to_char(a.start_date, 'YYYY-MM-DD'), 'endDate', to_char(a.end_date, 'YYYY-MM-DD')) ORDER BY a.created_at, a.id)
                 FROM allocations a WHERE a.order_id = o.id), '[]') AS earlier
  FROM orders o WHERE o.id = ANY($1::uuid[]) ORDER BY o.id`;

/** Orders a principal may see: a brand its own, an operator all. */
const visibleTo = (principal: Principal, id: string): { id: string; brandId?: string } =>
  principal.kind === 'operator' ? { id } : { id, brandId: principal.organizationId };

/**
 * Where an order is stored: every read and write of the `orders` table goes through here.
 * Status changes are written only for the lifecycle (lifecycle/), which decides whether they
 * are allowed. The static methods take the caller's transaction (an EntityManager).
 */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new order in memory, as `insert` stores it; stamps come from the database. */
  create(fields: Omit<OrderEntity, 'createdAt' | 'updatedAt'>): OrderEntity {
    return this.db.manager.create(OrderEntity, fields);
  }

  /** Stores the orders with their events in one statement and sets their stamps. */
  async insert(orders: readonly OrderEntity[], events: readonly DomainEvent[]): Promise<void> {
    const rows = orders.map((o) => Object.fromEntries(COLUMNS.map(([column, , field]) => [column, o[field]])));
    const stamps = await this.db.query<{ id: string; createdAt: Date; updatedAt: Date }[]>(INSERT_ORDERS, [JSON.stringify(rows), eventsParameter(events)]);
    const byId = new Map(stamps.map((s) => [s.id, s]));
    for (const o of orders) Object.assign(o, { createdAt: byId.get(o.id)!.createdAt, updatedAt: byId.get(o.id)!.updatedAt });
  }

  /**
   * The brand's orders stored under these keys; for a batch (`batchKey`), every order stored
   * under that batch's key, so a retry with fewer or more orders than the first post is seen.
   */
  findByIdempotencyKeys(brandId: string, keys: readonly string[], batchKey?: string): Promise<OrderEntity[]> {
    if (batchKey === undefined) return this.db.manager.findBy(OrderEntity, { brandId, idempotencyKey: In([...keys]) });
    return this.db.manager
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.brand_id = :brandId AND starts_with(o.idempotency_key, :prefix)', { brandId, prefix: `${batchKey} ` })
      .getMany();
  }

  /** The size breakdowns of those orders that have one, by order id. */
  async sizesOf(ids: readonly string[]): Promise<Map<string, SizeBreakdown>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; sizes: SizeBreakdown }[]>(`SELECT id, sizes FROM orders WHERE id = ANY($1::uuid[]) AND sizes IS NOT NULL`, [ids]);
    return new Map(rows.map((r) => [r.id, r.sizes]));
  }

  findVisible(principal: Principal, id: string): Promise<OrderEntity | null> {
    return this.db.manager.findOneBy(OrderEntity, visibleTo(principal, id));
  }

  findById(id: string): Promise<OrderEntity | null> {
    return this.db.manager.findOneBy(OrderEntity, { id });
  }

  /** What each order makes, by id: a match job's partition follows from it (ADR 0003). */
  async specsOf(ids: readonly string[]): Promise<Map<string, OrderSpec>> {
    const rows = await this.db.query<{ id: string; spec: OrderSpec }[]>(`SELECT id, spec FROM orders WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.spec]));
  }

  /** One page of the orders the caller sees (a brand its own, an operator all) that match the filter, and how many match. */
  async search(principal: Principal, filter: OrderFilter): Promise<{ orders: OrderEntity[]; total: number }> {
    const sql = orderFilterSql(filter, 2);
    const scope = `($1::uuid IS NULL OR o.brand_id = $1) AND ${sql.where}`;
    const params = [principal.kind === 'operator' ? null : principal.organizationId, ...sql.params];
    const [ids, [count]] = await Promise.all([
      this.db.query<{ id: string }[]>(`SELECT o.id FROM orders o WHERE ${scope} ORDER BY ${sql.orderBy} ${sql.limit}`, params),
      // The count takes no page: its parameters end before the LIMIT's two.
      this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM orders o WHERE ${scope}`, params.slice(0, -2)),
    ]);
    const found = ids.length ? await this.db.manager.findBy(OrderEntity, { id: In(ids.map((r) => r.id)) }) : [];
    const byId = new Map(found.map((o) => [o.id, o]));
    return { orders: ids.map((r) => byId.get(r.id)!), total: count?.total ?? 0 };
  }

  static lockVisible(m: EntityManager, principal: Principal, id: string): Promise<OrderEntity | null> {
    return m.findOne(OrderEntity, { where: visibleTo(principal, id), lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Locks one order: every writer of an order or its allocations takes this lock first (the
   * matcher too), so accept, reject, expiry, progress and matching of one order never interleave.
   */
  static lock(m: EntityManager, id: string): Promise<OrderEntity> {
    return m.findOneOrFail(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks several orders in id order, so two writers never deadlock on them. */
  static lockMany(m: EntityManager, ids: readonly string[]): Promise<OrderEntity[]> {
    return ids.length ? m.find(OrderEntity, { where: { id: In([...ids]) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } }) : Promise.resolve([]);
  }

  /** Locks the matcher's batch (in id order, so two batches never deadlock) with its earlier allocations, in one query. */
  static lockForMatching(m: EntityManager, ids: readonly string[]): Promise<OrderToPlan[]> {
    return m.query<OrderToPlan[]>(`${READ_FOR_MATCHING} FOR UPDATE OF o`, [ids]);
  }

  /** The matcher's batch as `lockForMatching` reads it, without locking: its writes check each order's `version`. */
  static readForMatching(m: EntityManager, ids: readonly string[]): Promise<OrderToPlan[]> {
    return m.query<OrderToPlan[]>(READ_FOR_MATCHING, [ids]);
  }

  /**
   * For the lifecycle only: it has checked the move. Static: it runs in the caller's transaction.
   * A plan waiting for the brand exists only in `awaiting_approval`, so any move clears it.
   */
  static async writeStatus(m: EntityManager, id: string, status: OrderStatus): Promise<void> {
    await m.update(OrderEntity, { id }, { status, approval: null, approvalExpiresAt: null });
  }

  /** The brand's answer to a plan above its agreed price: approved, the new price is the agreed one; declined, plans are held to it. */
  static async writePriceAnswer(m: EntityManager, id: string, answer: { agreedPrice: number } | { declined: true; explanation: OrderExplanation }): Promise<void> {
    await m.update(OrderEntity, { id }, 'agreedPrice' in answer ? { agreedPrice: answer.agreedPrice, priceDeclined: false } : { priceDeclined: true, explanation: answer.explanation });
  }

  /**
   * Every order whose approval window ended before `now` answered as declined, in one statement:
   * unmatched (partial if it holds work), held to its agreed price, with its `order.price_declined`
   * event; for the lifecycle only (it checks the moves). Answers the orders, to be planned again.
   */
  async lapseApprovals(now: Date, summary: (agreed: string) => string): Promise<{ id: string; dueDate: string }[]> {
    return this.db.query(
      `WITH due AS (
         SELECT o.id, o.brand_id, o.agreed_price, (o.approval->>'price')::numeric AS price,
                EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND a.status IN ('offered', 'accepted', 'in_production', 'produced')) AS holds
         FROM orders o WHERE o.status = 'awaiting_approval' AND o.approval_expires_at < $1
         ORDER BY o.id FOR UPDATE OF o SKIP LOCKED),
       moved AS (
         UPDATE orders o SET status = CASE WHEN due.holds THEN 'partial' ELSE 'unmatched' END, price_declined = true,
                approval = NULL, approval_expires_at = NULL, updated_at = now(),
                explanation = jsonb_build_object('summary', replace($2, '{agreed}', due.agreed_price::text), 'plannedAt', $1::timestamptz,
                  'reasons', jsonb_build_array(jsonb_build_object('code', 'PRICE_ABOVE_AGREED', 'message', replace($2, '{agreed}', due.agreed_price::text), 'lines', 0)))
         FROM due WHERE o.id = due.id
         RETURNING o.id, o.brand_id, o.due_date, due.price, due.agreed_price),
       e AS (${insertEventsFrom(`SELECT 'order.price_declined', id, ARRAY[brand_id],
              jsonb_build_object('orderId', id, 'price', price, 'agreedPrice', agreed_price, 'lapsed', true) FROM moved`)})
       SELECT id, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM moved`,
      [now, summary('{agreed}')],
    );
  }

  /** Orders in `from` not touched for `seconds`, soonest due first: the sweep's work owed. */
  waitingSince(from: readonly OrderStatus[], seconds: number, limit: number): Promise<{ id: string; dueDate: string }[]> {
    return this.db.query(
      `SELECT id, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders
       WHERE status = ANY($1::text[]) AND updated_at < now() - make_interval(secs => $2)
       ORDER BY due_date LIMIT ${limit}`,
      [from, seconds],
    );
  }

  /**
   * Style orders whose work is under way (running, or accepted and past its first day) while a
   * later stage still has work not started: the ones a late stage could now hold up (the sweep
   * looks at their forecasts). Soonest due first.
   */
  stylesUnderway(today: string, limit: number): Promise<{ id: string }[]> {
    return this.db.query(
      `SELECT o.id FROM orders o
       WHERE o.kind = 'style' AND o.status IN ('proposed', 'confirmed', 'in_production')
         AND EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND (a.status = 'in_production' OR (a.status = 'accepted' AND a.start_date <= $1::date)))
         AND EXISTS (SELECT 1 FROM allocations b WHERE b.order_id = o.id AND b.status IN ('offered', 'accepted') AND b.stage IN ('finishing', 'sewing'))
       ORDER BY o.due_date LIMIT ${limit}`,
      [today],
    );
  }

  /**
   * Moves every order in `from` due before `today` that `holds` what is asked to `to`, with its
   * `order.<to>` event, in one statement; for the lifecycle only (it chooses `from`, `to` and
   * `holds`). `nothing`: no live allocation (offered, accepted, in production, produced);
   * `produced`: some produced, nothing still open or running. Answers how many moved.
   */
  async moveOverdue(from: readonly OrderStatus[], to: OrderStatus, today: string, holds: 'nothing' | 'produced'): Promise<number> {
    const held = holds === 'nothing'
      ? `NOT EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND a.status IN ('offered', 'accepted', 'in_production', 'produced'))`
      : `EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND a.status = 'produced')
         AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND a.status IN ('offered', 'accepted', 'in_production'))`;
    const rows: unknown[] = await this.db.query(
      `WITH moved AS (
         UPDATE orders o SET status = $3, updated_at = now()
         WHERE status = ANY($2::text[]) AND due_date < $1::date AND ${held}
         RETURNING id, brand_id)
       ${insertEventsFrom(`SELECT 'order.' || $3, id, ARRAY[brand_id], jsonb_build_object('orderId', id) || CASE WHEN $4 = 'produced' THEN '{"short": true}'::jsonb ELSE '{}'::jsonb END FROM moved`)}
       RETURNING 1`,
      [today, from, to, holds],
    );
    return rows.length;
  }

  /**
   * Unmatched and partial orders new capacity on a line may serve: of the line's kind (or a style,
   * whose chain may use it), still due from
   * `today`, with a day of free capacity on the line inside their window, last planned before
   * `before`. The orders planned longest ago come first, so successive wake-ups of a line take
   * turns through a backlog larger than `limit` instead of waking the same ones again.
   */
  unmatchedForLine(lineId: string, kind: OrderEntity['kind'] | null, today: string, before: Date, limit: number): Promise<Pick<OrderEntity, 'id' | 'spec' | 'style' | 'quantity' | 'earliestStart' | 'dueDate'>[]> {
    // Style orders wait on every kind of line their chain uses; the caller checks their stages.
    return this.db.query(
      `SELECT o.id, o.spec, o.style, o.quantity, to_char(o.earliest_start, 'YYYY-MM-DD') AS "earliestStart", to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders o
       WHERE o.status IN ('unmatched', 'partial') AND (o.kind = $1 OR o.kind = 'style') AND o.due_date >= $2::date
         AND EXISTS (SELECT 1 FROM capacity_days c WHERE c.line_id = $3 AND c.capacity > c.reserved
                     AND c.day BETWEEN greatest(o.earliest_start, $2::date) AND o.due_date)
         AND o.updated_at < $4
       ORDER BY o.updated_at, o.id LIMIT ${limit}`,
      [kind, today, lineId, before],
    );
  }
}
