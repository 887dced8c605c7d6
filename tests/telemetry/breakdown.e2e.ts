import { auditLedger } from '../support/ledger';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, minutesAgo, registerMachines, sendReadings } from './support';

describe('capacity follows the looms', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '600', LOOM_DOWN_DAYS: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a breakdown under an accepted allocation re-plans the order with no line-day over-reserved; looms back up restore the line', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Small Linen Mill' });
    const line = await addLine(t, mill.key, loomLine(['linen'], 4, { ratePerUnit: 0.01 }));
    await registerMachines(t, mill.key, line.id, ['L-1', 'L-2', 'L-3', 'L-4']);
    const brand = await signup(t, { kind: 'brand', name: 'Linen Brand' });
    // 1,300 m x 3,000 picks: more than one day of the 4 looms, less than two (today and tomorrow).
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1300, earliestStart: inDays(0), dueDate: inDays(1) },
    });
    const first = await orderSettled(t, brand.key, posted.body.id);
    expect(first.allocations).toMatchObject([{ lineId: line.id, quantity: 1300, status: 'offered' }]);
    const allocationId = first.allocations[0]!.id;
    expect((await t.request('POST', `/offers/${allocationId}/accept`, { key: mill.key })).status).toBe(200);
    // A second mill joins after the match: where the work can go when the first one breaks down.
    const backup = await signup(t, { kind: 'factory', name: 'Backup Linen Mill' });
    const backupLine = await addLine(t, backup.key, loomLine(['linen'], 10, { ratePerUnit: 0.03 }));

    // Two of the four looms report down for the last hour (the bound is 10 minutes), two stand
    // idle: the work has not started (picks would credit it and put it in production, which is never moved).
    await sendReadings(t, mill.key, [
      ...['L-1', 'L-2'].flatMap((machineId) => [60, 30, 1].map((m) => ({ machineId, at: minutesAgo(m), state: 'down' as const }))),
      ...['L-3', 'L-4'].map((machineId) => ({ machineId, at: minutesAgo(1), state: 'idle' as const })),
    ]);
    const half = Math.floor(dailyPicks(4) / 2);
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 10_000 }).toBe(half);
    expect(await capacityOn(t, line.id, inDays(1))).toBe(half);
    expect(await capacityOn(t, line.id, inDays(2))).toBe(dailyPicks(4));

    // The accepted allocation no longer fits: released, both sides told, the order planned again.
    await expect
      .poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body, { timeout: 15_000 })
      .toSatisfy((o: OrderBody) => o.status === 'proposed' && o.allocations.some((a) => a.status === 'offered'));
    const order = (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(order.allocations.find((a) => a.id === allocationId)?.status).toBe('cancelled');
    const live = order.allocations.filter((a) => a.status === 'offered' || a.status === 'accepted');
    expect(live.reduce((sum, a) => sum + a.quantity, 0)).toBe(1300);
    expect(live.map((a) => a.lineId)).toContain(backupLine.id);
    const [event] = await t.sql<{ audience: string[]; payload: { allocationId: string } }>(`SELECT audience::text[] AS audience, payload FROM events WHERE type = 'allocation.replanned' AND order_id = $1`, [posted.body.id]);
    expect(event!.payload.allocationId).toBe(allocationId);
    expect([...event!.audience].sort()).toEqual([brand.id, mill.id].sort());
    const audit = await auditLedger(t);
    expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches, allocationMismatches: audit.allocationMismatches, wrongTotals: audit.wrongTotals }).toEqual({
      overReserved: 0, ledgerMismatches: 0, allocationMismatches: 0, wrongTotals: 0,
    });
    const [held] = await t.sql<{ reserved: string; capacity: string }>(`SELECT max(reserved)::text AS reserved, min(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1 AND day <= $2::date`, [line.id, inDays(1)]);
    expect(Number(held!.reserved)).toBeLessThanOrEqual(Number(held!.capacity));

    // The looms are repaired: the line's capacity comes back, and the change is announced.
    await sendReadings(t, mill.key, ['L-1', 'L-2'].map((machineId) => ({ machineId, at: minutesAgo(0.2), state: 'idle' as const })));
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 10_000 }).toBe(dailyPicks(4));
    expect(await capacityOn(t, line.id, inDays(1))).toBe(dailyPicks(4));
    const changes = await t.sql<{ payload: { machinesDown: number; source: string } }>(`SELECT payload FROM events WHERE type = 'line.changed' AND payload->>'lineId' = $1 AND payload->>'source' = 'telemetry' ORDER BY id`, [line.id]);
    expect(changes.map((c) => c.payload.machinesDown)).toEqual([2, 0]);
  });

  it('looms back up wake an order left unmatched for want of capacity', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Only Silk Mill' });
    const line = await addLine(t, mill.key, loomLine(['silk'], 2));
    await registerMachines(t, mill.key, line.id, ['S-1', 'S-2']);
    await sendReadings(t, mill.key, ['S-1', 'S-2'].map((machineId) => ({ machineId, at: minutesAgo(30), state: 'down' as const })));
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 10_000 }).toBe(0);
    const brand = await signup(t, { kind: 'brand', name: 'Silk Brand' });
    // Needs both days of both looms: nothing fits while they are down.
    const quantity = Math.floor((dailyPicks(2) * 2 * 0.9) / 3000);
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 30 }, quantity, earliestStart: inDays(0), dueDate: inDays(1) },
    });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('unmatched');
    await sendReadings(t, mill.key, ['S-1', 'S-2'].map((machineId) => ({ machineId, at: minutesAgo(0.5), state: 'running' as const })));
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status, { timeout: 15_000 }).toBe('proposed');
  });
});
