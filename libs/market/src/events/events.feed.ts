import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface FeedEvent {
  readonly id: string;
  readonly type: string;
  readonly orderId: string | null;
  readonly audience: readonly string[];
  /** The payload as PostgreSQL's JSON text: most events go out as stored, with nothing to parse. */
  readonly payload: string;
  readonly createdAt: Date;
}

/** `floor`: the poll read ids above it only, so no later poll brings an id at or below it. */
type Listener = (events: readonly FeedEvent[], floor: bigint) => void;

const POLL_MS = 200;
const BATCH = 500;
/**
 * Replay pages read at once by this process, whatever the number of streams catching up: a
 * flood of replays waits its turn instead of holding the pool and many pages in memory together.
 */
const REPLAY_CONCURRENCY = 2;
/** Longer than any transaction that writes events. */
const VISIBILITY_LAG_MS = 2_000;
// ORDER BY must name events.id: a bare `id` is the text alias below, and "10" sorts before "2".
const SELECT = `SELECT id::text AS id, type, order_id AS "orderId", audience, payload::text AS payload, created_at AS "createdAt" FROM events`;

/**
 * One poller per process tails the events table and fans out to every open stream. The table,
 * not process memory, is the feed: events written by any API or worker process on any machine
 * reach every stream, and a reconnecting client replays from its Last-Event-ID.
 */
@Injectable()
export class EventsFeed implements OnModuleDestroy {
  private readonly logger = new Logger('events-feed');
  private readonly listeners = new Set<Listener>();
  /** Every event up to here is settled: no transaction can still commit one below it. */
  private cursor: bigint | undefined;
  /** Newest ids seen recently, oldest first; the cursor advances past them once they are old enough. */
  private observed: { at: number; id: bigint }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private replaying = 0;
  private readonly replayQueue: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Events after `afterId` that `organizationId` may see (all of them for the operator). A
   * caller that is `gone` by the time its turn comes costs no query.
   */
  async replay(afterId: bigint, organizationId: string | undefined, limit = 1000, gone: () => boolean = () => false): Promise<FeedEvent[]> {
    if (this.replaying >= REPLAY_CONCURRENCY) await new Promise<void>((resolve) => this.replayQueue.push(resolve));
    else this.replaying++;
    try {
      if (gone()) return [];
      const rows: FeedEvent[] = await this.db.query(
        `${SELECT} WHERE id > $1 AND ($2::uuid IS NULL OR $2::uuid = ANY(audience)) ORDER BY events.id LIMIT $3`,
        [afterId.toString(), organizationId ?? null, limit],
      );
      return rows;
    } finally {
      // The slot passes to the next waiter directly, so the count stays exact.
      const next = this.replayQueue.shift();
      if (next) next();
      else this.replaying--;
    }
  }

  /** No poll from now on brings an id at or below this (undefined: no poller runs). */
  get floor(): bigint | undefined {
    return this.cursor;
  }

  /** The newest event id now: a fresh stream starts here. */
  async head(): Promise<bigint> {
    const [row] = await this.db.query<{ id: string }[]>(`SELECT coalesce(max(id), 0)::text AS id FROM events`);
    return BigInt(row?.id ?? '0');
  }

  /**
   * `from` is where the subscriber's own replay starts. A poller that starts now starts there
   * too, so nothing written between the subscriber's head() and the first tick is skipped.
   */
  subscribe(listener: Listener, from: bigint): () => void {
    this.listeners.add(listener);
    this.cursor ??= from;
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private async poll(): Promise<void> {
    if (this.polling || this.cursor === undefined) return;
    this.polling = true;
    try {
      // An id is taken at insert but visible at commit, so a smaller id can appear after larger
      // ones were read. Each poll re-reads the last few seconds of ids; streams drop repeats.
      const now = Date.now();
      while (this.observed.length > 0 && this.observed[0]!.at <= now - VISIBILITY_LAG_MS) this.cursor = this.observed.shift()!.id;
      const floor = this.cursor;
      const rows: FeedEvent[] = await this.db.query(`${SELECT} WHERE id > $1 ORDER BY events.id LIMIT ${BATCH}`, [floor.toString()]);
      if (rows.length === 0) return;
      this.observed.push({ at: now, id: BigInt(rows[rows.length - 1]!.id) });
      for (const listener of this.listeners) listener(rows, floor);
    } catch (error) {
      // The database may be restarting; the next tick tries again and loses nothing.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'events poll failed');
    } finally {
      this.polling = false;
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cursor = undefined;
    this.observed = [];
  }

  onModuleDestroy(): void {
    this.listeners.clear();
    this.stop();
  }
}
