import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type OrderFilter, orderFilterSql } from '../orders/order-search';
import type { LineKind, MachineType } from '@cloudloom/matching';
import type { FactoryLoadView, MarketOrderView, MatchView, RejectReasonCountView, UnmatchedByReasonView } from './operator.views';

/** How the heatmap lists factories: unverified first then by name, or by their load ahead (`-load` busiest first). */
export type FactorySort = 'name' | '-load' | 'load';
export const FACTORY_SORTS: readonly FactorySort[] = ['name', '-load', 'load'];

/**
 * Where a page of factories ended: the sort's first key (verification for `name`, the load for the
 * others, with a factory without load as -1 or 2 so it comes last either way), then name and id.
 */
export interface FactoryCursor {
  readonly key: boolean | number;
  readonly name: string;
  readonly id: string;
}

/** Which factories and lines the heatmap shows. */
export interface FactoryFilter {
  readonly verified?: boolean;
  /** Exactly this city (as the factory signed up with it). */
  readonly city?: string;
  /** Only lines of this kind, and only factories with one. */
  readonly kind?: LineKind;
  /** Only weaving lines of this loom type, and only factories with one. */
  readonly machineType?: MachineType;
  readonly sort?: FactorySort;
  readonly after?: FactoryCursor;
}

/** A line `l` the heatmap shows: of the kind and loom type (the parameters named) asked for, if any. */
const shownLine = (kind: string, machineType: string): string =>
  `(${kind}::text IS NULL OR l.kind = ${kind}) AND (${machineType}::text IS NULL OR l.spec->>'machineType' = ${machineType})`;
/** A factory's load ahead: the mean reserved share of its shown lines' open days in [$2, $2 + $3). */
const loadSql = (factoryId: string): string =>
  `(SELECT avg(c.reserved::float8 / c.capacity) FROM lines l JOIN capacity_days c ON c.line_id = l.id
    WHERE l.factory_id = ${factoryId} AND ${shownLine('$6', '$7')} AND c.day >= $2::date AND c.day < $2::date + $3::int AND c.capacity > 0)`;

