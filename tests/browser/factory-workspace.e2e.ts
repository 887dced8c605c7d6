import type { Page } from 'playwright-core';
import { type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';
import { fabricOrder } from '../security/support/world';
import { type Browser, browserTestsRun, catalogOf, type ConsoleLanguage, LANGUAGES, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** A catalog text with its placeholders filled, as i18next shows it. */
const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

async function expectPhoneFriendly(browser: Browser, page: Page, name: string): Promise<void> {
  await expect.poll(() => scrollsSideways(page), { timeout: UI_TIMEOUT }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' });
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
  await browser.screenshot(page, name);
}

// The factory's workspace on a 390×844 phone, once per language: the queue answered with one
// thumb (bulk accept), and the profile page with its sections.
describe.runIf(browserTestsRun)('the factory workspace on the phone', { timeout: 120_000 }, () => {
  let t: TestApp;
  let origin: string;
  const browsers = new Map<ConsoleLanguage, Browser>();
  let app: ConsoleApp | undefined;
  /** Each language's mill: paused before the next one's orders, which would otherwise go to either. */
  const mills: { key: string; line: string }[] = [];

  beforeAll(async () => {
    // No sweep during a test: an offer put past its time stays open until the bulk accept reads it.
    app = await openConsole({ env: { SWEEP_EVERY_MS: '3600000' }, locales: LANGUAGES.map((language) => (language === 'zh-CN' ? 'zh-CN' : 'en-GB')) });
    ({ t, origin } = app);
    app.browsers.forEach((browser, i) => browsers.set(LANGUAGES[i]!, browser));
  }, 180_000);
  afterAll(() => closeConsole(app));

  it.each(LANGUAGES)('accepts the picked offers at once and says which could not be taken, in %s', async (language) => {
    const browser = browsers.get(language)!;
    const T = catalogOf(language);
    for (const earlier of mills.splice(0)) expect((await t.request('PATCH', `/lines/${earlier.line}`, { key: earlier.key, body: { active: false } })).status).toBe(200);
    const mill = await signup(t, { kind: 'factory', name: `Keqiao Weaving ${language}`, city: 'Shaoxing' });
    mills.push({ key: mill.key, line: (await addLine(t, mill.key, airJetLine)).id });
    const brand = await signup(t, { kind: 'brand', name: `Canton Studio ${language}` });
    expect((await t.request('PATCH', '/me', { key: mill.key, body: { contacts: { name: '李伟', phone: '+86 138 0571 2345' } } })).status).toBe(200);
    const offers: string[] = [];
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: fabricOrder(300 + i * 100) });
      orders.push(posted.body.id);
      offers.push((await orderSettled(t, brand.key, posted.body.id)).allocations[0]!.id);
    }

    const page = await browser.page(PHONE);
    await signInAs(page, origin, mill.key, language);
    await expect.poll(() => page.getByTestId('offer').count(), { timeout: UI_TIMEOUT }).toBe(3);
    const bar = page.getByTestId('bulk-accept');
    await bar.getByRole('button', { name: fill(T.bulkAccept.all_other, { count: 3 }) }).click();
    await expect.poll(() => page.getByTestId('offer').getByRole('checkbox', { checked: true }).count()).toBe(3);
    // One thumb: the bar stays within the phone's screen, the picks are big enough to hit.
    const box = (await bar.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    const pick = (await page.getByTestId('offer').first().locator('.pick').boundingBox())!;
    expect(pick.height).toBeGreaterThanOrEqual(44);
    await expectPhoneFriendly(browser, page, `${language}-bulk-picked-phone`);

    // One offer runs out while the mill holds its phone: the other two are taken all the same.
    await t.sql(`UPDATE allocations SET expires_at = now() - interval '1 second' WHERE id = $1`, [offers[1]]);
    await bar.getByRole('button', { name: fill(T.bulkAccept.accept_other, { count: 3 }) }).click();
    const result = page.getByTestId('bulk-result');
    await expect.poll(() => result.textContent(), { timeout: UI_TIMEOUT }).toContain(fill(T.bulkAccept.done, { accepted: 2, refused: 1 }));
    expect(await result.locator('li[data-reason="expired"]').textContent()).toContain(T.bulkAccept.reason.expired);
    const statuses = await t.sql<{ id: string; status: string }>('SELECT id, status FROM allocations WHERE id = ANY($1)', [offers]);
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({ [offers[0]!]: 'accepted', [offers[1]!]: 'offered', [offers[2]!]: 'accepted' });
    await expect.poll(() => page.getByTestId('work').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await expectPhoneFriendly(browser, page, `${language}-bulk-result-phone`);
    await page.close();

    // The brand now reaches the mill that took its order: its contacts under the allocation.
    const brandPage = await browser.page(PHONE);
    await signInAs(brandPage, origin, brand.key, language);
    const row = brandPage.locator(`[data-testid="order-row"][data-order-id="${orders[0]}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.getByRole('button').first().click();
    await expect.poll(() => row.getByTestId('factory-contacts').textContent(), { timeout: UI_TIMEOUT }).toBe(`李伟 · ${fill(T.factoryProfile.phoneShort, { phone: '+86 138 0571 2345' })}`);
    await brandPage.close();
  });

  it.each(LANGUAGES)('keeps the profile on one page: certifications, auto-accept, contacts, people, keys and webhooks, in %s', async (language) => {
    const browser = browsers.get(language)!;
    const T = catalogOf(language);
    const mill = await signup(t, { kind: 'factory', name: `Foshan Mills ${language}`, city: 'Foshan', certifications: ['OEKO-TEX'] });
    const page = await browser.page(PHONE);
    await signInAs(page, origin, mill.key, language);
    await page.getByRole('tab', { name: T.factoryProfile.tabProfile }).click();
    const profile = page.getByTestId('factory-profile');
    for (const title of [T.factoryProfile.workTitle, T.factoryProfile.contactsTitle, T.people.title, T.factoryProfile.keysTitle, T.webhooks.title]) {
      await profile.getByRole('heading', { name: title }).waitFor({ timeout: UI_TIMEOUT });
    }
    await expectPhoneFriendly(browser, page, `${language}-profile-phone`);

    // Certifications by name, auto-accept: saved and said so.
    const work = page.getByRole('form', { name: T.factoryProfile.workTitle });
    expect(await work.getByRole('checkbox', { name: T.domain.certification['OEKO-TEX'] }).isChecked()).toBe(true);
    // The certification chips hide their boxes under the chip (as the order form's do): the chip is what a thumb presses.
    await work.locator('label', { hasText: T.domain.certification.GRS }).click();
    expect(await work.getByRole('checkbox', { name: T.domain.certification.GRS }).isChecked()).toBe(true);
    await work.getByRole('checkbox', { name: T.factoryProfile.autoAcceptOn }).check();
    await work.getByRole('button', { name: T.factoryProfile.save }).click();
    await work.getByRole('status').getByText(T.factoryProfile.saved).waitFor({ timeout: UI_TIMEOUT });

    // Contacts: a phone that is not one is named beside its field, in the person's language.
    const contacts = page.getByRole('form', { name: T.factoryProfile.contactsTitle });
    await contacts.getByLabel(T.factoryProfile.contactName).fill('李伟');
    await contacts.getByLabel(T.factoryProfile.phone).fill('call me');
    await contacts.getByLabel(T.factoryProfile.wechat).fill('keqiao_liwei');
    await contacts.getByRole('button', { name: T.factoryProfile.saveContacts }).click();
    await expect.poll(() => contacts.locator('.has-error .field-error').allTextContents(), { timeout: UI_TIMEOUT }).toEqual([T.factoryProfile.contactErrors.phone]);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await contacts.getByLabel(T.factoryProfile.phone).fill('+86 138 0571 2345');
    await contacts.getByRole('button', { name: T.factoryProfile.saveContacts }).click();
    await contacts.getByTestId('contacts-saved').waitFor({ timeout: UI_TIMEOUT });
    const [stored] = await t.sql<{ certifications: string[]; auto_accept: boolean; contacts: unknown }>('SELECT certifications, auto_accept, contacts FROM organizations WHERE id = $1', [mill.id]);
    expect(stored).toEqual({ certifications: ['OEKO-TEX', 'GRS'], auto_accept: true, contacts: { name: '李伟', phone: '+86 138 0571 2345', wechat: 'keqiao_liwei' } });

    // A new API key, shown once; the list then holds both.
    const keys = page.getByRole('form', { name: T.factoryProfile.newKey });
    await keys.getByLabel(T.factoryProfile.keyLabel).fill('ERP');
    await keys.getByRole('button', { name: T.factoryProfile.newKey }).click();
    await expect.poll(() => page.getByTestId('new-key').locator('code').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^\S{20,}$/);
    await expect.poll(() => page.getByTestId('api-key').count(), { timeout: UI_TIMEOUT }).toBe(2);
    // Webhook events are picked by what happens, in the person's language, not by their API names.
    const hooks = profile.locator('section.webhooks');
    await hooks.getByRole('button', { name: T.webhooks.add }).click();
    await hooks.getByRole('checkbox', { name: T.domain.eventType['offer.created'] }).waitFor({ timeout: UI_TIMEOUT });
    expect(await hooks.textContent()).not.toContain('offer.created');
    await expectPhoneFriendly(browser, page, `${language}-profile-saved-phone`);
    await page.close();
  });
});
