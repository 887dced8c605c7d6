import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AnyQueueName, matchingQueueOf, QueueName } from '@cloudloom/contracts';
import { type AppConfig, APP_CONFIG, type QueueBackend, type WorkerHandle } from '@cloudloom/platform';
import type { DataSource, QueryRunner } from 'typeorm';
import { QUEUE_BACKEND } from '../core/tokens';

/** A 31-bit key from a name (FNV-1a): advisory locks of one queue prefix never meet another's. */
function keyOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h & 0x7fffffff;
}

/** The two advisory-lock spaces (first keys) of one queue prefix: a partition's leader, and a worker present. */
export function leadershipLockSpaces(queuePrefix: string): { readonly partitions: number; readonly members: number } {
  return { partitions: keyOf(`${queuePrefix}|match-partition`), members: keyOf(`${queuePrefix}|match-member`) };
}

/** The partitions one of `members` workers should lead: an even share, rounded up so none is left over. */
export const fairShare = (partitions: number, members: number): number => Math.ceil(partitions / Math.max(members, 1));

/**
 * One leader per matcher partition (ADR 0003), the other workers standing by. Each worker holds,
 * on one PostgreSQL session of its own, a member lock (so the workers can count themselves) and a
 * lock per partition it leads; it consumes only its partitions' queues (partition 0's leader the
 * plain `matching` queue too). Every poll it takes free partitions up to its fair share, and gives
 * back what is over it when a newcomer joins. A worker that dies loses its session and with it its
 * locks: a standby takes its partitions within a poll, and BullMQ hands the dead worker's running
 * jobs on once their locks lapse (`jobLockMs`). A partitioned or slow session can leave two
 * workers on one partition for a moment: then they race, and the database's conditional updates
 * still decide who keeps each loom-day, as with no partitions at all.
 */
@Injectable()
export class MatchLeadership implements BeforeApplicationShutdown {
  private readonly logger = new Logger('leadership');
  private readonly member = randomInt(1, 2 ** 31 - 1);
  private readonly partitionSpace: number;
  private readonly memberSpace: number;
  /** Partition → the workers consuming its queue(s), in the order they were taken. */
  private readonly led = new Map<number, WorkerHandle[]>();
  private session: QueryRunner | undefined;
  private consume: ((queue: AnyQueueName) => WorkerHandle) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
  ) {
    ({ partitions: this.partitionSpace, members: this.memberSpace } = leadershipLockSpaces(config.queuePrefix));
  }

  /** The partitions this worker leads now, ascending. */
  partitions(): number[] {
    return [...this.led.keys()].sort((a, b) => a - b);
  }

  /** Starts taking partitions; `consume` opens a BullMQ worker on a queue and wires its events. */
  start(consume: (queue: AnyQueueName) => WorkerHandle): void {
    this.consume = consume;
    this.ticking = this.safeTick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.safeTick());
    }, this.config.leaderPollMs);
  }

  /** A poll that fails even while standing down (a queue connection refusing to close) is logged; the next poll tries again. */
  private async safeTick(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'leadership poll failed');
    }
  }

  /** Running jobs finish before the locks go, so a standby starts where this worker stopped. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.resign(this.partitions());
    await this.dropSession();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const session = await this.openSession();
      const { held, n } = await this.census(session);
      // A session that was replaced (the database restarted) holds nothing any more.
      const lost = this.partitions().filter((p) => !held.includes(p));
      if (lost.length > 0) this.logger.warn({ partitions: lost }, 'leadership lost with the database session; standing down');
      await this.resign(lost);
      const share = fairShare(this.config.matchPartitions, n);
      const over = this.partitions().slice(share);
      if (over.length > 0) {
        await this.resign(over, session);
        this.logger.log({ partitions: over, workers: n }, 'partitions handed back to a newcomer');
      }
      const total = this.config.matchPartitions;
      // Each worker starts looking at its own place, so workers starting together spread out.
      for (let i = 0; i < total && this.led.size < share; i++) {
        const p = (this.member + i) % total;
        if (this.led.has(p) || this.stopped) continue;
        const [{ ok }] = (await session.query(`SELECT pg_try_advisory_lock($1, $2) AS ok`, [this.partitionSpace, p])) as [{ ok: boolean }];
        if (!ok) continue;
        const queues: AnyQueueName[] = p === 0 ? [matchingQueueOf(0), QueueName.Matching] : [matchingQueueOf(p)];
        this.led.set(p, queues.map((q) => this.consume!(q)));
        this.logger.log({ partition: p, workers: n }, 'leading matcher partition');
      }
    } catch (error) {
      // The session failed: whatever it held is gone with it. Stand down; the next poll starts over.
      this.logger.warn({ err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'leadership check failed; standing down until the database answers');
      await this.resign(this.partitions());
      await this.dropSession();
    }
  }

  private async openSession(): Promise<QueryRunner> {
    if (this.session && !this.session.isReleased) return this.session;
    const session = this.db.createQueryRunner();
    await session.connect();
    // Try, not wait: a session of ours the pool has not closed yet may still hold it, and counts us the same.
    await session.query(`SELECT pg_try_advisory_lock($1, $2)`, [this.memberSpace, this.member]);
    this.session = session;
    return session;
  }

  /**
   * The partitions this session holds and the workers present, in one round trip: every worker
   * polls each second whatever the load, so a poll is one statement, not two.
   */
  private async census(session: QueryRunner): Promise<{ held: number[]; n: number }> {
    const [row] = (await session.query(
      `SELECT coalesce(array_agg(objid::bigint::int) FILTER (WHERE classid::bigint = $1 AND pid = pg_backend_pid()), '{}') AS held,
              count(*) FILTER (WHERE classid::bigint = $2)::int AS n
       FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint IN ($1, $2)
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [this.partitionSpace, this.memberSpace],
    )) as [{ held: number[]; n: number }];
    return row;
  }

  /** Stops consuming the partitions (running jobs finish), then unlocks them if the session still holds them. */
  private async resign(partitions: readonly number[], session?: QueryRunner): Promise<void> {
    for (const p of partitions) {
      const workers = this.led.get(p) ?? [];
      this.led.delete(p);
      await Promise.all(workers.map((w) => this.queues.closeWorker(w)));
      if (session) await session.query(`SELECT pg_advisory_unlock($1, $2)`, [this.partitionSpace, p]);
    }
  }

  /** Releasing the connection closes the session's locks with it only if the pool closes it; unlock all first. */
  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session || session.isReleased) return;
    await session.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await session.release().catch(() => undefined);
  }
}