/** Reads that only operators make: across all organizations, never per caller. */
@Injectable()
export class OperatorQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Rejections summed per factory and reason code, the most first (the partial index holds only rejections). */
  rejectReasons(limit: number): Promise<RejectReasonCountView[]> {
    return this.db.query(
      `SELECT a.factory_id AS "factoryId", f.name AS "factoryName", a.reject_reason_code AS code, count(*)::int AS count
       FROM allocations a JOIN organizations f ON f.id = a.factory_id
       WHERE a.reject_reason_code IS NOT NULL
       GROUP BY a.factory_id, f.name, a.reject_reason_code
       ORDER BY count DESC, f.name, a.reject_reason_code
       LIMIT $1`,
      [limit],
    );
  }

  async recentMatches(limit: number): Promise<MatchView[]> {
    const rows = await this.db.query<(Omit<MatchView, 'matchedAt' | 'score' | 'price'> & { matchedAt: Date; score: string; price: string })[]>(
      `SELECT a.id AS "allocationId", a.order_id AS "orderId", o.kind AS "orderKind", o.status AS "orderStatus",
              o.brand_id AS "brandId", b.name AS "brandName", a.factory_id AS "factoryId", f.name AS "factoryName", f.city AS "factoryCity",
              a.line_id AS "lineId", l.name AS "lineName", a.quantity, a.status, a.score::text AS score, a.price::text AS price,
              to_char(a.start_date, 'YYYY-MM-DD') AS "startDate", to_char(a.end_date, 'YYYY-MM-DD') AS "endDate",
              a.created_at AS "matchedAt", extract(epoch FROM a.created_at - o.created_at)::float8 AS "secondsToMatch"
       FROM allocations a
       JOIN orders o ON o.id = a.order_id
       JOIN organizations b ON b.id = o.brand_id
       JOIN organizations f ON f.id = a.factory_id
       JOIN lines l ON l.id = a.line_id
       ORDER BY a.created_at DESC, a.id DESC
       LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...r, score: Number(r.score), price: Number(r.price), matchedAt: r.matchedAt.toISOString() }));
  }

  /** One page of the whole market's orders that match the search, with their brand's name, and how many match. */
  async orders(filter: OrderFilter): Promise<{ items: MarketOrderView[]; total: number }> {
    const sql = orderFilterSql(filter, 1, ['b.name']);
    const from = `FROM orders o JOIN organizations b ON b.id = o.brand_id WHERE ${sql.where}`;
    const [rows, [count]] = await Promise.all([
      this.db.query<(Omit<MarketOrderView, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date })[]>(
        `SELECT o.id, o.kind, o.status, o.spec, o.quantity, to_char(o.earliest_start, 'YYYY-MM-DD') AS "earliestStart", to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate",
                o.brand_id AS "brandId", b.name AS "brandName", o.explanation, o.created_at AS "createdAt", o.updated_at AS "updatedAt",
                (SELECT count(*)::int FROM allocations a WHERE a.order_id = o.id AND a.status NOT IN ('rejected', 'expired', 'cancelled')) AS allocations
         ${from} ORDER BY ${sql.orderBy} ${sql.limit}`,
        sql.params,
      ),
      // The count takes no page: its parameters end before the LIMIT's two.
      this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total ${from}`, sql.params.slice(0, -2)),
    ]);
    return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() })), total: count?.total ?? 0 };
  }

  /** Unmatched and partial orders grouped by each reason the planner gave, the most first, in one scan of the waiting orders. */
  async unmatchedByReason(): Promise<UnmatchedByReasonView> {
    const waiting = `FROM orders o WHERE o.status IN ('unmatched', 'partial')`;
    const [items, [count]] = await Promise.all([
      this.db.query<UnmatchedByReasonView['items']>(
        `SELECT r->>'code' AS code, count(DISTINCT o.id)::int AS orders, to_char(min(o.due_date), 'YYYY-MM-DD') AS "soonestDue",
                (array_agg(o.id::text ORDER BY o.created_at DESC, o.id DESC))[1:5] AS "orderIds"
         ${waiting.replace('WHERE', "CROSS JOIN LATERAL jsonb_array_elements(coalesce(o.explanation->'reasons', '[]'::jsonb)) AS r WHERE")}
         GROUP BY r->>'code' ORDER BY orders DESC, code`,
      ),
      this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total ${waiting}`),
    ]);
    return { total: count?.total ?? 0, items };
  }

  /**
   * Factories with each line's reserved share per day over [from, from + days): the heatmap.
   * A factory's `load` is the mean reserved share of its shown lines over their open days in the
   * window (closed days and days without a ledger row do not count). Pages by keyset on the sort.
   */
  async factories(from: string, days: number, limit: number, filter: FactoryFilter = {}): Promise<{ days: string[]; cities: string[]; items: FactoryLoadView[]; nextCursor?: FactoryCursor }> {
    const sort = filter.sort ?? 'name';
    // $1 limit, $2 from, $3 days, $4 verified, $5 city, $6 kind, $7 machine type, $8..$10 the cursor.
    const key = sort === 'name' ? 'o.verified' : `coalesce(${loadSql('o.id')}, ${sort === '-load' ? -1 : 2})`;
    const [keyType, direction, past] = sort === 'name' ? ['boolean', 'ASC', '>'] : sort === '-load' ? ['float8', 'DESC', '<'] : ['float8', 'ASC', '>'];
    // The load is read again outside, for the page's factories alone: the name sort never needs it for all.
    const factories = await this.db.query<(Omit<FactoryLoadView, 'lines'> & { key: boolean | number })[]>(
      `SELECT p.*, ${loadSql('p.id')} AS load FROM (
         SELECT * FROM (
           SELECT o.id, o.name, o.city, o.province, o.verified, o.active, o.auto_accept AS "autoAccept", o.certifications, ${key} AS key
           FROM organizations o
           WHERE o.kind = 'factory' AND ($4::boolean IS NULL OR o.verified = $4) AND ($5::text IS NULL OR o.city = $5)
             AND (($6::text IS NULL AND $7::text IS NULL) OR EXISTS (SELECT 1 FROM lines l WHERE l.factory_id = o.id AND ${shownLine('$6', '$7')}))
         ) f
         WHERE $8::${keyType} IS NULL OR f.key ${past} $8::${keyType} OR (f.key = $8::${keyType} AND (f.name, f.id) > ($9::text, $10::uuid))
         ORDER BY f.key ${direction}, f.name, f.id LIMIT $1
       ) p ORDER BY p.key ${direction}, p.name, p.id`,
      [limit, from, days, filter.verified ?? null, filter.city ?? null, filter.kind ?? null, filter.machineType ?? null, filter.after?.key ?? null, filter.after?.name ?? null, filter.after?.id ?? null],
    );
    const ids = factories.map((f) => f.id);
    const [lines, cities] = await Promise.all([
      ids.length
        ? this.db.query<{ id: string; factoryId: string; name: string; kind: LineKind; machineType: string; dailyCapacity: string; active: boolean; load: (number | null)[]; open: (number | null)[] }[]>(
            `SELECT l.id, l.factory_id AS "factoryId", l.name, l.kind, coalesce(l.spec->>'machineType', l.kind) AS "machineType",
                    l.daily_capacity::text AS "dailyCapacity", l.active,
                    array(SELECT CASE WHEN c.capacity > 0 THEN (c.reserved::float8 / c.capacity) WHEN c.line_id IS NULL THEN NULL ELSE 0 END
                          FROM generate_series($2::date, $2::date + ($3::int - 1), interval '1 day') AS d
                          LEFT JOIN capacity_days c ON c.line_id = l.id AND c.day = d::date
                          ORDER BY d) AS load,
                    array(SELECT CASE WHEN c.line_id IS NULL THEN NULL WHEN l.daily_capacity > 0 THEN least(c.capacity::float8 / l.daily_capacity, 1) ELSE 0 END
                          FROM generate_series($2::date, $2::date + ($3::int - 1), interval '1 day') AS d
                          LEFT JOIN capacity_days c ON c.line_id = l.id AND c.day = d::date
                          ORDER BY d) AS open
             FROM lines l WHERE l.factory_id = ANY($1::uuid[]) AND ${shownLine('$4', '$5')}
             ORDER BY l.created_at, l.id`,
            [ids, from, days, filter.kind ?? null, filter.machineType ?? null],
          )
        : [],
      this.db.query<{ city: string }[]>(`SELECT DISTINCT city FROM organizations WHERE kind = 'factory' AND city IS NOT NULL ORDER BY city`),
    ]);
    const dayList = Array.from({ length: days }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    const last = factories.at(-1);
    return {
      days: dayList,
      cities: cities.map((c) => c.city),
      ...(last && factories.length === limit ? { nextCursor: { key: last.key, name: last.name, id: last.id } } : {}),
      items: factories.map(({ key: _, ...f }) => ({
        ...f,
        lines: lines.filter((l) => l.factoryId === f.id).map(({ factoryId: _f, dailyCapacity, ...l }) => ({ ...l, dailyCapacity: Number(dailyCapacity) })),
      })),
    };
  }

  async orderStatus(id: string): Promise<{ status: string; dueDate: string } | undefined> {
    const [row] = await this.db.query<{ status: string; dueDate: string }[]>(`SELECT status, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders WHERE id = $1`, [id]);
    return row;
  }

  /** True when a factory was found (and is now verified). */
  /** Verifies a factory; answers its active lines (which may now take waiting orders), or undefined if no such factory. */
  async verifyFactory(id: string): Promise<string[] | undefined> {
    // Through a CTE: TypeORM answers a bare UPDATE with [rows, count] rather than the rows.
    const rows = await this.db.query<unknown[]>(`WITH v AS (UPDATE organizations SET verified = true WHERE id = $1 AND kind = 'factory' RETURNING id) SELECT id FROM v`, [id]);
    if (rows.length === 0) return undefined;
    const lines = await this.db.query<{ id: string }[]>(`SELECT id FROM lines WHERE factory_id = $1 AND active ORDER BY id`, [id]);
    return lines.map((l) => l.id);
  }
}
