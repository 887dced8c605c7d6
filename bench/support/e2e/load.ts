import { type OrderRequest, type SeededKey, SeedRng, smallOrder } from '@cloudloom/market';
import { Agent, request } from 'node:http';
import { Client, type Pool } from 'pg';
import { sleep } from './processes';

/**
 * Sees each order's outcome the moment it is committed: tails the events table for
 * order.matched / order.unmatched every few milliseconds (the API's own SSE feed polls every
 * 200 ms, too coarse to time a match). "Offer visible" means committed: GET /offers shows it.
 *
 * Event ids are taken at insert and become visible at commit, so a smaller id can appear after
 * larger ones were read: every id skipped over is asked for again until it shows up or is old
 * enough to have been rolled back.
 */
export class OutcomeWatcher {
  private cursor = 0;
  /** Ids below the cursor not seen yet -> when they were first missed. */
  private readonly gaps = new Map<number, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  /** orderId -> when its outcome was first seen (performance.now()). */
  readonly seen = new Map<string, { at: number; matched: boolean }>();

  constructor(private readonly db: Pool, private readonly everyMs = 5) {}

  async start(): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM events`);
    this.cursor = Number(rows[0]?.id ?? 0);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.poll();
        await sleep(this.everyMs);
      }
    })();
  }

  private async poll(): Promise<void> {
    const events = await this.db
      .query<{ id: string; type: string; orderId: string }>(
        // Two index reads. Ordered by the column, not by the text it is answered as: ordered by the
        // text (and with one OR for both reads) PostgreSQL scanned and sorted the whole table
        // every 5 ms once it held a repetition's events, and that was counted as the platform's CPU.
        `(SELECT e.id::text AS id, e.type, e.order_id AS "orderId" FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT 5000)
         UNION ALL (SELECT e.id::text, e.type, e.order_id FROM events e WHERE e.id = ANY($2::bigint[]) AND e.id <= $1)`,
        [this.cursor, [...this.gaps.keys()]],
      )
      .then((r) => r.rows)
      .catch((error: unknown) => {
        // After the pool is closed the loop ends; before, a failed poll is retried.
        if (this.running) process.stderr.write(`outcome watcher: ${error instanceof Error ? error.message : String(error)}\n`);
        return [];
      });
    const at = performance.now();
    for (const e of events) {
      const id = Number(e.id);
      if (id > this.cursor) {
        for (let missing = this.cursor + 1; missing < id; missing++) this.gaps.set(missing, at);
        this.cursor = id;
      } else this.gaps.delete(id);
      if ((e.type === 'order.matched' || e.type === 'order.unmatched') && !this.seen.has(e.orderId)) this.seen.set(e.orderId, { at, matched: e.type === 'order.matched' });
    }
    for (const [id, since] of this.gaps) if (at - since > 10_000) this.gaps.delete(id);
  }

  private listener: Client | undefined;

  /**
   * Also hears each outcome at its commit: a trigger on `events` (bench database only) notifies,
   * and PostgreSQL delivers a notification when the inserting transaction commits, so the time
   * of "offer visible" carries no polling delay (bare BullMQ's anchor has none either). For the
   * fixed-rate run only: NOTIFY serializes commits, which would cost the max-rate runs.
   */
  async listen(databaseUrl: string): Promise<void> {
    await this.db.query(`CREATE OR REPLACE FUNCTION bench_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('bench_outcome', NEW.type || ' ' || NEW.order_id); RETURN NULL; END $$`);
    await this.db.query(`CREATE OR REPLACE TRIGGER bench_outcome AFTER INSERT ON events FOR EACH ROW
      WHEN (NEW.type IN ('order.matched', 'order.unmatched')) EXECUTE FUNCTION bench_outcome()`);
    this.listener = new Client({ connectionString: databaseUrl, application_name: 'cloudloom-bench' });
    await this.listener.connect();
    this.listener.on('notification', (n) => {
      const at = performance.now();
      const [type, orderId] = (n.payload ?? '').split(' ');
      if (orderId && !this.seen.has(orderId)) this.seen.set(orderId, { at, matched: type === 'order.matched' });
    });
    await this.listener.query('LISTEN bench_outcome');
  }

  async unlisten(): Promise<void> {
    await this.db.query('DROP TRIGGER IF EXISTS bench_outcome ON events');
    await this.listener?.end();
    this.listener = undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.listener) await this.unlisten();
  }
}

export interface Posted {
  readonly id: string;
  readonly sentAt: number;
  /** When its 202 arrived: the order is stored and queued ("POST accepted"). */
  readonly acceptedAt: number;
}

/** Brands posting small orders over HTTP, like the console or an ERP integration would. */
export class Brands {
  private readonly rng: SeedRng;
  private next = 0;
  readonly errors: string[] = [];

  private readonly single: URL;
  private readonly batch: URL;
  private readonly agent = new Agent({ keepAlive: true });

  constructor(baseUrl: string, private readonly brands: readonly SeededKey[], seed: number) {
    this.rng = new SeedRng(seed);
    this.single = new URL(`${baseUrl}/orders`);
    this.batch = new URL(`${baseUrl}/orders/batch`);
  }

  order(): OrderRequest {
    return smallOrder(this.rng, new Date().toISOString().slice(0, 10));
  }

  /** One order, `POST /orders`, as a merchandiser's console posts it. */
  async post(): Promise<Posted | undefined> {
    return (await this.send(this.single, JSON.stringify(this.order()), (body) => [(JSON.parse(body) as { id: string }).id]))?.[0];
  }

  /** `size` orders in one `POST /orders/batch`, as an ERP posts a day's orders. */
  async postMany(size: number): Promise<Posted[]> {
    const body = JSON.stringify({ orders: Array.from({ length: size }, () => this.order()) });
    return (await this.send(this.batch, body, (text) => (JSON.parse(text) as { items: { id: string }[] }).items.map((o) => o.id))) ?? [];
  }

  private async send(url: URL, body: string, ids: (text: string) => string[]): Promise<Posted[] | undefined> {
    const brand = this.brands[this.next++ % this.brands.length]!;
    const sentAt = performance.now();
    try {
      const res = await postJson(url, this.agent, brand.apiKey, body);
      if (res.status !== 202) {
        if (this.errors.length < 5) this.errors.push(`${res.status} ${res.text.slice(0, 200)}`);
        return undefined;
      }
      const acceptedAt = performance.now();
      return ids(res.text).map((id) => ({ id, sentAt, acceptedAt }));
    } catch (error) {
      if (this.errors.length < 5) this.errors.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * One POST on a kept-alive connection. node:http rather than fetch: the load generator shares the
 * machine's two cores with what it measures, and fetch costs it several times the CPU per request.
 */
function postJson(url: URL, agent: Agent, apiKey: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts `work` every 1/rate seconds on a fixed schedule (open loop: late answers do not slow it). */
export async function atFixedRate<T>(rate: number, seconds: number, work: () => Promise<T>): Promise<T[]> {
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const running: Promise<T>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    running.push(work());
  }
  return Promise.all(running);
}

/** Waits until every posted order has an outcome, or `timeoutMs` passes; returns how many are still waiting. */
export async function drain(watcher: OutcomeWatcher, posted: readonly Posted[], timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const waiting = posted.filter((p) => !watcher.seen.has(p.id)).length;
    if (waiting === 0 || performance.now() > until) return waiting;
    await sleep(50);
  }
}
