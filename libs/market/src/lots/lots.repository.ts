import type { EntityManager } from 'typeorm';
import type { LotKind } from './identifier';
import type { Stage } from './chain-rule';

/** A stored lot where the chain rule and the sums need it. */
export interface LotPlace {
  readonly id: string;
  readonly identifier: string;
  readonly kind: LotKind;
  readonly orderId: string;
  readonly allocationId: string;
  /** The kind of the line that made it: its stage. */
  readonly stage: Stage;
}

export interface NewLot {
  readonly identifier: string;
  readonly kind: LotKind;
  readonly quantity: number;
  readonly counted: boolean;
}

export interface LotRow {
  readonly id: string;
  readonly identifier: string;
  readonly kind: LotKind;
  readonly quantity: number;
  readonly unit: 'm' | 'pcs';
  readonly counted: boolean;
  readonly allocationId: string;
  readonly orderId: string;
  readonly madeAt: Date;
  readonly inputs: string[];
}

/** The lot a resolution starts from, with its order, and whether the caller is a party of that order. */
export interface ResolvedRoot {
  readonly id: string;
  readonly identifier: string;
  readonly kind: LotKind;
  readonly quantity: number;
  readonly unit: 'm' | 'pcs';
  readonly madeAt: Date;
  readonly city: string | null;
  readonly orderId: string;
  readonly orderKind: string;
  readonly orderSpec: Record<string, unknown>;
  readonly orderQuantity: number;
  readonly dueDate: string;
  readonly party: boolean;
}

export interface TreeLot {
  readonly identifier: string;
  readonly kind: LotKind;
  readonly quantity: number;
  readonly unit: 'm' | 'pcs';
  readonly madeAt: Date;
  readonly allocationId: string;
  readonly lineId: string;
  readonly lineName: string;
  readonly lineKind: string;
  readonly factoryId: string;
  readonly factoryName: string;
  readonly factoryCity: string | null;
  /** The start of the window its machines are read over. */
  readonly since: Date;
  readonly inputs: string[];
}

export interface MachineStops {
  readonly window: number;
  readonly id: string;
  readonly externalId: string;
  readonly stops: number;
  readonly downSeconds: number;
}

const LOT_COLUMNS = `l.id::text AS id, l.identifier, l.kind, l.quantity, l.unit, l.counted, l.allocation_id AS "allocationId", l.order_id AS "orderId", l.made_at AS "madeAt",
  COALESCE((SELECT array_agg(x.identifier ORDER BY x.id) FROM lot_inputs e JOIN lots x ON x.id = e.input_id WHERE e.lot_id = l.id), '{}') AS inputs`;

/** The longest window a lot's machines are read over: a lot that took longer shows its last month. */
const MAX_WINDOW = `interval '31 days'`;

/**
 * Every read and write of `lots` and `lot_inputs` (one home). Static methods take the caller's
 * transaction; the resolution's reads take a manager too, so a test or a bench can pass its own.
 */
export class LotsRepository {
  /** Lots named as inputs, by identifier, with the stage their line makes. */
  static async places(m: EntityManager, identifiers: readonly string[]): Promise<Map<string, LotPlace>> {
    if (identifiers.length === 0) return new Map();
    const rows = await m.query<LotPlace[]>(
      `SELECT l.id::text AS id, l.identifier, l.kind, l.order_id AS "orderId", l.allocation_id AS "allocationId", ln.kind AS stage
         FROM lots l JOIN lines ln ON ln.id = l.line_id WHERE l.identifier = ANY($1::text[])`,
      [identifiers],
    );
    return new Map(rows.map((r) => [r.identifier, r]));
  }

