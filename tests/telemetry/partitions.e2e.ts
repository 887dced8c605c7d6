import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { loomLine, type MachineBody, type ReadingBody, registerMachines, sendReadings } from './support';

describe('readings of days without their partition', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The sweep as good as stopped: the ingest alone must give readings their days.
    t = await startTestApp({ SWEEP_EVERY_MS: '3600000', TELEMETRY_RETENTION_DAYS: '14' });
  });
  afterAll(async () => {
    await t.close();
  });

  const partitionOf = (day: string): string => `machine_readings_p${day.replaceAll('-', '')}`;
  const exists = async (name: string): Promise<boolean> => (await t.sql<{ r: string | null }>(`SELECT to_regclass($1)::text AS r`, [name]))[0]!.r !== null;
  const placed = async (lineId: string): Promise<{ at: string; part: string }[]> =>
    t.sql(`SELECT r.at::text AS at, r.tableoid::regclass::text AS part FROM machine_readings r JOIN machines m ON m.id = r.machine_id WHERE m.line_id = $1 ORDER BY r.at`, [lineId]);

  it('the ingest makes the missing days, and no reading is lost or left in the default partition', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Gateway After Outage Mill' });
    const line = await addLine(t, mill.key, loomLine(['cotton'], 2));
    await registerMachines(t, mill.key, line.id, ['G-1', 'G-2']);
    // As after two weeks without upkeep: the days the readings fall on have no partition.
    for (const day of [inDays(-2), inDays(-1)]) await t.sql(`DROP TABLE IF EXISTS ${partitionOf(day)}`);
    expect(await exists(partitionOf(inDays(-1)))).toBe(false);

    const readings: ReadingBody[] = ['G-1', 'G-2'].flatMap((machineId) => [
      { machineId, at: `${inDays(-2)}T08:00:00.000Z`, state: 'running' as const, picks: 100 },
      { machineId, at: `${inDays(-1)}T08:00:00.000Z`, state: 'running' as const, picks: 200 },
      { machineId, at: `${inDays(-1)}T20:00:00.000Z`, state: 'idle' as const },
    ]);
    await sendReadings(t, mill.key, readings);
    await expect.poll(async () => (await placed(line.id)).length, { timeout: 10_000, interval: 50 }).toBe(6);
    await expect
      .poll(async () => (await placed(line.id)).map((r) => r.part), { timeout: 10_000, interval: 50 })
      .toEqual([partitionOf(inDays(-2)), partitionOf(inDays(-2)), ...Array<string>(4).fill(partitionOf(inDays(-1)))]);
    const [left] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM machine_readings_default`);
    expect(left!.n).toBe(0);
    const machines = (await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items;
    expect(machines.map((m) => m.state)).toEqual(['idle', 'idle']);
  });

  it('upkeep makes a day whose readings wait in the default partition, moving them into it', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Default Partition Mill' });
    const line = await addLine(t, mill.key, loomLine(['cotton'], 1));
    const [loom] = await registerMachines(t, mill.key, line.id, ['D-1']);
    const day = inDays(-3);
    expect(await exists(partitionOf(day))).toBe(false);
    // Readings of a day nobody made yet sit in the default partition.
    await t.sql(
      `INSERT INTO machine_readings (machine_id, at, state, picks) SELECT $1, $2::date + make_interval(hours => h), 'running', 10 FROM generate_series(1, 5) AS h`,
      [loom!.id, day],
    );
    expect((await placed(line.id)).map((r) => r.part)).toEqual(Array<string>(5).fill('machine_readings_default'));

    const [made] = await t.sql<{ n: number }>(`SELECT ensure_reading_partitions($1::date, $1::date) AS n`, [day]);
    expect(made!.n).toBe(1);
    expect((await placed(line.id)).map((r) => r.part)).toEqual(Array<string>(5).fill(partitionOf(day)));
    // The moved day is a partition like any other: a repeated reading is still refused by the key.
    const [again] = await t.sql<{ n: number }>(
      `WITH i AS (INSERT INTO machine_readings (machine_id, at, state) VALUES ($1, $2::date + interval '1 hour', 'idle') ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM i`,
      [loom!.id, day],
    );
    expect(again!.n).toBe(0);
    expect(await t.sql(`SELECT 1 FROM machine_readings_default`)).toEqual([]);
  });
});
