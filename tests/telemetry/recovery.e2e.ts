import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, type MachineBody, minutesAgo, registerMachines, sendReadings } from './support';

describe('telemetry and the sweep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SWEEP_EVERY_MS: '300', LOOM_DOWN_AFTER_SECONDS: '3', LOOM_DOWN_DAYS: '1', TELEMETRY_RETENTION_DAYS: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes a batch whose job was lost (committed, never queued)', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Offline Gateway Mill' });
    const line = await addLine(t, mill.key, loomLine(['wool'], 2));
    const [loom] = await registerMachines(t, mill.key, line.id, ['O-1']);
    // As if the API crashed between writing the batch and queuing its job, a minute ago.
    await t.sql(
      `INSERT INTO telemetry_batches (factory_id, machine_ids, ats, states, picks, received_at)
       VALUES ($1, ARRAY[$2]::uuid[], ARRAY[$3]::timestamptz[], ARRAY['idle'], ARRAY[NULL]::bigint[], now() - interval '1 minute')`,
      [mill.id, loom!.id, minutesAgo(2)],
    );
    await expect
      .poll(async () => (await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items[0]?.state, { timeout: 10_000 })
      .toBe('idle');
    expect((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_batches`))[0]!.n).toBe(0);
  });

  it('takes a loom off the ledger once it has been down longer than the bound, without another reading', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Quiet Breakdown Mill' });
    const line = await addLine(t, mill.key, loomLine(['silk'], 2));
    await registerMachines(t, mill.key, line.id, ['Q-1', 'Q-2']);
    const downAt = Date.now();
    await sendReadings(t, mill.key, [{ machineId: 'Q-1', at: new Date(downAt).toISOString(), state: 'down' }]);
    await expect
      .poll(async () => (await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items[0]?.state, { timeout: 10_000 })
      .toBe('down');
    // Reported, but not yet down for 3 s: the line keeps its capacity until the sweep sees the bound pass.
    const early = await capacityOn(t, line.id, inDays(0));
    const checkedAt = Date.now();
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 15_000 }).toBe(Math.floor(dailyPicks(2) / 2));
    if (checkedAt - downAt < 3000) expect(early).toBe(dailyPicks(2));
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(3000);
    expect(await capacityOn(t, line.id, inDays(1))).toBe(dailyPicks(2));
  });

  it('keeps readings in daily partitions and drops the days past the retention', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Archive Mill' });
    const line = await addLine(t, mill.key, loomLine(['linen'], 1));
    await registerMachines(t, mill.key, line.id, ['A-1']);
    const day = (offset: number): string => inDays(offset).replaceAll('-', '');
    const partition = async (name: string): Promise<string | null> => (await t.sql<{ r: string | null }>(`SELECT to_regclass($1)::text AS r`, [name]))[0]!.r;
    // Created by the migration two days back; the retention here is one day, so the sweep drops it.
    await expect.poll(() => partition(`machine_readings_p${day(-2)}`), { timeout: 10_000 }).toBeNull();
    expect(await partition(`machine_readings_p${day(-1)}`)).not.toBeNull();
    expect(await partition(`machine_readings_p${day(14)}`)).not.toBeNull();

    const now = minutesAgo(1);
    // A reading older than the retention is refused at the door: its day would only be dropped.
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const refused = await t.request<{ errors: { field: string; message: string }[] }>('POST', '/telemetry', { key: mill.key, body: { readings: [{ machineId: 'A-1', at: old, state: 'running', picks: 10 }, { machineId: 'A-1', at: now, state: 'idle' }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'readings.0.at', message: 'must not be older than 1 day (the telemetry retention)' }]);
    await sendReadings(t, mill.key, [{ machineId: 'A-1', at: now, state: 'idle' }]);
    await expect
      .poll(async () => (await t.sql<{ part: string }>(`SELECT r.tableoid::regclass::text AS part FROM machine_readings r JOIN machines m ON m.id = r.machine_id WHERE m.line_id = $1 ORDER BY at`, [line.id])).map((r) => r.part), { timeout: 10_000 })
      .toEqual([`machine_readings_p${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}`]);
    // The machine's state is the kept reading's.
    const [machine] = (await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items;
    expect(machine).toMatchObject({ state: 'idle', stateAt: now });
  });
});