  /** What an allocation's lots add up to: counted (rolls, batches, bundles), bundles and cartons. */
  static async sums(m: EntityManager, allocationId: string): Promise<{ counted: number; bundles: number; cartons: number }> {
    const [row] = await m.query<{ counted: string; bundles: string; cartons: string }[]>(
      `SELECT COALESCE(sum(quantity) FILTER (WHERE counted), 0) AS counted, COALESCE(sum(quantity) FILTER (WHERE kind = 'bundle'), 0) AS bundles,
              COALESCE(sum(quantity) FILTER (WHERE kind = 'carton'), 0) AS cartons FROM lots WHERE allocation_id = $1`,
      [allocationId],
    );
    return { counted: Number(row!.counted), bundles: Number(row!.bundles), cartons: Number(row!.cartons) };
  }

  /**
   * Inserts lots of one allocation; an identifier that already exists (80 random bits: it will
   * not happen, but the constraint decides, not luck) is skipped and left out of the answer, so
   * the caller draws a new one for it.
   */
  static async insert(m: EntityManager, allocation: { id: string; orderId: string; factoryId: string; lineId: string }, unit: 'm' | 'pcs', lots: readonly NewLot[]): Promise<Map<string, string>> {
    const rows = await m.query<{ id: string; identifier: string }[]>(
      `INSERT INTO lots (identifier, kind, allocation_id, order_id, factory_id, line_id, quantity, unit, counted)
       SELECT u.identifier, u.kind, $4, $5, $6, $7, u.quantity, $8, u.counted
         FROM unnest($1::text[], $2::text[], $3::int[], $9::boolean[]) WITH ORDINALITY AS u(identifier, kind, quantity, counted, n)
        ORDER BY u.n
       ON CONFLICT ON CONSTRAINT lots_identifier DO NOTHING
       RETURNING id::text AS id, identifier`,
      [lots.map((l) => l.identifier), lots.map((l) => l.kind), lots.map((l) => l.quantity), allocation.id, allocation.orderId, allocation.factoryId, allocation.lineId, unit, lots.map((l) => l.counted)],
    );
    return new Map(rows.map((r) => [r.identifier, r.id]));
  }

  static async insertInputs(m: EntityManager, edges: readonly { lotId: string; inputId: string }[]): Promise<void> {
    if (edges.length === 0) return;
    await m.query(`INSERT INTO lot_inputs (lot_id, input_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])`, [edges.map((e) => e.lotId), edges.map((e) => e.inputId)]);
  }

  /** An allocation's lots in the order they were recorded, a page at a time (`after`: the last id seen). */
  static async ofAllocation(m: EntityManager, allocationId: string, after: string | undefined, limit: number): Promise<LotRow[]> {
    return m.query<LotRow[]>(
      `SELECT ${LOT_COLUMNS} FROM lots l WHERE l.allocation_id = $1 AND l.id > $2::bigint ORDER BY l.id LIMIT $3`,
      [allocationId, after ?? '0', limit],
    );
  }

  /** Lots by identifier, as recorded: the answer of a post. */
  static async byIdentifiers(m: EntityManager, identifiers: readonly string[]): Promise<LotRow[]> {
    return m.query<LotRow[]>(`SELECT ${LOT_COLUMNS} FROM lots l WHERE l.identifier = ANY($1::text[]) ORDER BY l.id`, [identifiers]);
  }

  /**
   * The lot an identifier names, its order, the city it was made in, and whether `callerId` is a
   * party of the order: its brand, or a factory holding (or having held) work of it.
   */
  static async root(m: EntityManager, identifier: string, callerId: string | null): Promise<ResolvedRoot | undefined> {
    const [row] = await m.query<ResolvedRoot[]>(
      `SELECT l.id::text AS id, l.identifier, l.kind, l.quantity, l.unit, l.made_at AS "madeAt", f.city, l.order_id AS "orderId",
              o.kind AS "orderKind", o.spec AS "orderSpec", o.quantity AS "orderQuantity", to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate",
              ($2::uuid IS NOT NULL AND (o.brand_id = $2::uuid OR EXISTS (
                SELECT 1 FROM allocations pa WHERE pa.order_id = l.order_id AND pa.factory_id = $2::uuid
                   AND (pa.status IN ('accepted', 'in_production', 'produced') OR pa.produced_quantity > 0)))) AS party
         FROM lots l JOIN orders o ON o.id = l.order_id JOIN organizations f ON f.id = l.factory_id
        WHERE l.identifier = $1`,
      [identifier, callerId],
    );
    return row;
  }

