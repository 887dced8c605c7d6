import { inDays, startTestApp, type TestApp } from '../support/harness';
import { auditLedger, postOrders, seeded, waitingOrders } from '../support/ledger';
import { addLine, signup } from '../support/market';
import { startWorker, type WorkerProcess } from '../support/processes';

const LINES = 20;
const ORDERS = 2000;
const PICKS_PER_CM = 30;
/** 4 looms x 500 rpm x 60 x 22 h x 0.85 */
const LINE_DAY = Math.floor(4 * 500 * 60 * 22 * 0.85);

/**
 * Two separate worker processes race for the same looms. Whatever the timing, the database
 * must never book a line-day twice, and every order must end with a plan or a reason.
 */
describe('no over-booking: 2 worker processes, 2,000 concurrent orders, capacity for about half', () => {
  let t: TestApp;
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false', RATE_LIMIT_PER_KEY: '1000000', WORKER_CONCURRENCY: '4', LOG_LEVEL: 'error' });
    workers = [startWorker(t.env), startWorker(t.env)];
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t.close();
  });

  it('books no line-day beyond capacity and reserves exactly what allocations hold', async () => {
    for (let i = 0; i < LINES; i++) {
      const factory = await signup(t, { kind: 'factory', name: `Wujiang Mill ${i}` });
      await addLine(t, factory.key, { kind: 'weaving', name: 'air-jets', machineType: 'air_jet', machines: 4, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.01 + i / 1000 });
    }
    const brand = await signup(t, { kind: 'brand', name: 'Busy Brand' });
    const random = seeded(42);
    const orders = Array.from({ length: ORDERS }, () => ({
      kind: 'fabric',
      fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: PICKS_PER_CM },
      quantity: 60 + Math.floor(random() * 101),
      dueDate: inDays(5 + Math.floor(random() * 5)),
    }));
    // Precondition: the market can make roughly half of what is asked by the latest due date.
    const demand = orders.reduce((sum, o) => sum + o.quantity * PICKS_PER_CM * 100, 0);
    const supply = LINES * LINE_DAY * 9;
    expect(supply / demand).toBeGreaterThan(0.35);
    expect(supply / demand).toBeLessThan(0.65);

    const started = Date.now();
    const ids = await postOrders(t, brand.key, orders);
    expect(new Set(ids).size).toBe(ORDERS);
    await expect.poll(() => waitingOrders(t), { timeout: 240_000, interval: 500 }).toBe(0);
    const seconds = (Date.now() - started) / 1000;

    const report = await auditLedger(t);
    console.log(`over-booking: ${ORDERS} orders in ${seconds.toFixed(1)} s with 2 workers →`, JSON.stringify(report));
    expect(report.orders).toBe(ORDERS);
    expect(Object.keys(report.byStatus).sort()).toEqual(['proposed', 'unmatched']);
    expect(report.byStatus.proposed).toBeGreaterThan(ORDERS * 0.3);
    expect(report.byStatus.unmatched).toBeGreaterThan(ORDERS * 0.2);
    expect(report.overReserved).toBe(0);
    expect(report.ledgerMismatches).toBe(0);
    expect(report.allocationMismatches).toBe(0);
    expect(report.wrongTotals).toBe(0);
    // Both processes did real work.
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
  }, 300_000);
});
