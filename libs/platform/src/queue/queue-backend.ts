import { createPostgresBackend, type JobsOptions, Queue, Worker, withBackend } from 'bullmq';
import IORedis from 'ioredis';
import { type AnyQueueName, type Job, type JobName, JOB_QUEUE, jobIdOf, type JobPayloads, matchingQueueOf, QueueName } from '@cloudloom/contracts';

/** The part of a BullMQ queue the platform uses; both backends provide it. */
interface QueueHandle {
  add(name: string, data: unknown, opts?: JobsOptions): Promise<unknown>;
  addBulk(jobs: { name: string; data: unknown; opts?: JobsOptions }[]): Promise<unknown>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  getJobState(id: string): Promise<string>;
  getJobScheduler(id: string): Promise<unknown>;
  upsertJobScheduler(id: string, repeat: { every: number }, template: { name: string; data: unknown }): Promise<unknown>;
  obliterate(opts?: { force?: boolean }): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** The part of a BullMQ worker the platform uses. */
export interface WorkerHandle {
  /** After every failed attempt; `attemptsMade` reaching `opts.attempts` means the job failed for good. */
  on(event: 'failed', listener: (job: { name: string; id?: string; attemptsMade: number; opts: { attempts?: number } } | undefined, error: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(force?: boolean): Promise<void>;
  waitUntilReady(): Promise<unknown>;
}

export interface QueueJob<J extends JobName = JobName> {
  readonly name: J;
  readonly data: JobPayloads[J];
  readonly id?: string;
  readonly attemptsMade: number;
}

export interface QueueBackendOptions {
  /** Set: BullMQ on Redis. Unset: BullMQ on its PostgreSQL backend in `databaseUrl`. */
  readonly redisUrl: string | undefined;
  readonly databaseUrl: string;
  /** Namespace: the Redis key prefix, or the PostgreSQL schema `<prefix>_queues`. */
  readonly prefix: string;
  /** How long an add may wait for the backend before it counts as failed (default 2 s). */
  readonly enqueueTimeoutMs?: number;
  /** Matcher partitions (ADR 0003); 0 or absent: one `matching` queue that every worker takes. */
  readonly matchPartitions?: number;
}

/**
 * An add that does not answer in time fails. While Redis is down, ioredis holds commands until it
 * reconnects, so an unbounded add would hold an accepted order's 202 (and a sweep) for the whole
 * outage; the rows are committed, and the sweep queues them again once Redis is back. A held
 * command that is sent later is harmless: job ids are deterministic.
 */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`the queue did not answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface EnqueueOptions {
  readonly delayMs?: number;
  /** Lower runs first (BullMQ priority, 1..2^21). */
  readonly priority?: number;
  /** A match job's matcher partition (ADR 0003): it goes to that partition's queue. */
  readonly partition?: number;
}

/** The queue a job goes to: its fixed one, or for a match job with a partition, the partition's. */
function queueOf(job: Job, options: EnqueueOptions): AnyQueueName {
  const fixed = JOB_QUEUE[job.name];
  return fixed === QueueName.Matching && options.partition !== undefined ? matchingQueueOf(options.partition) : fixed;
}

function jobOptions(job: Job, options: EnqueueOptions): JobsOptions {
  return {
    jobId: jobIdOf(job),
    delay: options.delayMs,
    priority: options.priority,
    attempts: 5,
    backoff: { type: 'exponential', delay: 200 },
    // A finished job leaves nothing under its id, completed or failed: ids are deterministic
    // (`match.<orderId>`), and BullMQ ignores an add whose id it still holds in any state, so a job
    // kept in the failed set after its last attempt (a database outage longer than the backoff)
    // would silently swallow every later re-add of the same work: the sweep's, the operator's
    // re-match, a capacity change's. The failure itself is logged with the job id by the worker.
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/**
 * Opens queues and workers on the configured backend. Redis is the production backend;
 * PostgreSQL keeps the two-command start free of any service but the embedded database.
 * Either may lose its jobs: PostgreSQL tables stay the truth and the sweep re-enqueues.
 */
export class QueueBackend {
  readonly kind: 'redis' | 'postgres';
  private readonly queues = new Map<AnyQueueName, QueueHandle>();
  private readonly workers: WorkerHandle[] = [];
  private readonly redis: IORedis | undefined;
  /** BullMQ leaves connections it was handed open; these are ours to close. */
  private readonly connections: IORedis[] = [];
  private readonly workerConnections = new Map<WorkerHandle, IORedis>();
  private readonly pg = withBackend(createPostgresBackend);

  /** Connection trouble is reported here (one line, no client internals); readiness shows it too. */
  onError: (error: Error) => void = () => undefined;

  constructor(private readonly options: QueueBackendOptions) {
    this.kind = options.redisUrl ? 'redis' : 'postgres';
    this.redis = options.redisUrl ? this.connect(options.redisUrl) : undefined;
  }

  private connect(url: string): IORedis {
    const redis = new IORedis(url, { maxRetriesPerRequest: null });
    // An unreachable Redis is reported by readiness; without a listener ioredis logs every retry.
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  private get pgConnection(): { connectionString: string; schema: string; migrate: boolean; max: number } {
    return { connectionString: this.options.databaseUrl, schema: `${this.options.prefix}_queues`, migrate: true, max: 3 };
  }

  queue(name: AnyQueueName): QueueHandle {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.redis
        ? new Queue(name, { connection: this.redis, prefix: this.options.prefix })
        : new this.pg.Queue(name, { connection: this.pgConnection });
      // Without a listener the backend prints the whole driver error, client internals included.
      queue.on('error', (error) => this.onError(error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Every queue as a BullMQ Queue (both backends subclass it), for the operators' queue board. */
  allQueues(): Queue[] {
    return Object.values(QueueName).map((name) => this.queue(name) as unknown as Queue);
  }

  async enqueue(job: Job, options: EnqueueOptions = {}): Promise<void> {
    await within(this.options.enqueueTimeoutMs ?? 2_000, this.queue(queueOf(job, options)).add(job.name, job.data, jobOptions(job, options)));
  }

  /** Many jobs in one round trip per queue (a matching batch's offer expiries, say). */
  async enqueueMany(jobs: readonly { readonly job: Job; readonly options?: EnqueueOptions }[]): Promise<void> {
    const byQueue = new Map<AnyQueueName, { name: string; data: unknown; opts: JobsOptions }[]>();
    for (const { job, options } of jobs) {
      const name = queueOf(job, options ?? {});
      byQueue.set(name, [...(byQueue.get(name) ?? []), { name: job.name, data: job.data, opts: jobOptions(job, options ?? {}) }]);
    }
    await within(this.options.enqueueTimeoutMs ?? 2_000, Promise.all([...byQueue].map(([name, list]) => this.queue(name).addBulk(list))));
  }

  async repeat(job: Job, everyMs: number): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).upsertJobScheduler(jobIdOf(job), { every: everyMs }, { name: job.name, data: job.data });
  }

  /**
   * `lockMs`: a worker killed mid-job stops renewing its lock; after this long the job is
   * "stalled" and another worker takes it. Match jobs take milliseconds, so it can be short.
   */
  worker(name: AnyQueueName, processor: (job: QueueJob) => Promise<unknown>, concurrency: number, lockMs = 15_000): WorkerHandle {
    const run = (job: QueueJob): Promise<unknown> => processor(job);
    const timing = { lockDuration: lockMs, stalledInterval: Math.max(Math.floor(lockMs / 2), 500) };
    const connection = this.redis ? this.connect(this.options.redisUrl!) : undefined;
    const worker: WorkerHandle = connection
      ? new Worker(name, run, { connection, prefix: this.options.prefix, concurrency, ...timing })
      : new this.pg.Worker(name, run, { connection: this.pgConnection, concurrency, ...timing });
    this.workers.push(worker);
    if (connection) this.workerConnections.set(worker, connection);
    return worker;
  }

  /**
   * Stops one worker before the backend closes (a matcher partition handed to another process):
   * its running jobs finish first, then its connection goes, so handing partitions back and forth
   * does not pile up connections.
   */
  async closeWorker(worker: WorkerHandle): Promise<void> {
    await worker.close();
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    const connection = this.workerConnections.get(worker);
    this.workerConnections.delete(worker);
    if (connection) {
      this.connections.splice(this.connections.indexOf(connection), 1);
      await connection.quit().catch(() => connection.disconnect());
    }
  }

  /** Whether the queue still holds this job, waiting, delayed or running (for the audit); a match job in any partition's queue counts. */
  async holds(job: Job): Promise<boolean> {
    const fixed = JOB_QUEUE[job.name];
    const partitions = fixed === QueueName.Matching ? Array.from({ length: this.options.matchPartitions ?? 0 }, (_, p) => matchingQueueOf(p)) : [];
    for (const name of [fixed, ...partitions]) {
      if (!['unknown', 'completed', 'failed'].includes(await this.queue(name).getJobState(jobIdOf(job)))) return true;
    }
    return false;
  }

  /** Whether a repeatable job's schedule is in the queue (the sweep's, for the audit). */
  async isScheduled(job: Job): Promise<boolean> {
    return Boolean(await this.queue(JOB_QUEUE[job.name]).getJobScheduler(jobIdOf(job)));
  }

  /**
   * Resolves when the backend answers and can keep its jobs; used by readiness. A Redis that
   * evicts keys under memory pressure (any `maxmemory-policy` but `noeviction`) may drop a job or
   * a lock silently, so it counts as not ready, with the reason.
   */
  async ping(): Promise<void> {
    if (this.redis) {
      const info = await this.redis.info('memory');
      const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
      if (policy && policy !== 'noeviction') throw new Error(`Redis evicts keys (maxmemory-policy ${policy}); BullMQ needs noeviction`);
      return;
    }
    await this.queue('matching').getJobCounts('waiting');
  }

  async counts(name: AnyQueueName): Promise<Record<string, number>> {
    return this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
  }

  /** Workers first, so in-flight jobs finish (or return to the queue) before connections go. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
