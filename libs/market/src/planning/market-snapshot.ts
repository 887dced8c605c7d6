import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CandidateLine, type LineSpec, MarketIndex, type PlanRequest, type PlanResult } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import type { PriceCovers } from '@cloudloom/contracts';
import { Clock } from '../core/clock';
import { FACTORY_HISTORY, type FactoryHistory, factoryRecord } from './factory-history';

interface LineRow extends FactoryHistory {
  lineId: string;
  factoryId: string;
  spec: LineSpec;
  ratePerUnit: number;
  priceCovers: PriceCovers;
  lineActive: boolean;
  certifications: string[];
  verified: boolean;
  factoryActive: boolean;
  autoAccept: boolean;
  days: number[] | null;
  free: number[] | null;
  load: number | null;
}

/** Lines loaded per query on a full load, so memory stays flat on a market of any size. */
/**
 * The last change number handed out. A sequence never called reports `last_value` 1 before it has
 * issued it, so on a platform whose first line comes after the first snapshot the cursor would
 * pass 1 unseen and that line would stay out of the market until the next full reload.
 */
const LAST_ISSUED = `(CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text`;

const LOAD_BATCH = 5000;
/** Refreshes closer together than this are coalesced: one query serves a burst of orders. */
const REFRESH_EVERY_MS = 100;
/**
 * The same with matcher partitions (ADR 0003). Each of N leaders refreshed up to ten times a
 * second, so N workers sent N times the refreshes for the same orders: with four workers on two
 * cores there were more refreshes than match transactions, one statement in six of the workers'
 * (docs/performance.md, "Matcher partitions: where four workers' CPU went"). A leader's orders
 * mostly use lines no other leader plans, so numbers a little older cost few lost races, and the
 * database still decides every race; an unmatched verdict is still given only on numbers read
 * just now.
 */
const PARTITIONED_REFRESH_EVERY_MS = 250;
/**
 * Change numbers are taken when a row is written but become visible at commit, so a number can
 * appear after larger ones were read: the cursor only moves past numbers known to be settled,
 * and each refresh re-reads what changed since. A number read at one refresh is settled once
 * every transaction that was running when the next refresh began has ended (the writers of that
 * number had their transaction ids by then), which PostgreSQL's snapshot bounds tell exactly;
 * so the re-read window is a few refreshes long, not seconds long (at a thousand matches a
 * second, seconds of changes were thousands of cells per refresh). Failing that (a long
 * transaction anywhere on the server holds the oldest id back), a number is taken as settled
 * after this long, and the whole market is reloaded every few minutes as a backstop.
 */
const VISIBILITY_LAG_MS = 2_000;
const FULL_RELOAD_EVERY_MS = 10 * 60_000;
/** Re-reading more lines than this before declaring an order unmatched is left to the refresh. */
const CONFIRM_LIMIT = 200;

const LINE_SELECT = `
  SELECT l.id AS "lineId", l.factory_id AS "factoryId", l.spec, l.rate_per_unit::float8 AS "ratePerUnit", l.price_covers AS "priceCovers", l.active AS "lineActive",
         o.certifications, o.verified, o.active AS "factoryActive", o.auto_accept AS "autoAccept",
         c.days, c.free, c.load, r.answered, r.accepted, r.produced, r."onTime", r.responses, r."responseSeconds"
  FROM lines l JOIN organizations o ON o.id = l.factory_id
  LEFT JOIN LATERAL (
    SELECT ${FACTORY_HISTORY}
    FROM allocations WHERE factory_id = o.id) r ON true
  LEFT JOIN LATERAL (
    SELECT array_agg((day - $1::date) ORDER BY day) AS days, array_agg((capacity - reserved)::float8 ORDER BY day) AS free,
           sum(reserved)::float8 / NULLIF(sum(capacity), 0) AS load
    FROM capacity_days WHERE line_id = l.id AND day >= $1::date AND day < $1::date + $2::int) c ON true`;

/** A change number read at a refresh, and when it is known to be settled (see VISIBILITY_LAG_MS). */
interface Observation {
  readonly at: number;
  readonly version: bigint;
  /** Every transaction that wrote a number up to `version` has an id below this (a later snapshot's xmax). */
  writersBelow?: bigint;
}

/** A ledger cell as read back: its line, its day index from day 0, and its free units. */
interface Cell {
  readonly lineId: string;
  readonly d: number;
  readonly free: number;
}

