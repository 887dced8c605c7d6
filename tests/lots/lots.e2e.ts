import type { Lot } from '@cloudloom/contracts';
import { checkOf } from './check';
import { startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { acceptedTrade, lotsOf, postLot, producedOf, type Trade } from './support';

interface Problem {
  errors: { field: string; message: string }[];
}

describe('lots: recorded by the factory, adding up to its production', () => {
  let t: TestApp;
  let fabric: Trade;
  let garment: Trade;

  beforeAll(async () => {
    t = await startTestApp();
    fabric = await acceptedTrade(t, 'fabric', 1000);
    garment = await acceptedTrade(t, 'garment', 300);
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it('records rolls whose quantities drive the allocation: never above it, never backwards', async () => {
    const first = await postLot(t, fabric, { kind: 'roll', quantity: 120 });
    expect(first).toMatchObject({ kind: 'roll', quantity: 120, unit: 'm', counted: true, allocationId: fabric.allocationId, orderId: fabric.orderId, inputs: [] });
    expect(first.identifier).toMatch(/^CL\/roll\.[0-9A-HJKMNP-TV-Z]{16}[0-9A-Z*]$/);
    expect(first.url).toBe(`http://localhost:3000/id/${first.identifier}`);
    expect(await producedOf(t, fabric.allocationId)).toEqual({ produced: 120, status: 'in_production' });

    await postLot(t, fabric, { kind: 'roll', quantity: 80 });
    expect((await producedOf(t, fabric.allocationId)).produced).toBe(200);

    // Above the allocation: refused, naming the quantity, and nothing written.
    const over = await t.request<Problem>('POST', `/allocations/${fabric.allocationId}/lots`, { key: fabric.mill.key, body: { kind: 'roll', quantity: 801 } });
    expect(over.status).toBe(400);
    expect(over.body.errors.map((e) => e.field)).toEqual(['quantity']);
    expect(over.body.errors[0]!.message).toMatch(/1001.*1000/);

    // A report ahead of the lots stands; a lot below it does not move it back.
    expect((await t.request('POST', `/allocations/${fabric.allocationId}/progress`, { key: fabric.mill.key, body: { producedQuantity: 500 } })).status).toBe(200);
    await postLot(t, fabric, { kind: 'roll', quantity: 100 });
    expect((await producedOf(t, fabric.allocationId)).produced).toBe(500);
    // Lots catching up pass it, and the last one finishes the allocation.
    await postLot(t, fabric, { kind: 'roll', quantity: 650 });
    expect((await producedOf(t, fabric.allocationId)).produced).toBe(950);
    await postLot(t, fabric, { kind: 'roll', quantity: 50 });
    expect(await producedOf(t, fabric.allocationId)).toEqual({ produced: 1000, status: 'produced' });

    const list = await lotsOf(t, fabric.mill.key, fabric.allocationId);
    expect(list.items.map((l) => l.quantity)).toEqual([120, 80, 100, 650, 50]);
    expect(list.countedQuantity).toBe(1000);
    expect(new Set(list.items.map((l) => l.identifier)).size).toBe(5);
    // The brand reads them too; a finished allocation takes no more lots.
    expect((await lotsOf(t, fabric.brand.key, fabric.allocationId)).items).toHaveLength(5);
    expect((await t.request('POST', `/allocations/${fabric.allocationId}/lots`, { key: fabric.mill.key, body: { kind: 'roll', quantity: 1 } })).status).toBe(409);
  });

  it('takes only the kinds its line makes, and refuses unknown fields and bad values by name', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'bundle', quantity: 5 }, 'kind'],
      [{ kind: 'pallet', quantity: 5 }, 'kind'],
      [{ kind: 'roll', quantity: 0 }, 'quantity'],
      [{ kind: 'roll', quantity: 5, colour: 'red' }, 'colour'],
      [{ kind: 'roll', quantity: 5, inputs: 'CL/roll.x' }, 'inputs'],
    ];
    const trade = await acceptedTrade(t, 'fabric', 100);
    for (const [body, field] of cases) {
      const res = await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots`, { key: trade.mill.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toContain(field);
    }
    expect((await lotsOf(t, trade.mill.key, trade.allocationId)).items).toEqual([]);
  });

  it("answers 404 for another factory's allocation or a brand's post, and 409 before the offer is accepted", async () => {
    const otherMill = await signup(t, { kind: 'factory', name: 'Outside mill' });
    const otherBrand = await signup(t, { kind: 'brand', name: 'Outside brand' });
    expect((await t.request('POST', `/allocations/${fabric.allocationId}/lots`, { key: otherMill.key, body: { kind: 'roll', quantity: 1 } })).status).toBe(404);
    expect((await t.request('GET', `/allocations/${fabric.allocationId}/lots`, { key: otherMill.key })).status).toBe(404);
    expect((await t.request('GET', `/allocations/${fabric.allocationId}/lots`, { key: otherBrand.key })).status).toBe(404);
    const other = await acceptedTrade(t, 'fabric', 100);
    expect((await t.request('POST', `/allocations/${fabric.allocationId}/lots`, { key: fabric.brand.key, body: { kind: 'roll', quantity: 1 } })).status).toBe(404);
    expect((await t.request('POST', `/allocations/not-an-id/lots`, { key: fabric.mill.key, body: { kind: 'roll', quantity: 1 } })).status).toBe(404);
    await t.sql(`UPDATE allocations SET status = 'offered' WHERE id = $1`, [other.allocationId]);
    expect((await t.request('POST', `/allocations/${other.allocationId}/lots`, { key: other.mill.key, body: { kind: 'roll', quantity: 1 } })).status).toBe(409);
  });

  it("packs bundles into cartons that do not count twice, and refuses inputs from another order's chain", async () => {
    const a = await postLot(t, garment, { kind: 'bundle', quantity: 100 });
    const b = await postLot(t, garment, { kind: 'bundle', quantity: 50 });
    const carton = await postLot(t, garment, { kind: 'carton', quantity: 120, inputs: [a.identifier, b.identifier, a.identifier] });
    expect(carton).toMatchObject({ counted: false, unit: 'pcs', inputs: [a.identifier, b.identifier] });
    expect((await producedOf(t, garment.allocationId)).produced).toBe(150);

    const refused = async (body: Record<string, unknown>, trade: Trade = garment): Promise<Problem['errors']> => {
      const res = await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots`, { key: trade.mill.key, body });
      expect(res.status).toBe(400);
      return res.body.errors;
    };
    // More in cartons than in the bundles; a carton without bundles.
    expect((await refused({ kind: 'carton', quantity: 31, inputs: [b.identifier] }))[0]).toMatchObject({ field: 'quantity' });
    expect((await refused({ kind: 'carton', quantity: 1 }))[0]).toMatchObject({ field: 'inputs' });
    // Another order's roll (another factory's work this one was not given) reads as unknown.
    const [roll] = (await lotsOf(t, fabric.mill.key, fabric.allocationId)).items;
    const foreign = await refused({ kind: 'bundle', quantity: 1, inputs: [roll!.identifier] });
    const unknown = await refused({ kind: 'bundle', quantity: 1, inputs: ['CL/roll.0000000000000000X'.slice(0, -1) + checkOf('0000000000000000')] });
    expect(foreign).toEqual([{ field: 'inputs.0', message: `${roll!.identifier}: is not a lot of this order's chain` }]);
    expect(unknown[0]!.message).toMatch(/is not a lot of this order's chain$/);
    // The same brand's other order, at the same factory: still another chain.
    const second = await acceptedTrade(t, 'garment', 100, { mill: garment.mill, brand: garment.brand, lineId: garment.lineId });
    expect((await refused({ kind: 'carton', quantity: 10, inputs: [a.identifier] }, second))[0]).toMatchObject({ field: 'inputs.0' });
    // A bundle is not an input of a bundle (same stage); a mistyped identifier is told apart.
    expect((await refused({ kind: 'bundle', quantity: 1, inputs: [a.identifier] }))[0]!.message).toMatch(/earlier stage/);
    const typo = a.identifier.slice(0, -3) + a.identifier.slice(-2, -1) + a.identifier.slice(-3, -2) + a.identifier.slice(-1);
    if (typo !== a.identifier) expect((await refused({ kind: 'carton', quantity: 1, inputs: [typo] }))[0]!.message).toMatch(/mistyped/);
    expect((await lotsOf(t, garment.mill.key, garment.allocationId)).items).toHaveLength(3);
  });

  it('takes a batch all or none, naming lots.<i>.<field>', async () => {
    const trade = await acceptedTrade(t, 'fabric', 500);
    const bad = await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: [{ kind: 'roll', quantity: 10 }, { kind: 'roll', quantity: 0 }, { kind: 'bundle', quantity: 1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['lots.1.quantity']);
    const wrongKind = await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: [{ kind: 'roll', quantity: 10 }, { kind: 'bundle', quantity: 1 }] } });
    expect(wrongKind.body.errors.map((e) => e.field)).toEqual(['lots.1.kind']);
    const over = await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: [{ kind: 'roll', quantity: 300 }, { kind: 'roll', quantity: 300 }] } });
    expect(over.body.errors.map((e) => e.field)).toEqual(['lots.1.quantity']);
    expect((await t.request<Problem>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: Array.from({ length: 501 }, () => ({ kind: 'roll', quantity: 1 })) } })).status).toBe(400);
    expect((await lotsOf(t, trade.mill.key, trade.allocationId)).items).toEqual([]);
    expect((await producedOf(t, trade.allocationId)).produced).toBe(0);

    const good = await t.request<{ items: Lot[] }>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: [{ kind: 'roll', quantity: 300 }, { kind: 'roll', quantity: 200 }] } });
    expect(good.status).toBe(201);
    expect(good.body.items.map((l) => l.quantity)).toEqual([300, 200]);
    expect(await producedOf(t, trade.allocationId)).toEqual({ produced: 500, status: 'produced' });
  });

  it('gives 10,000 lots posted by 20 clients at once 10,000 distinct identifiers, adding up exactly', async () => {
    const trade = await acceptedTrade(t, 'fabric', 12_000);
    const clients = 20;
    const results = await Promise.all(Array.from({ length: clients }, () => t.request<{ items: Lot[] }>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: Array.from({ length: 500 }, () => ({ kind: 'roll', quantity: 1 })) } })));
    expect(results.map((r) => r.status)).toEqual(Array(clients).fill(201));
    const returned = results.flatMap((r) => r.body.items.map((l) => l.identifier));
    expect(returned).toHaveLength(10_000);
    expect(new Set(returned).size).toBe(10_000);
    const [stored] = await t.sql<{ n: number; distinct: number; total: number }>(`SELECT count(*)::int AS n, count(DISTINCT identifier)::int AS distinct, sum(quantity)::int AS total FROM lots WHERE allocation_id = $1`, [trade.allocationId]);
    expect(stored).toEqual({ n: 10_000, distinct: 10_000, total: 10_000 });
    expect((await producedOf(t, trade.allocationId)).produced).toBe(10_000);
  }, 120_000);
});

