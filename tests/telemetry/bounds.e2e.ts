import { auditLedger } from '../support/ledger';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, type MachineBody, minutesAgo, registerMachines, sendReadings, telemetryDrained } from './support';

interface Problem {
  status: number;
  errors: { field: string; message: string }[];
}

/** Telemetry jobs still to run (waiting, active, delayed, prioritized), from /metrics. */
async function telemetryJobs(t: TestApp): Promise<number> {
  const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
  let sum = 0;
  for (const m of (await res.text()).matchAll(/^cloudloom_queue_jobs\{queue="telemetry",state="(waiting|active|delayed|prioritized)"\} (\d+)/gm)) sum += Number(m[2]);
  return sum;
}

describe('telemetry times are bounded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '600', LOOM_DOWN_DAYS: '2', TELEMETRY_RETENTION_DAYS: '14', SWEEP_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses readings older than the retention and impossible calendar dates, naming the field, and stores nothing', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Old Clock Mill' });
    const line = await addLine(t, mill.key, loomLine(['linen'], 2));
    await registerMachines(t, mill.key, line.id, ['O-1']);
    const refused = async (at: string): Promise<Problem> => {
      const res = await t.request<Problem>('POST', '/telemetry', { key: mill.key, body: { readings: [{ machineId: 'O-1', at: minutesAgo(1), state: 'idle' }, { machineId: 'O-1', at, state: 'down' }] } });
      expect(res.status).toBe(400);
      return res.body;
    };
    for (const at of ['0001-01-01T00:00:00Z', minutesAgo(15 * 24 * 60), '1999-12-31T23:59:59+01:00']) {
      expect((await refused(at)).errors).toEqual([{ field: 'readings.1.at', message: 'must not be older than 14 days (the telemetry retention)' }]);
    }
    for (const at of ['2026-02-30T10:00Z', '2026-04-31T10:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', '2026-01-01T10:00:61Z', '2026-13-01T10:00Z', '2026-01-01T10:00+25:00']) {
      expect((await refused(at)).errors).toEqual([{ field: 'readings.1.at', message: 'must be a real date and time in ISO 8601 with a time zone' }]);
    }
    const [stored] = await t.sql<{ batches: number; readings: number }>(`SELECT (SELECT count(*)::int FROM telemetry_batches) AS batches, (SELECT count(*)::int FROM machine_readings) AS readings`);
    expect(stored).toEqual({ batches: 0, readings: 0 });
    // Within the retention is taken, whatever the offset it is written with.
    const thirteenDays = new Date(Date.now() - 13 * 86_400_000).toISOString().replace('Z', '+00:00');
    expect((await t.request('POST', '/telemetry', { key: mill.key, body: { readings: [{ machineId: 'O-1', at: thirteenDays, state: 'idle' }] } })).status).toBe(202);
    // Polled: after the ingest commits, the job may still be making the reading's day (moving it out of the default partition).
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM machine_readings`))[0]!.n, { timeout: 10_000, interval: 50 }).toBe(1);
  });

  it('readings dated an hour back put looms down, but shed no work until the platform has seen them down for the bound', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Backdating Wool Mill', autoAccept: true });
    const line = await addLine(t, mill.key, loomLine(['wool'], 2));
    await registerMachines(t, mill.key, line.id, ['B-1', 'B-2']);
    const brand = await signup(t, { kind: 'brand', name: 'Running Wool Brand' });
    // 600 m x 3,000 picks: most of today's and tomorrow's picks on the two looms.
    const posted = await t.request<{ id: string }>('POST', '/orders', {
      key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'wool', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 600, earliestStart: inDays(0), dueDate: inDays(1) },
    });
    const allocation = (await orderSettled(t, brand.key, posted.body.id)).allocations[0]!;
    expect(allocation.status).toBe('accepted');
    expect((await t.request('POST', `/allocations/${allocation.id}/progress`, { key: mill.key, body: { producedQuantity: 5 } })).status).toBe(200);

    // One loom "down an hour ago" in a single reading, the other a whole backdated run: both are
    // down by their readings' times, far past the 10-minute bound.
    await sendReadings(t, mill.key, [
      { machineId: 'B-1', at: minutesAgo(60), state: 'down' },
      ...[60, 30, 1].map((m) => ({ machineId: 'B-2', at: minutesAgo(m), state: 'down' as const })),
    ]);
    await telemetryDrained(t);
    // The ingest job has finished, including its evaluation of the line.
    await expect.poll(() => telemetryJobs(t), { timeout: 10_000, interval: 50 }).toBe(0);
    const machines = (await t.request<{ items: MachineBody[] }>('GET', `/lines/${line.id}/machines`, { key: mill.key })).body.items;
    expect(machines.map((m) => m.state)).toEqual(['down', 'down']);
    expect(machines.every((m) => Date.now() - Date.parse(m.downSince!) >= 59 * 60_000)).toBe(true);
    // Nothing shed: the line keeps its picks, the running allocation all of its quantity.
    expect(await capacityOn(t, line.id, inDays(0))).toBe(dailyPicks(2));
    const [running] = await t.sql<{ status: string; quantity: number; produced: number }>(`SELECT status, quantity, produced_quantity AS produced FROM allocations WHERE id = $1`, [allocation.id]);
    expect(running).toEqual({ status: 'in_production', quantity: 600, produced: 5 });

    // Once the platform itself has had them down for the bound (as if received 11 minutes ago),
    // the next sweep takes them off the ledger: the breakdown path still works.
    await t.sql(`UPDATE machines SET down_seen_at = now() - interval '11 minutes' WHERE line_id = $1`, [line.id]);
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 15_000 }).toBe(0);
    const [trimmed] = await t.sql<{ status: string; produced: number }>(`SELECT status, produced_quantity AS produced FROM allocations WHERE id = $1`, [allocation.id]);
    expect(trimmed).toEqual({ status: 'produced', produced: 5 });
    expect((await auditLedger(t)).ledgerMismatches).toBe(0);
  });
});
