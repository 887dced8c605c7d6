import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import type { Allocation, MarketRates, Order } from '@cloudloom/contracts';

/**
 * DESIGN.md §9: every price per unit beside the total, with what it covers, and the market's
 * band of rates a new line is priced against (GET /market/rates).
 */
describe('rates against the market', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const rates = (key: string, query: string): Promise<{ status: number; body: MarketRates & { errors?: { field: string; message: string }[] } }> =>
    t.request('GET', `/market/rates?${query}`, { key });

  it('answers the quartiles of active lines per loom type, in a city with enough of them, else across the market', async () => {
    // Six projectile lines in one city, two in another; a paused line and a rapier line do not count.
    const cityRates = [0.1, 0.12, 0.14, 0.16, 0.18, 0.2];
    const projectile = { ...airJetLine, machineType: 'projectile', name: 'Projectiles' };
    const mills = await Promise.all(cityRates.map((_, i) => signup(t, { kind: 'factory', name: `Rates Mill ${i}`, city: 'Rates Town' })));
    await Promise.all(mills.map((m, i) => addLine(t, m.key, { ...projectile, ratePerUnit: cityRates[i] })));
    const far = await signup(t, { kind: 'factory', name: 'Far Mill', city: 'Elsewhere' });
    await addLine(t, far.key, { ...projectile, ratePerUnit: 0.3 });
    await addLine(t, far.key, { ...projectile, ratePerUnit: 0.5 });
    const paused = await addLine(t, far.key, { ...projectile, ratePerUnit: 9 });
    expect((await t.request('PATCH', `/lines/${paused.id}`, { key: far.key, body: { active: false } })).status).toBe(200);
    await addLine(t, far.key, { ...projectile, machineType: 'rapier', ratePerUnit: 7 });

    const inTown = await rates(far.key, 'kind=weaving&machineType=projectile&city=rates%20town');
    expect(inTown.status).toBe(200);
    // percentile_cont over 0.10 … 0.20: 0.125, 0.15, 0.175.
    expect(inTown.body).toEqual({ kind: 'weaving', machineType: 'projectile', city: 'rates town', rateUnit: 'picks_1000', n: 6, p25: 0.125, median: 0.15, p75: 0.175 });

    // Two lines in a city make no band of their own: the whole market's, and the answer says so.
    const elsewhere = await rates(mills[0]!.key, 'machineType=projectile&city=Elsewhere');
    expect(elsewhere.body).toMatchObject({ kind: 'weaving', city: null, n: 8, median: 0.17 });
    expect((await rates(OPERATOR_KEY, 'machineType=projectile')).body.n).toBe(8);

    // A kind with no lines: a band of none, not an error.
    expect((await rates(far.key, 'kind=finishing&process=printing')).body).toEqual({ kind: 'finishing', process: 'printing', city: null, rateUnit: 'meter', n: 0, p25: null, median: null, p75: null });
  });

  it('bands sewing lines per category, refuses filters of another kind in words, and is not for brands', async () => {
    const sewer = await signup(t, { kind: 'factory', name: 'Sewing Rates', city: 'Humen' });
    const sewing = { kind: 'sewing', name: 'Polo line', operators: 20, categories: ['polo'], fabricTypes: ['knit'] };
    await addLine(t, sewer.key, { ...sewing, ratePerUnit: 0.5 });
    await addLine(t, sewer.key, { ...sewing, ratePerUnit: 0.7 });
    await addLine(t, sewer.key, { ...sewing, categories: ['jeans'], fabricTypes: ['woven'], ratePerUnit: 2 });
    expect((await rates(sewer.key, 'kind=sewing&category=polo')).body).toMatchObject({ kind: 'sewing', category: 'polo', rateUnit: 'minute', n: 2, median: 0.6 });

    const wrong = await rates(sewer.key, 'kind=sewing&machineType=air_jet');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ field: 'machineType', message: 'only weaving lines have a machine type' }]);
    const unknown = await rates(sewer.key, 'machineType=steam');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.field).toBe('machineType');

    const brand = await signup(t, { kind: 'brand', name: 'Curious Brand' });
    expect((await rates(brand.key, 'machineType=air_jet')).status).toBe(404);
    expect((await t.request('GET', '/market/rates')).status).toBe(401);
  });

  it('shows every price per unit beside the total, with what it covers, in the quote, the order and the offer', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Yarn Mill' });
    // The only jacquard looms here: this test's order can go nowhere else.
    const line = await addLine(t, mill.key, { ...airJetLine, machineType: 'jacquard', ratePerUnit: 0.2, priceCovers: 'yarn_included' });
    expect((await t.request<{ items: { id: string; priceCovers: string }[] }>('GET', '/lines', { key: mill.key })).body.items.find((l) => l.id === line.id)?.priceCovers).toBe('yarn_included');

    const brand = await signup(t, { kind: 'brand', name: 'Unit Brand' });
    const body = { kind: 'fabric', fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 150, picksPerCm: 30 }, quantity: 800, dueDate: inDays(25), targetPrice: 1000 };
    // 800 m × 3,000 picks a meter × 0.2 per 1,000 picks = 480 CNY: 0.6 a meter.
    const quote = await t.request<{ feasible: boolean; price: number; pricePerUnit: number; unit: string; priceCovers: string }>('POST', '/quotes', { key: brand.key, body });
    expect(quote.body).toMatchObject({ feasible: true, price: 480, pricePerUnit: 0.6, unit: 'meter', priceCovers: 'yarn_included' });

    const posted = await t.request<Order>('POST', '/orders', { key: brand.key, body });
    const order = (await orderSettled(t, brand.key, posted.body.id)) as unknown as Order;
    expect(order).toMatchObject({ status: 'proposed', unit: 'meter', targetPrice: 1000, targetPricePerUnit: 1.25, agreedPrice: 1000, agreedPricePerUnit: 1.25 });
    expect(order.allocations[0]).toMatchObject({ price: 480, pricePerUnit: 0.6, unit: 'meter', priceCovers: 'yarn_included' });

    // The offer keeps the terms it was made on, though the line changes its own later.
    expect((await t.request('PATCH', `/lines/${line.id}`, { key: mill.key, body: { priceCovers: 'processing' } })).status).toBe(200);
    const offers = await t.request<{ items: Allocation[] }>('GET', '/offers', { key: mill.key });
    expect(offers.body.items.find((a) => a.orderId === order.id)).toMatchObject({ pricePerUnit: 0.6, unit: 'meter', priceCovers: 'yarn_included' });
  });

  it('prices a garment per piece, and keeps yarn off lines that weave none', async () => {
    const sewer = await signup(t, { kind: 'factory', name: 'Piece Sewer' });
    const sewing = { kind: 'sewing', name: 'Coat line', operators: 40, categories: ['coat'], fabricTypes: ['woven'], ratePerUnit: 0.8 };
    const yarn = await t.request<{ errors: { field: string; message: string }[] }>('POST', '/lines', { key: sewer.key, body: { ...sewing, priceCovers: 'yarn_included' } });
    expect(yarn.status).toBe(400);
    expect(yarn.body.errors).toEqual([{ field: 'priceCovers', message: "only a weaving line's rate can include the yarn" }]);
    const odd = await t.request<{ errors: { field: string; message: string }[] }>('POST', '/lines', { key: sewer.key, body: { ...sewing, priceCovers: 'everything' } });
    expect(odd.status).toBe(400);
    expect(odd.body.errors[0]?.field).toBe('priceCovers');
    await addLine(t, sewer.key, sewing);

    const brand = await signup(t, { kind: 'brand', name: 'Coat Brand' });
    // 250 coats × 20 standard minutes × 0.8 = 4,000 CNY: 16 a piece.
    const body = { kind: 'garment', garment: { category: 'coat', fabricType: 'woven', samMinutes: 20 }, quantity: 250, dueDate: inDays(25) };
    const quote = await t.request<{ price: number; pricePerUnit: number; unit: string; priceCovers: string }>('POST', '/quotes', { key: brand.key, body });
    expect(quote.body).toMatchObject({ price: 4000, pricePerUnit: 16, unit: 'piece', priceCovers: 'processing' });
    const posted = await t.request<Order>('POST', '/orders', { key: brand.key, body });
    const order = (await orderSettled(t, brand.key, posted.body.id)) as unknown as Order;
    expect(order.unit).toBe('piece');
    expect(order.allocations[0]).toMatchObject({ price: 4000, pricePerUnit: 16, unit: 'piece', priceCovers: 'processing' });
  });
});
