import type { Lot, LotResolution } from '@cloudloom/contracts';
import { checkOf } from './check';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { minutesAgo, registerMachines, sendReadings } from '../telemetry/support';
import { acceptedTrade, idPath, postLot, type Trade, until } from './support';

/** The headers a caller could tell two answers apart by (date, request id and rate limits differ per request). */
const SAME_FOR_ALL = ['content-type', 'content-length', 'cache-control', 'vary', 'etag'];

describe('resolving an identifier: the public part to anyone, the chain to its parties', () => {
  let t: TestApp;
  let fabric: Trade;
  let garment: Trade;
  let roll: Lot;
  let carton: Lot;
  let bundles: Lot[];

  beforeAll(async () => {
    t = await startTestApp();
    fabric = await acceptedTrade(t, 'fabric', 1000);
    // The readings below reach back 40 minutes, across midnight in the first minutes of a UTC day:
    // the allocation is made to have started the day before, so the window holds them at any hour.
    await t.sql(`UPDATE allocations SET start_date = start_date - 1 WHERE id = $1`, [fabric.allocationId]);
    await registerMachines(t, fabric.mill.key, fabric.lineId, ['L-1', 'L-2']);
    await sendReadings(t, fabric.mill.key, [
      { machineId: 'L-1', at: minutesAgo(40), state: 'running' },
      { machineId: 'L-1', at: minutesAgo(30), state: 'down' },
      { machineId: 'L-1', at: minutesAgo(25), state: 'down' },
      { machineId: 'L-1', at: minutesAgo(20), state: 'running' },
      { machineId: 'L-1', at: minutesAgo(15), state: 'down' },
      { machineId: 'L-1', at: minutesAgo(10), state: 'running' },
      { machineId: 'L-2', at: minutesAgo(40), state: 'running' },
    ]);
    await until('the readings are written', async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM machine_readings`))[0]!.n === 7);
    roll = await postLot(t, fabric, { kind: 'roll', quantity: 150 });
    garment = await acceptedTrade(t, 'garment', 200);
    bundles = [await postLot(t, garment, { kind: 'bundle', quantity: 60 }), await postLot(t, garment, { kind: 'bundle', quantity: 40 })];
    carton = await postLot(t, garment, { kind: 'carton', quantity: 100, inputs: bundles.map((b) => b.identifier) });
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it('answers the public part without a key', async () => {
    const res = await t.request<LotResolution>('GET', idPath(roll.identifier));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ identifier: roll.identifier, kind: 'roll', product: 'cotton twill fabric, 150 cm wide', quantity: 150, unit: 'm', city: 'Suzhou', madeOn: roll.madeAt.slice(0, 10) });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // Typed or scanned in lower case, it is the same lot.
    const lower = roll.identifier.replace(/\.(.*)$/, (_, code: string) => `.${code.toLowerCase()}`);
    expect((await t.request<LotResolution>('GET', idPath(lower))).body.identifier).toBe(roll.identifier);
  });

  it("gives the order's brand and the chain's factory the chain: order, line, machines and their stops", async () => {
    for (const key of [fabric.brand.key, fabric.mill.key]) {
      const res = await t.request<LotResolution>('GET', idPath(roll.identifier), { key });
      expect(res.status).toBe(200);
      const chain = res.body.chain!;
      expect(chain.order).toMatchObject({ id: fabric.orderId, kind: 'fabric', quantity: 1000, unit: 'm' });
      expect(chain.lots).toHaveLength(1);
      const [lot] = chain.lots;
      expect(lot).toMatchObject({ identifier: roll.identifier, stage: 'weaving', allocationId: fabric.allocationId, factory: { id: fabric.mill.id, city: 'Suzhou' }, line: { id: fabric.lineId, kind: 'weaving' }, inputs: [] });
      // L-1: down 30 → 20 min ago and 15 → 10 min ago: two stops, 15 minutes down; L-2 ran.
      expect(lot!.machines.map(({ externalId, stops, downSeconds }) => ({ externalId, stops, downSeconds }))).toEqual([
        { externalId: 'L-1', stops: 2, downSeconds: 900 },
        { externalId: 'L-2', stops: 0, downSeconds: 0 },
      ]);
    }
  });

  it('walks a carton back through its bundles in one request', async () => {
    const res = await t.request<LotResolution>('GET', idPath(carton.identifier), { key: garment.brand.key });
    const lots = res.body.chain!.lots;
    expect(lots[0]).toMatchObject({ identifier: carton.identifier, kind: 'carton', inputs: bundles.map((b) => b.identifier) });
    expect(lots.slice(1).map((l) => l.identifier).sort()).toEqual(bundles.map((b) => b.identifier).sort());
    expect(lots.slice(1).every((l) => l.inputs.length === 0 && l.kind === 'bundle')).toBe(true);
  });

  it('gives another brand, another factory and the operator exactly the anonymous answer', async () => {
    const anonymous = await t.request<LotResolution>('GET', idPath(roll.identifier));
    const otherBrand = await signup(t, { kind: 'brand', name: 'Curious brand' });
    const otherMill = await signup(t, { kind: 'factory', name: 'Curious mill', city: 'Suzhou' });
    // The garment trade's factory is a party of another order, not of this roll's.
    for (const key of [otherBrand.key, otherMill.key, garment.brand.key, OPERATOR_KEY, ...(garment.mill.id === fabric.mill.id ? [] : [garment.mill.key])]) {
      const res = await t.request<LotResolution>('GET', idPath(roll.identifier), { key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(anonymous.body);
      for (const header of SAME_FOR_ALL) expect(res.headers.get(header), header).toBe(anonymous.headers.get(header));
    }
  });

  it('tells a mistyped code (400, naming identifier) from an unknown one (404); a bad key gets the public part', async () => {
    const code = roll.identifier.split('.')[1]!;
    const wrong = code[0] === 'A' ? 'B' : 'A';
    const typo = roll.identifier.replace(`.${code}`, `.${wrong}${code.slice(1)}`);
    const bad = await t.request<{ errors: { field: string; message: string }[] }>('GET', idPath(typo));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['identifier']);
    expect(bad.body.errors[0]!.message).toMatch(/mistyped/);
    expect((await t.request('GET', idPath('CL/roll.short'))).status).toBe(400);
    // A well-formed identifier with a right check character that was never issued.
    const unknown = `CL/roll.0000000000000000${checkOf('0000000000000000')}`;
    expect((await t.request('GET', idPath(unknown))).status).toBe(404);
    expect((await t.request('GET', idPath(`OTHER/roll.0000000000000000${checkOf('0000000000000000')}`))).status).toBe(404);
    const stale = await t.request<LotResolution>('GET', idPath(roll.identifier), { key: 'cl_not_a_real_key_0123456789' });
    expect(stale.status).toBe(200);
    expect(stale.body.chain).toBeUndefined();
  });
});

