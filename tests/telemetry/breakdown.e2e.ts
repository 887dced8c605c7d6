import { auditLedger } from '../support/ledger';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, minutesAgo, registerMachines, sendReadings } from './support';

/**
 * These tests follow re-plans onto backup lines up to several times as dear; the agreed price's own
 * path (a dearer plan waits for the brand) is tests/terms/agreed-price.e2e.ts.
 */
const TOLERANCE = 500;

describe('capacity follows the looms', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The bound counts in the platform's time too (readings dated back are not enough): 2 s, with a
    // sweep every 300 ms to notice it pass.
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '2', LOOM_DOWN_DAYS: '2', SWEEP_EVERY_MS: '300' });
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
      body: { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1300, earliestStart: inDays(0), dueDate: inDays(1), priceTolerancePct: TOLERANCE },
    });
    const first = await orderSettled(t, brand.key, posted.body.id);
    expect(first.allocations).toMatchObject([{ lineId: line.id, quantity: 1300, status: 'offered' }]);
    const allocationId = first.allocations[0]!.id;
    expect((await t.request('POST', `/offers/${allocationId}/accept`, { key: mill.key })).status).toBe(200);
    // A second mill joins after the match: where the work can go when the first one breaks down.
    const backup = await signup(t, { kind: 'factory', name: 'Backup Linen Mill' });
    const backupLine = await addLine(t, backup.key, loomLine(['linen'], 10, { ratePerUnit: 0.03 }));

    // Two of the four looms report down for the last hour (and stay down past the bound), two stand
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

  it('a breakdown under production keeps what is produced and what still fits, and re-matches the remainder', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Running Viscose Mill' });
    const line = await addLine(t, mill.key, loomLine(['viscose'], 4, { ratePerUnit: 0.01 }));
    await registerMachines(t, mill.key, line.id, ['R-1', 'R-2', 'R-3', 'R-4']);
    const brand = await signup(t, { kind: 'brand', name: 'Running Viscose Brand' });
    // 1,300 m x 3,000 picks = 3,900,000 picks: all of today on the four looms and most of tomorrow.
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'viscose', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1300, earliestStart: inDays(0), dueDate: inDays(1), priceTolerancePct: TOLERANCE },
    });
    const first = await orderSettled(t, brand.key, posted.body.id);
    const allocationId = first.allocations[0]!.id;
    expect((await t.request('POST', `/offers/${allocationId}/accept`, { key: mill.key })).status).toBe(200);
    expect((await t.request('POST', `/allocations/${allocationId}/progress`, { key: mill.key, body: { producedQuantity: 200 } })).status).toBe(200);
    expect((await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('in_production');
    const backup = await signup(t, { kind: 'factory', name: 'Backup Mill For Running Work' });
    const backupLine = await addLine(t, backup.key, loomLine(['viscose'], 10, { ratePerUnit: 0.03 }));

    // Two of the four looms break down: today and tomorrow keep half their picks.
    await sendReadings(t, mill.key, ['R-1', 'R-2'].flatMap((machineId) => [30, 20, 1].map((m) => ({ machineId, at: minutesAgo(m), state: 'down' as const }))));
    const half = Math.floor(dailyPicks(4) / 2);
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 10_000 }).toBe(half);
    expect(await capacityOn(t, line.id, inDays(1))).toBe(half);

    // What the two days still hold: 2 x half of 4 looms' picks = 748 m; the other 552 m are matched again.
    const kept = Math.floor((2 * half) / 3000);
    expect(kept).toBe(748);
    await expect
      .poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body, { timeout: 15_000 })
      .toSatisfy((o: OrderBody) => o.status === 'proposed' && o.allocations.some((a) => a.status === 'offered'));
    const order = (await t.request<OrderBody & { allocations: { producedQuantity: number }[] }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    const running = order.allocations.find((a) => a.id === allocationId)!;
    expect(running).toMatchObject({ status: 'in_production', quantity: kept, producedQuantity: 200, lineId: line.id });
    const remainder = order.allocations.filter((a) => a.status === 'offered');
    expect(remainder.reduce((sum, a) => sum + a.quantity, 0)).toBe(1300 - kept);
    expect(remainder.map((a) => a.lineId)).toEqual([backupLine.id]);
    const [event] = await t.sql<{ audience: string[]; payload: { allocationId: string; quantity: number; producedQuantity: number; remainder: number } }>(
      `SELECT audience::text[] AS audience, payload FROM events WHERE type = 'allocation.replanned' AND order_id = $1`, [posted.body.id],
    );
    expect(event!.payload).toMatchObject({ allocationId, quantity: kept, producedQuantity: 200, remainder: 1300 - kept });
    expect([...event!.audience].sort()).toEqual([brand.id, mill.id].sort());
    const audit = await auditLedger(t);
    expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches }).toEqual({ overReserved: 0, ledgerMismatches: 0 });
    const [cells] = await t.sql<{ held: string; over: number }>(
      `SELECT sum(units)::text AS held, (SELECT count(*)::int FROM capacity_days WHERE line_id = $2 AND reserved > capacity) AS over FROM allocation_days WHERE allocation_id = $1`,
      [allocationId, line.id],
    );
    expect({ held: Number(cells!.held), over: cells!.over }).toEqual({ held: 2 * half, over: 0 });

    // The order carries on: the remainder is accepted, both parts are woven, the order completes.
    expect((await t.request('POST', `/offers/${remainder[0]!.id}/accept`, { key: backup.key })).status).toBe(200);
    expect((await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('confirmed');
    expect((await t.request('POST', `/allocations/${allocationId}/progress`, { key: mill.key, body: { producedQuantity: kept } })).status).toBe(200);
    expect((await t.request('POST', `/allocations/${remainder[0]!.id}/progress`, { key: backup.key, body: { producedQuantity: 1300 - kept } })).status).toBe(200);
    expect((await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('completed');
  });

  it('a breakdown that leaves running work no day at all, before anything was produced, hands all of it back', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Stopped Wool Mill' });
    const line = await addLine(t, mill.key, loomLine(['wool'], 2, { ratePerUnit: 0.01 }));
    await registerMachines(t, mill.key, line.id, ['X-1', 'X-2']);
    const brand = await signup(t, { kind: 'brand', name: 'Wool Brand' });
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'wool', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 300, earliestStart: inDays(0), dueDate: inDays(1), priceTolerancePct: TOLERANCE },
    });
    const allocationId = (await orderSettled(t, brand.key, posted.body.id)).allocations[0]!.id;
    expect((await t.request('POST', `/offers/${allocationId}/accept`, { key: mill.key })).status).toBe(200);
    expect((await t.request('POST', `/allocations/${allocationId}/progress`, { key: mill.key, body: { producedQuantity: 0 } })).status).toBe(200);
    await sendReadings(t, mill.key, ['X-1', 'X-2'].flatMap((machineId) => [30, 1].map((m) => ({ machineId, at: minutesAgo(m), state: 'down' as const }))));
    await expect.poll(() => capacityOn(t, line.id, inDays(0)), { timeout: 10_000 }).toBe(0);
    // Nowhere else weaves wool: the order waits, unmatched, for capacity; nothing of the line stays held.
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status, { timeout: 15_000 }).toBe('unmatched');
    const order = (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(order.allocations.map((a) => [a.id, a.status])).toEqual([[allocationId, 'cancelled']]);
    const [held] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM allocation_days WHERE allocation_id = $1`, [allocationId]);
    expect(held!.n).toBe(0);
    expect((await auditLedger(t)).ledgerMismatches).toBe(0);
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
      body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 30 }, quantity, earliestStart: inDays(0), dueDate: inDays(1), priceTolerancePct: TOLERANCE },
    });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('unmatched');
    await sendReadings(t, mill.key, ['S-1', 'S-2'].map((machineId) => ({ machineId, at: minutesAgo(0.5), state: 'running' as const })));
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status, { timeout: 15_000 }).toBe('proposed');
  });
});
