import { AlertsEvaluator } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { orderSettled, signup } from '../support/market';
import { startSmtp, tokenIn } from '../support/smtp';

/** No line weaves 400 cm: the order waits unmatched, and once past its due date it is stranded. */
const unmakeable = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 400, picksPerCm: 25 }, quantity: 100, dueDate: inDays(20) };

/**
 * An operator on call hears of an alert by mail when they asked for it: the alert events go
 * through the events' own mail path to operator people who chose them, in their language, and to
 * nobody who did not ask.
 */
describe('early warning by mail', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    // The test evaluates the alerts itself; the app's own sweep (hourly here) stays out of the way.
    t = await startTestApp({ SMTP_URL: smtp.url, SWEEP_EVERY_MS: '3600000' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function operatorPerson(email: string, notify: string[]): Promise<void> {
    const invited = await t.request('POST', '/me/people', { key: OPERATOR_KEY, body: { email, role: 'operator' } });
    expect(invited.status).toBe(201);
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(email)).length, { timeout: 10_000 }).toBe(1);
    const invitation = smtp.mails.find((m) => m.to.includes(email))!;
    const accepted = await t.request('POST', '/invitations/accept', { body: { token: tokenIn(invitation), password: `${email}-password` } });
    expect(accepted.status).toBe(201);
    // What they asked to be mailed (the route that sets it is tested with people; this test is about delivery).
    await t.sql(`UPDATE people SET notify = $2, locale = 'zh-CN' WHERE email = $1`, [email, notify]);
  }

  it('mails a raised and a cleared alert to the operator who asked for them, in Chinese, and not to one who did not', async () => {
    await operatorPerson('oncall@cloudloom.example', ['alert.raised', 'alert.cleared']);
    await operatorPerson('quiet@cloudloom.example', ['order.posted']);
    const brand = await signup(t, { kind: 'brand', name: 'Forgotten Brand' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: unmakeable });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('unmatched');
    // As if the sweep had been down for days: the order waits past its due date, which the audit calls stranded.
    await t.sql(`UPDATE orders SET earliest_start = current_date - 10, due_date = current_date - 3 WHERE id = $1`, [posted.body.id]);
    await t.app.get(AlertsEvaluator).evaluate();
    const oncall = (subject: string) => smtp.mails.filter((m) => m.to.includes('oncall@cloudloom.example') && m.subject.includes(subject));
    await expect.poll(() => oncall('雷达预警').length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(oncall('雷达预警已解除')).toEqual([]);

    // The cause ends (the order is cancelled, so it no longer waits): the alert clears, and that is mailed too.
    expect((await t.request('POST', `/orders/${posted.body.id}/cancel`, { key: brand.key })).status).toBe(200);
    await t.app.get(AlertsEvaluator).evaluate();
    await expect.poll(() => oncall('雷达预警已解除').length, { timeout: 15_000 }).toBe(1);
    // The quiet operator got the invitation and nothing about alerts.
    expect(smtp.mails.filter((m) => m.to.includes('quiet@cloudloom.example') && m.subject.includes('雷达'))).toEqual([]);
  });
});
