import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

/** Factories start unverified and get no offers until an operator verifies them. */
describe('factory verification', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTO_VERIFY_FACTORIES: 'false' });
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  const order = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 24 }, quantity: 600, dueDate: inDays(20) };

  it('offers nothing to an unverified factory, and only an operator can verify it', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'New Mill' });
    const brand = await signup(t, { kind: 'brand', name: 'Waiting Brand' });
    expect((await t.request<{ verified: boolean }>('GET', '/me', { key: factory.key })).body.verified).toBe(false);
    await addLine(t, factory.key, airJetLine);

    const first = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: order });
    const unmatched = await orderSettled(t, brand.key, first.body.id);
    expect(unmatched.status).toBe('unmatched');
    expect(unmatched.allocations).toEqual([]);
    expect((await t.request<{ items: unknown[] }>('GET', '/offers', { key: factory.key })).body.items).toEqual([]);

    // Neither the factory itself nor a brand may verify; to them the route does not exist.
    expect((await t.request('POST', `/factories/${factory.id}/verify`, { key: factory.key })).status).toBe(404);
    expect((await t.request('POST', `/factories/${factory.id}/verify`, { key: brand.key })).status).toBe(404);
    expect((await t.request('POST', `/factories/${factory.id}/verify`)).status).toBe(401);
    expect((await t.request<{ verified: boolean }>('GET', '/me', { key: factory.key })).body.verified).toBe(false);
    // A brand is not a factory, and an unknown id is nobody.
    expect((await t.request('POST', `/factories/${brand.id}/verify`, { key: OPERATOR_KEY })).status).toBe(404);
    expect((await t.request('POST', '/factories/5b0f4a4e-8d0c-4a53-9f56-2b8f2f0e7f11/verify', { key: OPERATOR_KEY })).status).toBe(404);

    const verified = await t.request('POST', `/factories/${factory.id}/verify`, { key: OPERATOR_KEY });
    expect(verified.status).toBe(200);
    expect((await t.request<{ verified: boolean }>('GET', '/me', { key: factory.key })).body.verified).toBe(true);
    // The order that waited for a verified mill is woken by the verification itself.
    const woken = await orderSettled(t, brand.key, first.body.id, ['pending', 'matching', 'unmatched']);
    expect(woken.status).toBe('proposed');
    expect(woken.allocations.map((a) => a.factoryId)).toEqual([factory.id]);
    // Verifying again changes nothing.
    expect((await t.request('POST', `/factories/${factory.id}/verify`, { key: OPERATOR_KEY })).status).toBe(200);

    const second = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: order });
    const proposed = await orderSettled(t, brand.key, second.body.id);
    expect(proposed.status).toBe('proposed');
    expect(proposed.allocations.map((a) => a.factoryId)).toEqual([factory.id]);
  });

  it('does not let a factory verify itself through its profile', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Sly Mill' });
    const res = await t.request<{ errors: { field: string }[] }>('PATCH', '/me', { key: factory.key, body: { verified: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(['verified']);
    const signupSly = await t.request<{ errors: { field: string }[] }>('POST', '/signup', { body: { kind: 'factory', name: 'Slier Mill', verified: true } });
    expect(signupSly.status).toBe(400);
    const [row] = await t.sql<{ verified: boolean }>('SELECT verified FROM organizations WHERE id = $1', [factory.id]);
    expect(row!.verified).toBe(false);
  });
});