  /**
   * The lot and its inputs, recursively, each once: one recursive query down `lot_inputs`'
   * primary key. Each lot carries the start of the window its machines are read over: its
   * allocation's previous lot, or the allocation's start, at most a month back.
   */
  static async tree(m: EntityManager, rootId: string): Promise<TreeLot[]> {
    return m.query<TreeLot[]>(
      `WITH RECURSIVE tree(id) AS (
         SELECT $1::bigint
         UNION
         SELECT e.input_id FROM tree t JOIN lot_inputs e ON e.lot_id = t.id
       )
       SELECT l.identifier, l.kind, l.quantity, l.unit, l.made_at AS "madeAt", l.allocation_id AS "allocationId",
              l.line_id AS "lineId", ln.name AS "lineName", ln.kind AS "lineKind", l.factory_id AS "factoryId", f.name AS "factoryName", f.city AS "factoryCity",
              GREATEST(COALESCE((SELECT max(p.made_at) FROM lots p WHERE p.allocation_id = l.allocation_id AND p.made_at < l.made_at), a.start_date::timestamptz), l.made_at - ${MAX_WINDOW}) AS since,
              COALESCE((SELECT array_agg(x.identifier ORDER BY x.id) FROM lot_inputs e JOIN lots x ON x.id = e.input_id WHERE e.lot_id = l.id), '{}') AS inputs
         FROM tree JOIN lots l ON l.id = tree.id JOIN lines ln ON ln.id = l.line_id JOIN organizations f ON f.id = l.factory_id
         JOIN allocations a ON a.id = l.allocation_id
        ORDER BY (l.id = $1::bigint) DESC, l.made_at DESC, l.id DESC`,
      [rootId],
    );
  }

  /**
   * Each window's line's machines and what stopped them inside it, from the loom readings: a
   * stop is a run of `down` readings that begins in the window; downtime runs from each `down`
   * reading to the next reading (or the window's end).
   */
  static async machineStops(m: EntityManager, windows: readonly { lineId: string; from: Date; to: Date }[]): Promise<MachineStops[]> {
    if (windows.length === 0) return [];
    const rows = await m.query<{ window: string; id: string; externalId: string; stops: string; downSeconds: string }[]>(
      `SELECT w.n::int - 1 AS window, mc.id, mc.external_id AS "externalId", COALESCE(r.stops, 0) AS stops, COALESCE(round(r.down_seconds), 0) AS "downSeconds"
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS w(line_id, t0, t1, n)
         JOIN machines mc ON mc.line_id = w.line_id
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE x.state = 'down' AND x.prev IS DISTINCT FROM 'down') AS stops,
                  sum(extract(epoch FROM LEAST(COALESCE(x.next_at, w.t1), w.t1) - x.at)) FILTER (WHERE x.state = 'down') AS down_seconds
             FROM (SELECT r.state, r.at, lag(r.state) OVER (ORDER BY r.at) AS prev, lead(r.at) OVER (ORDER BY r.at) AS next_at
                     FROM machine_readings r WHERE r.machine_id = mc.id AND r.at >= w.t0 AND r.at < w.t1) x
         ) r ON true
        ORDER BY w.n, mc.external_id`,
      [windows.map((w) => w.lineId), windows.map((w) => w.from), windows.map((w) => w.to)],
    );
    return rows.map((r) => ({ window: Number(r.window), id: r.id, externalId: r.externalId, stops: Number(r.stops), downSeconds: Number(r.downSeconds) }));
  }
}
