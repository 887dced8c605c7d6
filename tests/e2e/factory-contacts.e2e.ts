import { startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import { fabricOrder, settledOrder } from '../security/support/world';

interface Counterparties {
  factories: { id: string; name: string; contacts: { name?: string; phone?: string; wechat?: string } | null }[];
}

/** A mill's contacts: kept on its profile, shown to a brand only once the mill has taken its work. */
describe('factory contacts', () => {
  let t: TestApp;
  let mill: { id: string; key: string };
  const contacts = { name: '李伟', phone: '+86 138 0571 2345', wechat: 'keqiao_liwei' };

  beforeAll(async () => {
    t = await startTestApp();
    mill = await signup(t, { kind: 'factory', name: 'Keqiao Weaving No. 3', city: 'Shaoxing' });
    await addLine(t, mill.key, airJetLine);
  }, 60_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('keeps the contacts the factory gives and replaces them whole', async () => {
    const saved = await t.request<{ contacts: unknown }>('PATCH', '/me', { key: mill.key, body: { contacts } });
    expect(saved.status).toBe(200);
    expect(saved.body.contacts).toEqual(contacts);
    expect((await t.request<{ contacts: unknown }>('GET', '/me', { key: mill.key })).body.contacts).toEqual(contacts);
    // A part left out is removed; other fields of the profile stay.
    const phoneOnly = await t.request<{ contacts: unknown; city: string }>('PATCH', '/me', { key: mill.key, body: { contacts: { phone: '0575-8512 3456' } } });
    expect(phoneOnly.body).toMatchObject({ contacts: { phone: '0575-8512 3456' }, city: 'Shaoxing' });
    expect((await t.request('PATCH', '/me', { key: mill.key, body: { contacts } })).status).toBe(200);
  });

  it('refuses bad contacts naming the field, and contacts on a brand', async () => {
    const bad = await t.request<{ errors: { field: string; message: string }[] }>('PATCH', '/me', { key: mill.key, body: { contacts: { phone: 'call me', wechat: '微信', fax: '1' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['contacts.fax', 'contacts.phone', 'contacts.wechat']);
    expect(bad.body.errors.find((e) => e.field === 'contacts.phone')!.message).toMatch(/phone number/);
    expect((await t.request<{ errors: { field: string }[] }>('PATCH', '/me', { key: mill.key, body: { contacts: 'WeChat keqiao' } })).body.errors.map((e) => e.field)).toContain('contacts');
    const brand = await signup(t, { kind: 'brand', name: 'Pearl River Denim' });
    const refused = await t.request<{ errors: { field: string }[] }>('PATCH', '/me', { key: brand.key, body: { contacts } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual(['contacts']);
    expect((await t.request<{ contacts?: unknown }>('GET', '/me', { key: brand.key })).body.contacts).toBeUndefined();
  });

  it('shows them to a brand once the mill has accepted its work, never to a brand merely offered to or a stranger', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    const stranger = await signup(t, { kind: 'brand', name: 'Humen Fashion' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: fabricOrder(300) });
    const offer = (await settledOrder(t, brand.key, posted.body.id)).allocations.find((a) => a.status === 'offered')!;
    const seen = async (key: string): Promise<Counterparties['factories']> => (await t.request<Counterparties>('GET', '/counterparties', { key })).body.factories;
    expect(await seen(brand.key)).toEqual([expect.objectContaining({ id: mill.id, contacts: null })]);
    expect((await t.request('POST', `/offers/${offer.id}/accept`, { key: mill.key })).status).toBe(200);
    expect(await seen(brand.key)).toEqual([expect.objectContaining({ id: mill.id, contacts })]);
    expect(await seen(stranger.key)).toEqual([]);
  });
});
