import { startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';

interface Problem {
  errors: { field: string; message: string }[];
}

/** A dye house publishes a finishing line over HTTP: meters a day, processes, minimum batch, stenter width. */
describe('finishing lines', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    ({ key } = await signup(t, { kind: 'factory', name: 'Keqiao Dyeing No. 1', city: 'Shaoxing', province: 'Zhejiang' }));
  });
  afterAll(async () => {
    await t.close();
  });

  const dyeRange = { kind: 'finishing', name: 'Dye range 1', processes: ['dyeing', 'washing'], metersPerDay: 6000, minBatchM: 500, maxWidthCm: 200, ratePerUnit: 1.8 };

  it('is created with its capacity in meters a day and its ledger opened for the horizon', async () => {
    const line = await addLine(t, key, dyeRange);
    expect(line.dailyCapacity).toBe(6000);
    const listed = await t.request<{ items: Record<string, unknown>[] }>('GET', '/lines', { key });
    expect(listed.body.items.find((l) => l['id'] === line.id)).toMatchObject({
      kind: 'finishing', processes: ['dyeing', 'washing'], metersPerDay: 6000, minBatchM: 500, maxWidthCm: 200, capacityUnit: 'meters', ratePerUnit: 1.8,
    });
    const [ledger] = await t.sql<{ days: number; capacity: string }>(`SELECT count(*)::int AS days, min(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1`, [line.id]);
    expect(ledger).toEqual({ days: 60, capacity: '6000' });
  });

  it('takes a larger range by edit, and the ledger follows', async () => {
    const line = await addLine(t, key, { ...dyeRange, name: 'Dye range 2' });
    const edited = await t.request<{ dailyCapacity: number; metersPerDay: number }>('PATCH', `/lines/${line.id}`, { key, body: { metersPerDay: 8000 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ dailyCapacity: 8000, metersPerDay: 8000 });
    const [ledger] = await t.sql<{ capacity: string }>(`SELECT max(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1`, [line.id]);
    expect(ledger?.capacity).toBe('8000');
  });

  it('refuses an unknown process, a missing daily meters, and fields of another kind of line, naming each', async () => {
    const bad = await t.request<Problem>('POST', '/lines', { key, body: { ...dyeRange, processes: ['bleaching'], metersPerDay: undefined, operators: 30, rpm: 700 } });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['metersPerDay', 'processes']));
    expect(bad.body.errors.find((e) => e.field === 'processes')?.message).toMatch(/dyeing, printing, finishing, washing, coating/);
    const foreign = await t.request<Problem>('POST', '/lines', { key, body: { ...dyeRange, operators: 30, efficiency: 0.7 } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual(expect.arrayContaining([
      { field: 'operators', message: 'not a field of a finishing line' }, { field: 'efficiency', message: 'not a field of a finishing line' },
    ]));
    const [count] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM lines WHERE kind = 'finishing' AND name NOT IN ('Dye range 1', 'Dye range 2')`);
    expect(count?.n).toBe(0);
  });

  it('still refuses a finishing field on a weaving line', async () => {
    const bad = await t.request<Problem>('POST', '/lines', {
      key, body: { kind: 'weaving', name: 'Looms', machineType: 'rapier', machines: 10, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.01, minBatchM: 100 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'minBatchM', message: 'not a field of a weaving line' }]);
  });
});
