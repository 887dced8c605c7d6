import { generateMarket, loadMarket, type LoadResult, type SeedMarket } from '@cloudloom/market';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { orderSettled } from '../support/market';

/** A small seeded market in a test database, used through the running API with the seeded keys. */
describe('npm run seed (small market)', () => {
  let t: TestApp;
  let market: SeedMarket;
  let loaded: LoadResult;

  beforeAll(async () => {
    t = await startTestApp();
    market = generateMarket({ factories: 60, looms: 5400, brands: 10, seed: 3, today: new Date().toISOString().slice(0, 10) });
    loaded = await loadMarket(t.databaseUrl, market);
  });
  afterAll(async () => t?.close());

  it('loads every organization, line and ledger day in bulk', async () => {
    const [counts] = await t.sql<{ orgs: number; keys: number; lines: number; days: number; looms: number }>(
      `SELECT (SELECT count(*)::int FROM organizations) AS orgs, (SELECT count(*)::int FROM api_keys) AS keys,
              (SELECT count(*)::int FROM lines) AS lines, (SELECT count(*)::int FROM capacity_days) AS days,
              (SELECT sum((spec->>'machines')::int)::int FROM lines WHERE kind = 'weaving') AS looms`,
    );
    expect(counts).toEqual({ orgs: 60 + 15 + 10, keys: 85, lines: market.lines.length, days: market.lines.length * 60, looms: 5400 });
    expect(loaded.ledgerDays).toBe(market.lines.length * 60);
    // Days below nominal carry their fraction and the scaled capacity, as PUT availability writes them.
    const override = market.overrides.find((o) => o.fraction > 0)!;
    const line = market.lines.find((l) => l.id === override.lineId)!;
    const [day] = await t.sql<{ capacity: string; fraction: string }>(`SELECT capacity::text, fraction::text FROM capacity_days WHERE line_id = $1 AND day = $2`, [override.lineId, override.day]);
    expect(Number(day!.capacity)).toBe(Math.floor(line.dailyCapacity * override.fraction));
    expect(Number(day!.fraction)).toBe(override.fraction);
  });

  it('hands out API keys the running app accepts, for factories and brands', async () => {
    const mill = loaded.keys.find((k) => k.kind === 'factory')!;
    const me = await t.request<{ id: string; kind: string; name: string }>('GET', '/me', { key: mill.apiKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: mill.organizationId, kind: 'factory', name: mill.name });
    const lines = await t.request<{ items: { factoryId: string }[] }>('GET', '/lines', { key: mill.apiKey });
    expect(lines.body.items.length).toBe(market.lines.filter((l) => l.factoryId === mill.organizationId).length);
  });

  it('is a market the matcher can use: a brand posts an order and gets an offer', async () => {
    const brand = loaded.keys.find((k) => k.kind === 'brand')!;
    const posted = await t.request<{ id: string }>('POST', '/orders', {
      key: brand.apiKey,
      body: { kind: 'fabric', fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 2000, dueDate: inDays(20) },
    });
    expect(posted.status).toBe(202);
    const order = await orderSettled(t, brand.apiKey, posted.body.id);
    expect(['proposed', 'confirmed']).toContain(order.status);
    expect(order.allocations.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses to seed over an existing market unless told to reset', async () => {
    await expect(loadMarket(t.databaseUrl, market)).rejects.toThrow(/--reset/);
    const again = await loadMarket(t.databaseUrl, market, { reset: true });
    expect(again.lines).toBe(market.lines.length);
  });
});
