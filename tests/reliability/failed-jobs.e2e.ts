import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import { QueueName } from '@cloudloom/contracts';
import { QueueBackend } from '@cloudloom/platform';

/**
 * A job that used up its attempts must not keep its (deterministic) id: otherwise every later
 * add of the same work (the sweep's, an operator's re-match, a capacity change) is ignored while
 * the failed job sits under that id. Runs on the backend the run uses (Redis in CI).
 */
describe('a job that exhausted its attempts', () => {
  let queues: QueueBackend;
  let database: string | undefined;
  const adminUrl = inject('adminDatabaseUrl');

  beforeAll(async () => {
    const id = randomBytes(5).toString('hex');
    let databaseUrl = adminUrl;
    if (!inject('redisUrl')) {
      // BullMQ on PostgreSQL: its own database, so its queue schema is this file's alone.
      database = `cloudloom_t_${id}`;
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
      const u = new URL(adminUrl);
      u.pathname = `/${database}`;
      databaseUrl = u.toString();
    }
    queues = new QueueBackend({ redisUrl: inject('redisUrl'), databaseUrl, prefix: `t_${id}` });
  });
  afterAll(async () => {
    await Promise.all(Object.values(QueueName).map((q) => queues.queue(q).obliterate({ force: true })));
    await queues.close();
    if (database) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    }
  });

  it('never blocks the same work added again later', async () => {
    let failing = true;
    let attempts = 0;
    let done = 0;
    const worker = queues.worker(QueueName.Matching, () => {
      if (failing) {
        attempts++;
        return Promise.reject(new Error('the database is down'));
      }
      done++;
      return Promise.resolve();
    }, 1, 2_000);
    await worker.waitUntilReady();
    const job = { name: 'match-order', data: { orderId: '00000000-0000-4000-8000-000000000001' } } as const;

    await queues.enqueue(job);
    // Every attempt fails: 5 attempts, then the job is finished as failed.
    await vi.waitFor(() => expect(attempts).toBe(5), { timeout: 30_000, interval: 50 });
    await vi.waitFor(async () => expect((await queues.counts(QueueName.Matching)).delayed ?? 0).toBe(0), { timeout: 10_000, interval: 50 });
    const counts = await queues.counts(QueueName.Matching);
    // Nothing is left under its id: not in the failed set, not anywhere.
    expect(counts.failed ?? 0).toBe(0);

    failing = false;
    await queues.enqueue(job);
    await vi.waitFor(() => expect(done).toBe(1), { timeout: 15_000, interval: 50 });
    console.log(`failed job: ${attempts} attempts failed, then the same id added again ran ${done} time(s); failed set ${counts.failed ?? 0}`);
    await worker.close();
  }, 60_000);
});
