import { QueueName } from '@cloudloom/contracts';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, heatmapCity, orderSettled, signup } from '../support/market';

interface Stats {
  orders: { byStatus: Record<string, number>; total: number };
  fillRate: number | null;
  offers: { byStatus: Record<string, number>; acceptanceRate: number | null };
  timeToMatch: { count: number; p50Seconds: number | null; p95Seconds: number | null; histogram: { le: number | null; count: number }[] };
  utilization: { days: number; byMachineType: { key: string; ratio: number; reserved: number; capacity: number }[]; byCluster: { key: string; ratio: number }[] };
  fairness: { factories: number; smallMills: number; smallMillOrderShare: number | null; smallMillValueShare: number | null; gini: number | null };
}

const op = { key: OPERATOR_KEY };

describe('operator reads and actions for the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Factories wait for verification here, as in production.
    t = await startTestApp({ AUTO_VERIFY_FACTORIES: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verifies a factory, then shows its match, its load and the market figures', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Wujiang Silk Mill', city: 'Suzhou', province: 'Jiangsu' });
    const line = await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Shahe Wholesale' });

    const empty = await t.request<Stats>('GET', '/stats', op);
    expect(empty.status).toBe(200);
    expect(empty.body.fillRate).toBeNull();
    expect(empty.body.timeToMatch).toMatchObject({ count: 0, p50Seconds: null, p95Seconds: null });
    expect(empty.body.timeToMatch.histogram.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // Unverified factories cannot get work, so they are not counted.
    expect(empty.body.fairness).toEqual({ factories: 0, smallMills: 0, smallMillOrderShare: null, smallMillValueShare: null, gini: null });

    const waiting = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 900, dueDate: inDays(15) } });
    expect((await orderSettled(t, brand.key, waiting.body.id)).status).toBe('unmatched');

    // Closed tomorrow for maintenance: the heatmap shows that day as shut, not as idle.
    const tomorrow = inDays(1);
    expect((await t.request('PUT', `/lines/${line.id}/availability`, { key: factory.key, body: { days: [{ date: tomorrow, fraction: 0 }] } })).status).toBe(200);
    const listed = await t.request<{ days: string[]; items: { id: string; verified: boolean; lines: { id: string; load: (number | null)[]; open: (number | null)[] }[] }[] }>('GET', '/factories', op);
    expect(listed.status).toBe(200);
    expect(listed.body.days).toHaveLength(30);
    expect(listed.body.items.map((f) => [f.id, f.verified])).toEqual([[factory.id, false]]);
    expect(listed.body.items[0]!.lines[0]!.load).toEqual(Array(30).fill(0));
    const open = listed.body.items[0]!.lines[0]!.open;
    expect(open[listed.body.days.indexOf(tomorrow)]).toBe(0);
    expect(open.filter((x) => x === 1)).toHaveLength(29);

    expect((await t.request('POST', '/factories/00000000-0000-4000-8000-000000000000/verify', op)).status).toBe(404);
    expect((await t.request('POST', `/factories/${brand.id}/verify`, op)).status).toBe(404);
    expect((await t.request('POST', `/factories/${factory.id}/verify`, { key: brand.key })).status).toBe(404);
    const verified = await t.request('POST', `/factories/${factory.id}/verify`, op);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ id: factory.id, verified: true });

    // The unmatched order is tried again on request, and now finds the verified mill.
    const rematch = await t.request('POST', `/orders/${waiting.body.id}/rematch`, op);
    expect(rematch.status).toBe(202);
    const matched = await orderSettled(t, brand.key, waiting.body.id, ['pending', 'matching', 'unmatched']);
    expect(matched.status).toBe('proposed');
    const again = await t.request('POST', `/orders/${waiting.body.id}/rematch`, op);
    expect(again.status).toBe(409);
    expect((await t.request('POST', `/orders/${waiting.body.id}/rematch`, { key: brand.key })).status).toBe(404);

    const byStatus = async (status: string) => t.request<{ items: { id: string; brandName: string; status: string; allocations: number }[] }>('GET', `/market/orders?status=${status}`, op);
    expect((await byStatus('proposed')).body.items).toEqual([expect.objectContaining({ id: waiting.body.id, brandName: 'Shahe Wholesale', status: 'proposed', allocations: 1 })]);
    expect((await byStatus('unmatched')).body.items).toEqual([]);
    expect((await byStatus('dreaming')).status).toBe(400);
    expect((await t.request('GET', '/market/orders', { key: brand.key })).status).toBe(404);

    const matches = await t.request<{ items: { orderId: string; brandName: string; factoryName: string; lineId: string; quantity: number; secondsToMatch: number }[] }>('GET', '/matches', op);
    expect(matches.status).toBe(200);
    expect(matches.body.items).toHaveLength(1);
    expect(matches.body.items[0]).toMatchObject({ orderId: waiting.body.id, brandName: 'Shahe Wholesale', factoryName: 'Wujiang Silk Mill', lineId: line.id, quantity: 900 });
    expect(matches.body.items[0]!.secondsToMatch).toBeGreaterThan(0);

    const stats = await t.request<Stats>('GET', '/stats', op);
    expect(stats.body.orders).toEqual({ byStatus: { proposed: 1 }, total: 1 });
    expect(stats.body.fillRate).toBe(1);
    expect(stats.body.offers).toEqual({ byStatus: { offered: 1 }, acceptanceRate: null });
    expect(stats.body.timeToMatch.count).toBe(1);
    // Matched on re-match, well after it was posted: one order in exactly one bar.
    expect(stats.body.timeToMatch.histogram.reduce((s, b) => s + b.count, 0)).toBe(1);
    expect(stats.body.timeToMatch.histogram.at(-1)!.le).toBeNull();
    const [airJet] = stats.body.utilization.byMachineType;
    expect(airJet!.key).toBe('air_jet');
    expect(airJet!.reserved).toBe(900 * 25 * 100);
    expect(stats.body.utilization.byCluster.map((c) => c.key)).toEqual(['Suzhou, Jiangsu']);
    // One small mill (48 looms) holds all the work.
    expect(stats.body.fairness).toEqual({ factories: 1, smallMills: 1, smallMillOrderShare: 1, smallMillValueShare: 1, gini: 0 });
    // A large mill (200 looms) joins with no work: the work is now all at one of two factories.
    const large = await signup(t, { kind: 'factory', name: 'Zhangjiagang Large Weaving', city: 'Suzhou', province: 'Jiangsu' });
    await addLine(t, large.key, { ...airJetLine, machines: 200 });
    expect((await t.request('POST', `/factories/${large.id}/verify`, op)).status).toBe(200);
    const fairer = (await t.request<Stats>('GET', '/stats', op)).body.fairness;
    expect(fairer).toEqual({ factories: 2, smallMills: 1, smallMillOrderShare: 1, smallMillValueShare: 1, gini: 0.5 });

    // Names across the table, only for the caller's own allocations.
    const mine = await t.request<{ factories: { id: string; name: string }[]; lines: { id: string; name: string }[] }>('GET', '/counterparties', { key: brand.key });
    expect(mine.status).toBe(200);
    expect(mine.body.factories).toEqual([{ id: factory.id, name: 'Wujiang Silk Mill', city: 'Suzhou', province: 'Jiangsu', contacts: null }]);
    expect(mine.body.lines.map((l) => [l.id, l.name])).toEqual([[line.id, airJetLine.name]]);
    const theirs = await t.request<{ brands: { name: string }[]; orders: { id: string; quantity: number }[] }>('GET', '/counterparties', { key: factory.key });
    expect(theirs.body.brands.map((b) => b.name)).toEqual(['Shahe Wholesale']);
    expect(theirs.body.orders.map((o) => [o.id, o.quantity])).toEqual([[waiting.body.id, 900]]);
    const stranger = await signup(t, { kind: 'brand', name: 'Stranger Brand' });
    expect((await t.request('GET', '/counterparties', { key: stranger.key })).body).toEqual({ factories: [], lines: [] });
    expect((await t.request('GET', '/counterparties', op)).status).toBe(404);

    const load = await t.request<{ items: { lines: { load: number[] }[] }[] }>('GET', '/factories', op);
    const reservedShare = load.body.items[0]!.lines[0]!.load.reduce((s, x) => s + x, 0) * line.dailyCapacity;
    expect(Math.round(reservedShare)).toBe(900 * 25 * 100);
  });

  it('pages factories by keyset, unverified first, and filters by verification', async () => {
    const names = ['Paging Mill A', 'Paging Mill B', 'Paging Mill C'];
    for (const name of names) await signup(t, { kind: 'factory', name });
    type Page = { items: { name: string; verified: boolean }[]; nextCursor?: string };
    const seen: { name: string; verified: boolean }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.request<Page>('GET', `/factories?limit=2${cursor ? `&cursor=${cursor}` : ''}`, op);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    const [count] = await t.sql<{ n: number; unverified: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT verified)::int AS unverified FROM organizations WHERE kind = 'factory'`);
    expect(seen).toHaveLength(count!.n);
    expect(new Set(seen.map((f) => f.name)).size).toBe(count!.n);
    expect(seen.slice(0, count!.unverified).every((f) => !f.verified)).toBe(true);
    expect(seen.slice(count!.unverified).every((f) => f.verified)).toBe(true);

    const unverified = await t.request<Page>('GET', '/factories?verified=false', op);
    expect(unverified.body.items.map((f) => f.name)).toEqual(names);
    expect(unverified.body.nextCursor).toBeUndefined();
    const forged = await t.request<{ errors: { field: string }[] }>('GET', `/factories?cursor=${Buffer.from('["x"]').toString('base64url')}`, op);
    expect(forged.status).toBe(400);
    expect(forged.body.errors.map((e) => e.field)).toEqual(['cursor']);
  });

  it('sorts factories by their load ahead, filters by city, line kind and loom, and pages the sort', async () => {
    const mills = await heatmapCity(t, 'Keqiao');
    type Page = { cities: string[]; items: { id: string; load: number | null; lines: { kind: string; machineType: string }[] }[]; nextCursor?: string };
    const list = async (query: string): Promise<Page> => {
      const res = await t.request<Page>('GET', `/factories?city=Keqiao&${query}`, op);
      expect(res.status, query).toBe(200);
      return res.body;
    };
    const busiest = await list('sort=-load');
    expect(busiest.items.map((f) => f.id)).toEqual([mills.busy, mills.sewing, mills.idle, mills.empty]);
    expect(busiest.items.map((f) => (f.load === null ? null : Math.round(f.load * 100)))).toEqual([90, 50, 0, null]);
    expect(busiest.cities).toContain('Keqiao');
    // Most room first; a mill with nothing open ahead comes last either way.
    expect((await list('sort=load')).items.map((f) => f.id)).toEqual([mills.idle, mills.sewing, mills.busy, mills.empty]);
    // The default (unverified first, then by name) carries the loads too.
    expect(new Set((await list('')).items.map((f) => f.load))).toEqual(new Set(busiest.items.map((f) => f.load)));

    // A kind or a loom narrows the mills to those having one, and their lines to those.
    const sewing = await list('kind=sewing');
    expect(sewing.items.map((f) => f.id)).toEqual([mills.sewing]);
    expect(sewing.items[0]!.lines.map((l) => l.kind)).toEqual(['sewing']);
    const rapier = await list('kind=weaving&machineType=rapier&sort=-load');
    expect(rapier.items.map((f) => f.id)).toEqual([mills.busy]);
    expect((await list('machineType=air_jet')).items.map((f) => f.id)).toEqual([mills.idle]);
    expect((await t.request<Page>('GET', '/factories?city=Nowhere', op)).body.items).toEqual([]);

    // Paging the load sort one at a time gives the same order as one page.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`sort=-load&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
    } while (cursor && paged.length < 10);
    expect(paged).toEqual(busiest.items.map((f) => f.id));

    const bad = await t.request<{ errors: { field: string; message: string }[] }>('GET', '/factories?sort=busy&kind=knitting&machineType=loom&city=', op);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['city', 'kind', 'machineType', 'sort']);
    expect(bad.body.errors.find((e) => e.field === 'sort')!.message).toContain('-load');
    // A cursor of the name sort does not page the load sort.
    const nameCursor = (await t.request<Page>('GET', '/factories?limit=1', op)).body.nextCursor!;
    const mixed = await t.request<{ errors: { field: string }[] }>('GET', `/factories?sort=-load&cursor=${nameCursor}`, op);
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors.map((e) => e.field)).toEqual(['cursor']);
  });

  it('keeps operator reads from brands and factories, and checks its query', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Curious Brand' });
    for (const path of ['/stats', '/matches', '/factories']) {
      expect((await t.request('GET', path, { key: brand.key })).status, path).toBe(404);
      expect((await t.request('GET', path)).status, path).toBe(401);
    }
    const bad = await t.request<{ errors: { field: string }[] }>('GET', '/matches?limit=0&colour=red', op);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['colour', 'limit']);
  });

  it('puts the queue board behind the operator key', async () => {
    const origin = new URL(t.baseUrl).origin;
    const anonymous = await fetch(`${origin}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await anonymous.text()).not.toContain('__UI_CONFIG__');
    const brand = await signup(t, { kind: 'brand', name: 'Board Peeker' });
    expect((await fetch(`${origin}/admin/queues`, { headers: { authorization: `Bearer ${brand.key}` } })).status).toBe(401);

    const basic = await fetch(`${origin}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`operator:${OPERATOR_KEY}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(await basic.text()).toContain('__UI_CONFIG__');
    const api = await fetch(`${origin}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(['capacity', 'maintenance', 'matching', 'offers']));

    // The console trades the key (in a header) for a cookie that works on /admin only.
    expect((await fetch(`${origin}/admin/session`, { method: 'POST', headers: { authorization: `Bearer ${brand.key}` } })).status).toBe(401);
    const session = await fetch(`${origin}/admin/session`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(OPERATOR_KEY);
    const withCookie = await fetch(`${origin}/admin/queues`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    const forged = await fetch(`${origin}/admin/queues`, { headers: { cookie: `cl_board=${'0'.repeat(64)}` } });
    expect(forged.status).toBe(401);
  });
});
