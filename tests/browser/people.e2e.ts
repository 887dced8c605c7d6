import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled } from '../support/market';
import { startSmtp, tokenIn, type ReceivedMail } from '../support/smtp';
import { type Browser, browserTestsRun, catalogOf } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** The console's words these steps look for, from its English catalog (the browser asks for en-GB). */
const EN = catalogOf('en');
const UI = {
  emailTab: EN.signIn.tabPerson,
  email: EN.person.email,
  password: EN.person.password,
  newPassword: EN.accept.password,
  code: EN.person.totp,
  signIn: EN.person.submit,
  signOut: EN.app.signOut,
  people: EN.people.title,
  webhooks: EN.webhooks.title,
  invite: EN.people.invite,
  sendInvitation: EN.people.send,
  join: EN.accept.submit,
  forgot: EN.person.forgot,
  savePassword: EN.reset.submit,
};

const fabricOrder = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 1200, dueDate: inDays(20) };

/** What a role's console must show, and what it must not (checked once the shown things are there). */
interface Expectation {
  shows: (page: Page) => ReturnType<Page['locator']>[];
  hides: (page: Page) => ReturnType<Page['locator']>[];
}

// One person signed in at a time: the browser's cookie jar is shared by every tab, as for a real person.
describe.runIf(browserTestsRun)('the console for people: sign-in, roles, sign-out', { timeout: 90_000 }, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let browser: Browser;
  let origin: string;
  let brandKey: string;
  let factoryKey: string;
  let orderId: string;

  const mailTo = async (address: string): Promise<ReceivedMail> => {
    await expect.poll(() => smtp.mails.some((m) => m.to.includes(address)), { timeout: UI_TIMEOUT }).toBe(true);
    return smtp.mails.find((m) => m.to.includes(address))!;
  };

  /** Invites by API key and accepts by API: the people the browser then signs in as. */
  const invited = async (key: string, email: string, role: string, password: string): Promise<void> => {
    expect((await t.request('POST', '/me/people', { key, body: { email, role, locale: 'en' } })).status).toBe(201);
    expect((await t.request('POST', '/invitations/accept', { body: { token: tokenIn(await mailTo(email)), password } })).status).toBe(201);
  };

  const personSignIn = async (page: Page, email: string, password: string): Promise<void> => {
    // A step that failed before signing out leaves its cookie: each step starts from nobody.
    await browser.context.clearCookies();
    await page.goto(origin);
    await page.getByRole('tab', { name: UI.emailTab }).click();
    await page.getByLabel(UI.email, { exact: true }).fill(email);
    await page.getByLabel(UI.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: UI.signIn }).click();
  };

  /** Signs out with the button, checks the server ended the session, and that a reload shows the sign-in page. */
  const signOutAndReload = async (page: Page, email: string): Promise<void> => {
    const out = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions') && r.request().method() === 'DELETE');
    await page.getByRole('button', { name: UI.signOut }).click();
    expect((await out).status()).toBe(204);
    await page.getByRole('tab', { name: UI.emailTab }).waitFor({ timeout: UI_TIMEOUT });
    const open = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = $1 AND s.ended_at IS NULL', [email]);
    expect(open).toEqual([{ n: 0 }]);
    await page.reload();
    await page.getByRole('tab', { name: UI.emailTab }).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('org-name').count()).toBe(0);
    expect(await page.getByTestId('person-role').count()).toBe(0);
  };

  // Reading an offer's conversation is open to every role; only answering is not.
  const messagesToggle = new RegExp(`^(${EN.terms.messages}|${EN.terms.hideMessages})$`);

  const check = async (page: Page, role: string, expected: Expectation, screenshot: string): Promise<void> => {
    await expect.poll(() => page.getByTestId('person-role').getAttribute('data-role'), { timeout: UI_TIMEOUT }).toBe(role);
    for (const shown of expected.shows(page)) await shown.first().waitFor({ timeout: UI_TIMEOUT });
    for (const hidden of expected.hides(page)) expect(await hidden.count()).toBe(0);
    await browser.screenshot(page, screenshot);
  };

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    smtp = await startSmtp();
    app = await openConsole({ env: { SMTP_URL: smtp.url } });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(async () => {
    try {
      await closeConsole(app);
    } finally {
      await smtp?.close();
    }
  });

  // expect.poll (waiting for the match and the mails) only runs inside a test: the people and the order are made here.
  it('signs up a brand and a factory with owners, matches an order between them, and invites their people by mail', async () => {
    const brand = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'brand', name: 'Canton Studio', email: 'owner@canton.example', password: 'canton-owner-pass', locale: 'en' } });
    const factory = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang', email: 'owner@keqiao.example', password: 'keqiao-owner-pass', locale: 'en' } });
    expect([brand.status, factory.status]).toEqual([201, 201]);
    brandKey = brand.body.apiKey;
    factoryKey = factory.body.apiKey;
    await addLine(t, factoryKey, airJetLine);
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brandKey, body: fabricOrder });
    orderId = posted.body.id;
    // Proposed: the brand may cancel it, the factory holds an offer to accept or reject.
    expect((await orderSettled(t, brandKey, orderId)).status).toBe('proposed');
    await invited(brandKey, 'merch@canton.example', 'merchandiser', 'canton-merch-pass');
    await invited(factoryKey, 'dispatch@keqiao.example', 'dispatcher', 'keqiao-dispatch-pass');
    await invited(factoryKey, 'viewer@keqiao.example', 'viewer', 'keqiao-viewer-pass');
    const people = await t.sql<{ email: string; role: string }>(`SELECT email, role FROM people WHERE password_hash IS NOT NULL ORDER BY email`);
    expect(people.map((p) => `${p.email}:${p.role}`)).toEqual(['dispatch@keqiao.example:dispatcher', 'merch@canton.example:merchandiser', 'owner@canton.example:owner', 'owner@keqiao.example:owner', 'viewer@keqiao.example:viewer']);
  });

  const orderRow = (page: Page) => page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
  /** The brand's order, opened to its detail (where cancel lives). */
  const openOrder = async (page: Page): Promise<void> => {
    await orderRow(page).locator('button.order-summary').click();
    await orderRow(page).getByTestId('order-detail').waitFor({ timeout: UI_TIMEOUT });
  };

  it('lets the brand owner sign in, see people management, invite a viewer by mail (a changing request with the CSRF token), and sign out', async () => {
    const page = await browser.page();
    await personSignIn(page, 'owner@canton.example', 'canton-owner-pass');
    await check(page, 'owner', {
      shows: (p) => [p.getByRole('form', { name: 'New order' }), p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks }), orderRow(p)],
      hides: () => [],
    }, 'people-brand-owner');
    await openOrder(page);
    await orderRow(page).getByRole('button', { name: 'Cancel order' }).waitFor();
    await page.getByTestId('person').filter({ hasText: 'merch@canton.example' }).waitFor({ timeout: UI_TIMEOUT });

    await page.getByRole('button', { name: UI.invite }).click();
    await page.getByRole('form', { name: 'Invite' }).getByLabel(UI.email, { exact: true }).fill('clerk@canton.example');
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/people') && r.request().method() === 'POST');
    await page.getByRole('button', { name: UI.sendInvitation }).click();
    expect((await sent).status()).toBe(201);
    const row = page.getByTestId('person').filter({ hasText: 'clerk@canton.example' });
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.getAttribute('data-role')).toBe('viewer');
    await signOutAndReload(page, 'owner@canton.example');
    await page.close();
  });

  it('lets the invited viewer accept on the mailed link, sign in, read the order, and do nothing else', async () => {
    const mail = await mailTo('clerk@canton.example');
    expect(mail.text).toContain('/#/accept?token=');
    const page = await browser.page();
    await page.goto(`${origin}/#/accept?token=${tokenIn(mail)}`);
    await page.getByLabel(UI.newPassword, { exact: true }).fill('canton-clerk-pass');
    await page.getByRole('button', { name: UI.join }).click();
    await page.getByTestId('accept-done').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('totp-secret').count()).toBe(0);
    await page.getByTestId('accept-done').getByRole('button').click();

    await personSignIn(page, 'clerk@canton.example', 'canton-clerk-pass');
    await check(page, 'viewer', {
      shows: (p) => [orderRow(p)],
      hides: (p) => [p.getByRole('form', { name: 'New order' }), p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks })],
    }, 'people-brand-viewer');
    await openOrder(page);
    expect(await orderRow(page).getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await page.locator('input[name="attachment"]').count()).toBe(0);
    await signOutAndReload(page, 'clerk@canton.example');
    await page.close();
  });

  it('shows a merchandiser the order form and cancel, but no people or webhooks', async () => {
    const page = await browser.page();
    await personSignIn(page, 'merch@canton.example', 'canton-merch-pass');
    await check(page, 'merchandiser', {
      shows: (p) => [p.getByRole('form', { name: 'New order' }), orderRow(p)],
      hides: (p) => [p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks })],
    }, 'people-brand-merchandiser');
    await openOrder(page);
    await orderRow(page).getByRole('button', { name: 'Cancel order' }).waitFor();
    await signOutAndReload(page, 'merch@canton.example');
    await page.close();
  });

  it('shows each factory role what it may do: the owner everything, the dispatcher offers and lines, the viewer nothing to press', async () => {
    const offer = (p: Page) => p.getByTestId('offer');
    const owned = (p: Page) => [p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks }), p.getByRole('heading', { name: EN.factoryProfile.keysTitle })];
    // [email, password, role, the workbench, the profile page]
    const roles: [string, string, string, Expectation, Expectation][] = [
      ['owner@keqiao.example', 'keqiao-owner-pass', 'owner', {
        shows: (p) => [offer(p).getByRole('button', { name: 'Accept' }), p.getByRole('button', { name: 'Add line' })],
        hides: () => [],
      }, { shows: (p) => [...owned(p), p.getByRole('button', { name: EN.factoryProfile.saveContacts })], hides: () => [] }],
      ['dispatch@keqiao.example', 'keqiao-dispatch-pass', 'dispatcher', {
        shows: (p) => [offer(p).getByRole('button', { name: 'Accept' }), p.getByRole('button', { name: 'Add line' }), p.getByTestId('line')],
        hides: (p) => [p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks })],
      }, { shows: (p) => [p.getByRole('heading', { name: EN.factoryProfile.contactsTitle })], hides: (p) => [...owned(p), p.getByRole('button', { name: EN.factoryProfile.saveContacts })] }],
      ['viewer@keqiao.example', 'keqiao-viewer-pass', 'viewer', {
        shows: (p) => [offer(p), p.getByTestId('line')],
        hides: (p) => [offer(p).getByRole('button').filter({ hasNotText: messagesToggle }), offer(p).getByRole('checkbox'), p.getByRole('button', { name: 'Add line' }), p.getByTestId('line').getByRole('button', { name: 'Edit' }), p.getByRole('heading', { name: UI.people }), p.getByRole('heading', { name: UI.webhooks })],
      }, { shows: (p) => [p.getByRole('heading', { name: EN.factoryProfile.contactsTitle })], hides: (p) => [...owned(p), p.getByRole('button', { name: EN.factoryProfile.saveContacts })] }],
    ];
    for (const [email, password, role, workbench, profile] of roles) {
      const page = await browser.page();
      await personSignIn(page, email, password);
      await check(page, role, workbench, `people-factory-${role}`);
      await page.getByRole('tab', { name: EN.factoryProfile.tabProfile }).click();
      await check(page, role, profile, `people-factory-${role}-profile`);
      await signOutAndReload(page, email);
      await page.close();
    }
  });

  it('mails a reset link from the sign-in page; the link sets a new password, and only the new one signs in', async () => {
    const page = await browser.page();
    await browser.context.clearCookies();
    await page.goto(origin);
    await page.getByRole('tab', { name: UI.emailTab }).click();
    await page.getByLabel(UI.email, { exact: true }).fill('merch@canton.example');
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/password-resets') && r.request().method() === 'POST');
    await page.getByRole('button', { name: UI.forgot }).click();
    expect((await asked).status()).toBe(204);
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes('merch@canton.example')).length, { timeout: UI_TIMEOUT }).toBe(2);
    const mail = smtp.mails.filter((m) => m.to.includes('merch@canton.example'))[1]!;
    expect(mail.text).toContain('/#/reset?token=');
    await page.goto(`${origin}/#/reset?token=${tokenIn(mail)}`);
    await page.getByLabel(UI.newPassword, { exact: true }).fill('canton-merch-new-pass');
    await page.getByRole('button', { name: UI.savePassword }).click();
    await page.getByTestId('reset-done').getByRole('button').click();
    await personSignIn(page, 'merch@canton.example', 'canton-merch-pass');
    await page.getByRole('alert').getByText('not accepted').waitFor({ timeout: UI_TIMEOUT });
    await personSignIn(page, 'merch@canton.example', 'canton-merch-new-pass');
    await expect.poll(() => page.getByTestId('person-role').getAttribute('data-role'), { timeout: UI_TIMEOUT }).toBe('merchandiser');
    await signOutAndReload(page, 'merch@canton.example');
    await page.close();
  });

  it('asks an operator for the authenticator code after the password, and shows the live market over the session cookie', async () => {
    expect((await t.request('POST', '/me/people', { key: OPERATOR_KEY, body: { email: 'ops@cloudloom.example', role: 'operator', locale: 'en' } })).status).toBe(201);
    const page = await browser.page();
    await page.goto(`${origin}/#/accept?token=${tokenIn(await mailTo('ops@cloudloom.example'))}`);
    await page.getByLabel(UI.newPassword, { exact: true }).fill('operator-password');
    await page.getByRole('button', { name: UI.join }).click();
    const secret = (await page.getByTestId('totp-secret').textContent({ timeout: UI_TIMEOUT }))!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByTestId('accept-done').getByRole('button').click();

    await personSignIn(page, 'ops@cloudloom.example', 'operator-password');
    const code = page.getByLabel(UI.code);
    await code.waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('person-role').count()).toBe(0);
    await code.fill(await generate({ secret }));
    await page.getByRole('button', { name: UI.signIn }).click();
    await check(page, 'operator', {
      shows: (p) => [p.getByTestId('kpis'), p.getByTestId('feed-state').getByText('live')],
      // The queue board is opened with the operator key; a person's cookie does not reach /admin.
      hides: (p) => [p.getByRole('button', { name: /Queue board/ })],
    }, 'people-operator');
    await signOutAndReload(page, 'ops@cloudloom.example');
    await page.close();
  });
});
