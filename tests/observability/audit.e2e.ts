import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { runAudit } from '../support/processes';

/** `npm run audit` and GET /audit: the same counts, zero on a healthy market, exit 1 on a violation. */
describe('the audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts nothing wrong on a healthy market, and each broken invariant once it is broken', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Audited Mill' });
    await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Audited Brand' });
    const res = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 900, dueDate: inDays(20) } });
    expect((await orderSettled(t, brand.key, res.body.id)).status).toBe('proposed');

    expect((await t.request('GET', '/audit', { key: brand.key })).status).toBe(404);
    const healthy = await t.request<{ violations: number; sweepScheduled: boolean; byStatus: Record<string, number> }>('GET', '/audit', { key: OPERATOR_KEY });
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ violations: 0, sweepScheduled: true, byStatus: { proposed: 1 } });
    const clean = await runAudit(t.env);
    expect(clean.code).toBe(0);
    expect(clean.report.violations).toBe(0);

    // Break two promises behind the platform's back: a ledger cell off by one, an order that
    // says unmatched while it holds an offer.
    await t.sql(`UPDATE capacity_days SET reserved = reserved + 1 WHERE (line_id, day) IN (SELECT line_id, day FROM allocation_days LIMIT 1)`);
    await t.sql(`UPDATE orders SET status = 'unmatched' WHERE id = $1`, [res.body.id]);
    const broken = await runAudit(t.env);
    console.log(`audit of a broken market (exit ${String(broken.code)}):\n${broken.output}`);
    expect(broken.code).toBe(1);
    expect(broken.report).toMatchObject({ ledgerMismatches: 1, statusContradictions: 1, violations: 2 });
    expect((await t.request<{ violations: number }>('GET', '/audit', { key: OPERATOR_KEY })).body.violations).toBe(2);
  });
});
