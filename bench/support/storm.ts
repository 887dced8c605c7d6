/**
 * The availability toggle storm (one factory flips one day of its line between 0.5 and 1, many
 * times a second, inside its rate limit) while a backlog of unmatched orders waits for that line,
 * and another brand posts fresh orders for another factory. Shared by the test (small, with bounds)
 * and `npm run bench:storm` (the size of the report, with the figures).
 */

export interface StormApi {
  request(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/** The API over HTTP at `baseUrl`: JSON answers parsed, text (/metrics) kept as text. */
export function httpStormApi(baseUrl: string, sql: StormApi['sql']): StormApi {
  return {
    sql,
    request: async (method, path, options = {}) => {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text };
    },
  };
}

export interface StormOptions {
  /** Unmatched orders waiting for the toggled line. */
  readonly backlog: number;
  readonly toggles: number;
  /** Toggle requests per second (the report's: 305 in 40 s, about 7.6). */
  readonly togglesPerSecond: number;
  /** Fresh orders of the other brand, spread over the storm. */
  readonly freshOrders: number;
  readonly operatorKey: string;
}

export interface StormFigures {
  readonly backlog: number;
  readonly toggles: number;
  readonly stormSeconds: number;
  /** Toggle answers by status. */
  readonly answers: Record<number, number>;
  /** Times a backlog order was planned again (its `order.unmatched` events) from the storm's start until the queues were idle. */
  readonly rematches: number;
  readonly maxRematchesPerOrder: number;
  /** The other brand's time to match, posted to first plan, in ms. */
  readonly freshMs: readonly number[];
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function signup(api: StormApi, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await api.request('POST', '/signup', { body });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${JSON.stringify(res.body)}`);
  const b = res.body as { organization: { id: string }; apiKey: string };
  return { id: b.organization.id, key: b.apiKey };
}

async function addLine(api: StormApi, key: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/lines', { key, body });
  if (res.status !== 201) throw new Error(`line: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** Polls a condition with a deadline (never a blind wait for a result). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Jobs still to run in the matching and capacity queues (waiting, active, delayed, prioritized), from /metrics. */
async function queuedJobs(api: StormApi, operatorKey: string): Promise<number> {
  const res = await api.request('GET', '/metrics', { key: operatorKey });
  const text = typeof res.body === 'string' ? res.body : '';
  let sum = 0;
  for (const m of text.matchAll(/^cloudloom_queue_jobs\{queue="(matching|capacity)",state="(waiting|active|delayed|prioritized)"\} (\d+)/gm)) sum += Number(m[3]);
  return sum;
}

const loom = (fiber: string, machines: number): Record<string, unknown> => ({
  kind: 'weaving', name: `${fiber} hall`, machineType: 'rapier', machines, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.02, fibers: [fiber],
});
const fabric = (fiber: string, quantity: number, from: string, due: string): Record<string, unknown> => ({
  kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, earliestStart: from, dueDate: due,
});

export async function toggleStorm(api: StormApi, o: StormOptions): Promise<StormFigures> {
  const mill = await signup(api, { kind: 'factory', name: 'Toggling Wool Mill' });
  const line = await addLine(api, mill.key, loom('wool', 2));
  const other = await signup(api, { kind: 'factory', name: 'Quiet Cotton Mill', autoAccept: true });
  await addLine(api, other.key, loom('cotton', 20));
  const waiting = await signup(api, { kind: 'brand', name: 'Waiting Wool Brand' });
  const fresh = await signup(api, { kind: 'brand', name: 'Fresh Cotton Brand' });

  // The backlog: 1,000 m x 3,000 picks in two days, more than the two looms weave (2 x 1,122,000
  // picks), so each order stays unmatched; each fits the line's product, so new capacity wakes it.
  const from = inDays(1);
  const due = inDays(2);
  for (let i = 0; i < o.backlog; i += 100) {
    const res = await api.request('POST', '/orders/batch', { key: waiting.key, body: { orders: Array.from({ length: Math.min(100, o.backlog - i) }, () => fabric('wool', 1000, from, due)) } });
    if (res.status !== 202) throw new Error(`backlog: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const unmatched = async (): Promise<number> =>
    (await api.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE brand_id = $1 AND status = 'unmatched'`, [waiting.id]))[0]!.n;
  await until('the backlog to be planned', async () => (await unmatched()) === o.backlog, 120_000);
  await until('the queues to be idle', async () => (await queuedJobs(api, o.operatorKey)) === 0, 60_000);

  const [{ t0 }] = (await api.sql<{ t0: string }>(`SELECT now()::text AS t0`)) as [{ t0: string }];
  const started = Date.now();
  const answers: Record<number, number> = {};
  const freshIds: string[] = [];
  const storm = (async () => {
    for (let i = 0; i < o.toggles; i++) {
      const res = await api.request('PUT', `/lines/${line}/availability`, { key: mill.key, body: { days: [{ date: from, fraction: i % 2 === 0 ? 0.5 : 1 }] } });
      answers[res.status] = (answers[res.status] ?? 0) + 1;
      const next = started + ((i + 1) * 1000) / o.togglesPerSecond;
      if (next > Date.now()) await sleep(next - Date.now());
    }
  })();
  const stormMs = (o.toggles * 1000) / o.togglesPerSecond;
  const posting = (async () => {
    for (let i = 0; i < o.freshOrders; i++) {
      // Spread over the storm, the first after its first second.
      await sleep(Math.max(started + 1000 + (i * (stormMs - 1000)) / o.freshOrders - Date.now(), 0));
      const res = await api.request('POST', '/orders', { key: fresh.key, body: fabric('cotton', 100, inDays(1), inDays(30)) });
      if (res.status !== 202) throw new Error(`fresh order: ${res.status} ${JSON.stringify(res.body)}`);
      freshIds.push((res.body as { id: string }).id);
    }
  })();
  await Promise.all([storm, posting]);
  const stormSeconds = (Date.now() - started) / 1000;
  await until('the fresh orders to be matched', async () =>
    (await api.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status NOT IN ('pending', 'matching')`, [freshIds]))[0]!.n === freshIds.length, 120_000);
  await until('the wake-ups to finish', async () => (await queuedJobs(api, o.operatorKey)) === 0, 300_000);

  const freshMs = (await api.sql<{ ms: number }>(
    `SELECT (extract(epoch FROM min(e.created_at) - o.created_at) * 1000)::float8 AS ms FROM orders o
     JOIN events e ON e.order_id = o.id AND e.type IN ('order.matched', 'order.unmatched')
     WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.created_at ORDER BY o.created_at`, [freshIds],
  )).map((r) => Math.round(r.ms));
  const [counts] = (await api.sql<{ rematches: number; most: number }>(
    `SELECT coalesce(sum(n), 0)::int AS rematches, coalesce(max(n), 0)::int AS most FROM (
       SELECT e.order_id, count(*) AS n FROM events e JOIN orders o ON o.id = e.order_id
       WHERE o.brand_id = $1 AND e.type = 'order.unmatched' AND e.created_at >= $2::timestamptz GROUP BY e.order_id) x`,
    [waiting.id, t0],
  )) as [{ rematches: number; most: number }];
  return { backlog: o.backlog, toggles: o.toggles, stormSeconds, answers, rematches: counts.rematches, maxRematchesPerOrder: counts.most, freshMs };
}
