import { seeded } from '../support/ledger';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, type MachineBody, minutesAgo, type ReadingBody, registerMachines, sendReadings, telemetryDrained } from './support';

describe('machines and telemetry ingest', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The down bound counts in the platform's time too: short, with a sweep that notices it pass.
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '2', LOOM_DOWN_DAYS: '2', SWEEP_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await t.close();
  });

  it("registers a line's machines by external id, unique per factory; another factory's line is 404", async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Gateway Mill' });
    const other = await signup(t, { kind: 'factory', name: 'Other Mill' });
    const brand = await signup(t, { kind: 'brand', name: 'Curious Brand' });
    const line = await addLine(t, mill.key, loomLine(['wool'], 3));
    const otherLine = await addLine(t, other.key, loomLine(['wool'], 3));

    const created = await registerMachines(t, mill.key, line.id, ['GW-2', 'GW-1']);
    expect(created.map((m) => m.externalId)).toEqual(['GW-2', 'GW-1']);
    const listed = await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((m) => [m.externalId, m.state])).toEqual([['GW-1', null], ['GW-2', null]]);

    // The same id again in this factory: 409 naming it, nothing added.
    const again = await t.request<{ errors: { field: string }[] }>('POST', `/lines/${line.id}/machines`, { key: mill.key, body: { machines: [{ externalId: 'GW-3' }, { externalId: 'GW-1' }] } });
    expect(again.status).toBe(409);
    expect(again.body.errors.map((e) => e.field)).toEqual(['machines.1.externalId']);
    const twice = await t.request('POST', `/lines/${line.id}/machines`, { key: mill.key, body: { machines: [{ externalId: 'GW-9' }, { externalId: 'GW-9' }] } });
    expect(twice.status).toBe(400);
    // More machines than the line has.
    expect((await t.request('POST', `/lines/${line.id}/machines`, { key: mill.key, body: { machines: [{ externalId: 'GW-3' }, { externalId: 'GW-4' }] } })).status).toBe(400);
    expect((await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items).toHaveLength(2);
    // Another factory may use the same external id on its own line.
    expect((await registerMachines(t, other.key, otherLine.id, ['GW-1'])).map((m) => m.externalId)).toEqual(['GW-1']);

    expect((await t.request('GET', `/lines/${otherLine.id}/machines`, { key: mill.key })).status).toBe(404);
    expect((await t.request('POST', `/lines/${otherLine.id}/machines`, { key: mill.key, body: { machines: [{ externalId: 'X-1' }] } })).status).toBe(404);
    expect((await t.request('GET', `/lines/${line.id}/machines`, { key: brand.key })).status).toBe(404);
    expect((await t.request('GET', `/lines/${line.id}/machines`, { key: OPERATOR_KEY })).status).toBe(404);
  });

  it("refuses a batch naming another factory's machine, by index, and writes nothing", async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Honest Mill' });
    const rival = await signup(t, { kind: 'factory', name: 'Rival Mill' });
    const line = await addLine(t, mill.key, loomLine(['wool'], 2));
    const rivalLine = await addLine(t, rival.key, loomLine(['wool'], 2));
    await registerMachines(t, mill.key, line.id, ['H-1']);
    await registerMachines(t, rival.key, rivalLine.id, ['R-1']);
    const count = async (): Promise<number> => (await t.sql<{ n: number }>(`SELECT (SELECT count(*) FROM machine_readings) + (SELECT count(*) FROM telemetry_batches) AS n`))[0]!.n;
    const before = await count();

    const refused = await t.request<{ errors: { field: string }[] }>('POST', '/telemetry', {
      key: mill.key,
      body: { readings: [{ machineId: 'H-1', at: minutesAgo(2), state: 'running', picks: 10 }, { machineId: 'R-1', at: minutesAgo(2), state: 'down' }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual(['readings.1.machineId']);
    const malformed = await t.request<{ errors: { field: string }[] }>('POST', '/telemetry', {
      key: mill.key,
      body: { readings: [{ machineId: 'H-1', at: 'yesterday', state: 'broken', picks: -1, rpm: 3 }] },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e) => e.field).sort()).toEqual(['readings.0.at', 'readings.0.picks', 'readings.0.rpm', 'readings.0.state']);
    expect((await t.request('POST', '/telemetry', { key: mill.key, body: { readings: [{ machineId: 'H-1', at: minutesAgo(-60), state: 'running' }] } })).status).toBe(400);
    expect((await t.request('POST', '/telemetry', { key: mill.key, body: { readings: [] } })).status).toBe(400);
    expect(await count()).toBe(before);
    // A brand has no gateway.
    expect((await t.request('POST', '/telemetry', { key: (await signup(t, { kind: 'brand', name: 'Brand Without Looms' })).key, body: { readings: [] } })).status).toBe(404);
  });

  it('gives the same machine states from shuffled, repeated batches as from readings in order', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Twin Halls' });
    const inOrder = await addLine(t, mill.key, loomLine(['polyester'], 3, { machineType: 'water_jet', fibers: ['polyester'] }));
    const shuffled = await addLine(t, mill.key, loomLine(['polyester'], 3, { machineType: 'water_jet', fibers: ['polyester'] }));
    await registerMachines(t, mill.key, inOrder.id, ['A-1', 'A-2', 'A-3']);
    await registerMachines(t, mill.key, shuffled.id, ['B-1', 'B-2', 'B-3']);

    // Twelve minutes of one gateway, two hours ago: loom 1 breaks, recovers and breaks again;
    // loom 2 runs throughout; loom 3 idles, then breaks for good.
    const start = Date.now() - 2 * 3600_000;
    const stateOf = (loom: number, minute: number): ReadingBody['state'] =>
      loom === 1 ? (minute >= 10 || (minute >= 6 && minute <= 8) ? 'down' : 'running') : loom === 2 ? 'running' : minute >= 5 ? 'down' : 'idle';
    const timeline = (prefix: string): ReadingBody[][] =>
      Array.from({ length: 12 }, (_, minute) =>
        [1, 2, 3].map((loom) => {
          const state = stateOf(loom, minute);
          return { machineId: `${prefix}-${loom}`, at: new Date(start + minute * 60_000).toISOString(), state, ...(state === 'running' ? { picks: 4250 } : {}) };
        }),
      );

    for (const minute of timeline('A')) await sendReadings(t, mill.key, minute);
    const random = seeded(8);
    const noisy = timeline('B').flat().flatMap((r) => (random() < 0.5 ? [r, r] : [r]));
    for (let i = noisy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [noisy[i], noisy[j]] = [noisy[j]!, noisy[i]!];
    }
    const batches = [noisy.slice(0, 9), noisy.slice(9, 20), noisy.slice(20, 35), noisy.slice(35), noisy.slice(3, 12)];
    await Promise.all(batches.map((b) => sendReadings(t, mill.key, b)));
    await telemetryDrained(t);

    const states = async (lineId: string) =>
      (await t.request<{ items: MachineBody[] }>('GET', `/lines/${lineId}/machines`, { key: mill.key })).body.items.map((m) => ({ loom: m.externalId.slice(2), state: m.state, stateAt: m.stateAt, downSince: m.downSince }));
    const expected = states(inOrder.id);
    expect(await states(shuffled.id)).toEqual(await expected);
    expect(await expected).toEqual([
      { loom: '1', state: 'down', stateAt: new Date(start + 11 * 60_000).toISOString(), downSince: new Date(start + 10 * 60_000).toISOString() },
      { loom: '2', state: 'running', stateAt: new Date(start + 11 * 60_000).toISOString(), downSince: null },
      { loom: '3', state: 'down', stateAt: new Date(start + 11 * 60_000).toISOString(), downSince: new Date(start + 5 * 60_000).toISOString() },
    ]);
    const stored = await t.sql<{ line: string; n: number; picks: string }>(
      `SELECT m.line_id AS line, count(*)::int AS n, sum(r.picks)::text AS picks FROM machine_readings r JOIN machines m ON m.id = r.machine_id
       WHERE m.line_id = ANY($1::uuid[]) GROUP BY m.line_id`,
      [[inOrder.id, shuffled.id]],
    );
    expect(stored.map((s) => [s.n, s.picks])).toEqual([[36, String(4250 * (12 + 7))], [36, String(4250 * (12 + 7))]]);
    // Two of three looms down for well over the bound: a third of each line's capacity is left, on both.
    for (const lineId of [inOrder.id, shuffled.id]) {
      for (const day of [inDays(0), inDays(1)]) await expect.poll(() => capacityOn(t, lineId, day), { timeout: 10_000 }).toBe(Math.floor(dailyPicks(3) * (1 - 2 / 3)));
      expect(await capacityOn(t, lineId, inDays(2))).toBe(dailyPicks(3));
    }
  });
});