function applyCells(index: MarketIndex, cells: readonly Cell[]): void {
  for (const cell of cells) if (index.has(cell.lineId)) index.setFree(cell.lineId, cell.d, cell.free);
}

/**
 * The market in memory for the planner (libs/matching MarketIndex): loaded once, then kept
 * current by reading only the ledger rows and lines whose change number moved. The worker
 * therefore never loads the market per order.
 *
 * The snapshot may lag the database by a moment; it never decides anything alone. Reservations
 * are conditional updates in PostgreSQL: a plan made on stale numbers loses its race, the lines
 * it touched are re-read, and the order is planned again. Before an order is declared
 * unmatched, the ledger of its capable lines is re-read too, so a missed release cannot leave
 * it unmatched.
 */
@Injectable()
export class MarketSnapshot {
  private readonly logger = new Logger('market-snapshot');
  private index: MarketIndex | undefined;
  private day0 = '';
  /** Everything changed up to this number is in the index. */
  private version = 0n;
  /** Sequence values seen recently, oldest first: the cursor advances only past settled ones. */
  private observed: Observation[] = [];
  /** The oldest transaction id still running at the last refresh (its snapshot's xmin). */
  private oldestRunning = 0n;
  private refreshedAt = 0;
  private loadedAt = 0;
  private pending: Promise<void> | undefined;
  private readonly autoAccept = new Map<string, boolean>();
  /** What each line's rate pays for: a quote says what its price covers without a query. */
  private readonly covers = new Map<string, PriceCovers>();
  private readonly refreshEveryMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.refreshEveryMs = config.matchPartitions > 0 ? PARTITIONED_REFRESH_EVERY_MS : REFRESH_EVERY_MS;
  }

  /** Plans on current numbers; `today` is day 0 of the request's day indexes. */
  async plan(request: PlanRequest): Promise<PlanResult> {
    const first = (await this.indexFor([])).plan(request);
    if (first.ok) return first;
    return (await this.indexFor([request], true)).plan(request);
  }

  /**
   * The index to plan on. `fresh`: an unmatched verdict is one the brand sees, so before one is
   * given the index is brought up to date — lines added since the last look, and the current
   * ledger of the lines that could make these requests.
   */
  async indexFor(requests: readonly PlanRequest[], fresh = false): Promise<MarketIndex> {
    const index = await this.current(fresh);
    if (!fresh) return index;
    const capable = new Set<string>();
    for (const request of requests) {
      const lines = index.candidatesFor(request.order);
      if (lines.length <= CONFIRM_LIMIT) for (const line of lines) capable.add(line.lineId);
    }
    const from = Math.max(0, Math.min(...requests.map((r) => r.startDay)));
    const to = Math.min(this.config.horizonDays - 1, Math.max(...requests.map((r) => r.endDay)));
    await this.rereadLedger([...capable], from, to);
    return index;
  }

  autoAccepts(factoryId: string): boolean {
    return this.autoAccept.get(factoryId) ?? false;
  }

  /** What a plan's price pays for: the one thing its lines declare, or `mixed` when they differ. */
  coversOf(lineIds: readonly string[]): PriceCovers | 'mixed' {
    const declared = new Set(lineIds.map((id) => this.covers.get(id) ?? 'processing'));
    return declared.size > 1 ? 'mixed' : ([...declared][0] ?? 'processing');
  }

  /** After a lost race or a rolled-back batch: the ledger of the lines a stale plan used is read again. */
  async reload(lineIds: readonly string[]): Promise<void> {
    await this.rereadLedger(lineIds, 0, this.config.horizonDays - 1);
  }

  /**
   * The current free units of these lines on days `from`..`to`: ledger cells only. Whether an
   * order fits depends on them; the lines' other parts (spec, state, their factories' records)
   * change rarely and come with the refresh, and reading them again with their factories'
   * histories cost each lost race or unmatched verdict tens of milliseconds.
   */
  private async rereadLedger(lineIds: readonly string[], from: number, to: number): Promise<void> {
    if (lineIds.length === 0 || !this.index || from > to) return;
    const cells = await this.db.query<Cell[]>(
      `SELECT line_id AS "lineId", day - $1::date AS d, (capacity - reserved)::float8 AS free FROM capacity_days
       WHERE line_id = ANY($2::uuid[]) AND day >= $1::date + $3::int AND day <= $1::date + $4::int`,
      [this.day0, lineIds, from, to],
    );
    applyCells(this.index, cells);
  }

  private async current(force = false): Promise<MarketIndex> {
    const today = this.clock.today();
    if (!this.index || this.day0 !== today || Date.now() - this.loadedAt > FULL_RELOAD_EVERY_MS) {
      this.pending ??= this.load(today).finally(() => (this.pending = undefined));
      await this.pending;
    } else if (force || Date.now() - this.refreshedAt >= this.refreshEveryMs) {
      this.pending ??= this.refresh().finally(() => (this.pending = undefined));
      await this.pending;
    }
    return this.index!;
  }

  private async load(today: string): Promise<void> {
    const started = Date.now();
    const [{ version } = { version: '0' }] = await this.db.query<{ version: string }[]>(`SELECT ${LAST_ISSUED} AS version FROM ledger_version`);
    const index = new MarketIndex({ horizon: this.config.horizonDays });
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db.query<LineRow[]>(`${LINE_SELECT} WHERE l.id > $3::uuid ORDER BY l.id LIMIT ${LOAD_BATCH}`, [today, this.config.horizonDays, after]);
      for (const row of rows) this.put(index, row);
      if (rows.length < LOAD_BATCH) break;
      after = rows[rows.length - 1]!.lineId;
    }
    // Sorted buckets and the split scan's copy of the days are built here, not by the first orders planned.
    index.prepare();
    this.index = index;
    this.day0 = today;
    // Anything written while loading is re-read by the next refreshes (the cursor trails).
    this.version = BigInt(version) - 1n;
    this.observed = [{ at: started, version: BigInt(version) }];
    this.refreshedAt = Date.now();
    this.loadedAt = Date.now();
    this.logger.log({ lines: index.size, ms: Date.now() - started, day0: today }, 'market loaded');
  }

  private async refresh(): Promise<void> {
    const index = this.index!;
    const now = Date.now();
    const settled = (o: Observation): boolean => o.at <= now - VISIBILITY_LAG_MS || (o.writersBelow !== undefined && o.writersBelow <= this.oldestRunning);
    while (this.observed.length > 1 && settled(this.observed[1]!)) this.observed.shift();
    const cursor = settled(this.observed[0]!) ? this.observed[0]!.version : this.version;
    const since = (cursor < this.version ? cursor : this.version).toString();
    // One round trip, as it may stand between an order and its plan: the current change number,
    // the snapshot's bounds, and every line and ledger cell changed since the cursor.
    const [changes] = await this.db.query<{ version: string; xmin: string; xmax: string; lines: LineRow[]; cells: Cell[] }[]>(
      `SELECT (SELECT ${LAST_ISSUED} FROM ledger_version) AS version,
              pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
              (SELECT coalesce(json_agg(x), '[]') FROM (${LINE_SELECT} WHERE l.version > $3::bigint) x) AS lines,
              (SELECT coalesce(json_agg(json_build_object('lineId', line_id, 'd', day - $1::date, 'free', capacity - reserved)), '[]')
                 FROM capacity_days WHERE version > $3::bigint AND day >= $1::date AND day < $1::date + $2::int) AS cells`,
      [this.day0, this.config.horizonDays, since],
    );
    // Numbers read before this refresh began were written by transactions with ids below its xmax.
    for (const o of this.observed) o.writersBelow ??= BigInt(changes!.xmax);
    this.observed.push({ at: now, version: BigInt(changes!.version) });
    this.oldestRunning = BigInt(changes!.xmin);
    for (const row of changes!.lines) this.put(index, row);
    applyCells(index, changes!.cells);
    if (cursor > this.version) this.version = cursor;
    this.refreshedAt = Date.now();
  }

  private put(index: MarketIndex, row: LineRow): void {
    if (!row.lineActive) {
      index.removeLine(row.lineId);
      this.covers.delete(row.lineId);
      return;
    }
    this.covers.set(row.lineId, row.priceCovers);
    const free = new Array<number>(this.config.horizonDays).fill(0);
    (row.days ?? []).forEach((d, i) => (free[d] = row.free?.[i] ?? 0));
    const line: CandidateLine = {
      lineId: row.lineId,
      factoryId: row.factoryId,
      spec: row.spec,
      ratePerUnit: row.ratePerUnit,
      certifications: row.certifications,
      factoryVerified: row.verified,
      factoryActive: row.factoryActive,
      record: factoryRecord(row, this.config.offerTtlSeconds),
      load: row.load ?? 0,
      free,
    };
    index.upsertLine(line);
    this.autoAccept.set(row.factoryId, row.autoAccept);
  }
}
