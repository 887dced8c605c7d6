import { as, session } from '../people/support';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, orderSettled, signup } from '../support/market';
import { startSmtp } from '../support/smtp';
import { openStream } from '../support/sse';

/**
 * DESIGN.md §9 and docs/terms.md: a conversation per offer. The order's brand and the offer's
 * factory, and only they, read and write it; each message is an `offer.message` event of the
 * order, pushed on those two parties' feeds and mailed to their people who ask for it.
 */
interface Message {
  id: string;
  allocationId: string;
  orderId: string;
  from: string;
  author: string | null;
  body: string;
  createdAt: string;
}
interface Problem {
  errors?: { field: string; message: string }[];
}

describe('a conversation per offer', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('lets the brand and the factory of an offer talk, pushes and mails it to them, and shows nobody else a word', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Talking Mill' });
    const line = { ...airJetLine, machineType: 'rapier', fibers: ['silk'], ratePerUnit: 0.01 };
    await addLine(t, mill.key, line);
    const brand = await signup(t, { kind: 'brand', name: 'Talking Brand', email: 'owner@talking.example', password: 'talking-owner-pass', locale: 'zh-CN' });
    const otherMill = await signup(t, { kind: 'factory', name: 'Listening Mill' });
    await addLine(t, otherMill.key, { ...line, fibers: ['wool'] });
    const otherBrand = await signup(t, { kind: 'brand', name: 'Listening Brand' });

    // The brand's owner asks for message mail; the other brand's people hear nothing either way.
    const owner = await session(t, 'owner@talking.example', 'talking-owner-pass');
    expect((await as(t, owner, 'PATCH', '/me/person', { notify: ['offer.message'] })).status).toBe(200);

    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1000, dueDate: inDays(20) },
    });
    const offer = (await orderSettled(t, brand.key, posted.body.id)).allocations[0]!;
    const path = `/offers/${offer.id}/messages`;

    const streams = {
      brand: openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${brand.key}` }),
      mill: openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${mill.key}` }),
      otherMill: openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${otherMill.key}` }),
      otherBrand: openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${otherBrand.key}` }),
    };
    try {
      for (const s of Object.values(streams)) expect(await s.status).toBe(200);

      const question = await t.request<Message>('POST', path, { key: mill.key, body: { body: '请确认纱线批号：可以用 2026-11 批次吗？' } });
      expect(question.status).toBe(201);
      expect(question.body).toMatchObject({ allocationId: offer.id, orderId: posted.body.id, from: 'factory', body: '请确认纱线批号：可以用 2026-11 批次吗？' });
      expect(question.body.author).toMatch(/^key:/);
      // The brand answers from the console, signed in.
      const answer = await as<Message>(t, owner, 'POST', path, { body: '可以。交货地址：广州市海珠区新港西路 1 号' });
      expect(answer.status).toBe(201);
      expect(answer.body.author).toBe(`person:${owner.personId}`);

      for (const key of [brand.key, mill.key]) {
        const read = await t.request<{ items: Message[] }>('GET', path, { key });
        expect(read.status).toBe(200);
        expect(read.body.items.map((m) => [m.from, m.body])).toEqual([
          ['factory', '请确认纱线批号：可以用 2026-11 批次吗？'],
          ['brand', '可以。交货地址：广州市海珠区新港西路 1 号'],
        ]);
      }

      // Nobody else: another factory, another brand, the operator's routes (404 as for any foreign object).
      for (const key of [otherMill.key, otherBrand.key, OPERATOR_KEY]) {
        expect((await t.request('GET', path, { key })).status).toBe(404);
        expect((await t.request('POST', path, { key, body: { body: 'hello' } })).status).toBe(404);
      }
      expect(JSON.stringify((await t.request('GET', '/offers', { key: otherMill.key })).body)).not.toContain(offer.id);

      // Kept with the order's history: one event per message, addressed to the two parties.
      const history = await t.sql<{ payload: { body: string; from: string }; audience: string[] }>(
        `SELECT payload, audience::text[] AS audience FROM events WHERE order_id = $1 AND type = 'offer.message' ORDER BY id`, [posted.body.id],
      );
      expect(history.map((e) => e.payload.from)).toEqual(['factory', 'brand']);
      for (const e of history) expect(e.audience.sort()).toEqual([brand.id, mill.id].sort());

      // Pushed live to both parties, to no one else.
      const heard = (s: (typeof streams)['brand']) => s.messages.filter((m) => m.event === 'offer.message').map((m) => m.data.payload.body);
      await expect.poll(() => heard(streams.brand).length, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => heard(streams.mill).length, { timeout: 10_000 }).toBe(2);
      // The other parties' streams were open all along and have since been fed later events of their own market.
      const late = await t.request<OrderBody>('POST', '/orders', {
        key: otherBrand.key, body: { kind: 'fabric', fabric: { fiber: 'wool', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 500, dueDate: inDays(20) },
      });
      await orderSettled(t, otherBrand.key, late.body.id);
      await expect.poll(() => streams.otherMill.messages.some((m) => m.event === 'offer.created'), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => streams.otherBrand.messages.some((m) => m.event === 'offer.created'), { timeout: 10_000 }).toBe(true);
      for (const s of [streams.otherMill, streams.otherBrand]) {
        expect(heard(s)).toEqual([]);
        expect(JSON.stringify(s.messages)).not.toContain(offer.id);
      }

      // Mailed, in Chinese, to the owner who asked; nobody else got a mail about it.
      const mailed = () => smtp.mails.filter((m) => m.to.includes('owner@talking.example') && m.subject.includes('派单有新消息'));
      await expect.poll(() => mailed().length, { timeout: 15_000 }).toBe(2);
      expect(mailed()[0]!.text).toContain(posted.body.id);
      expect(smtp.mails.filter((m) => !m.to.includes('owner@talking.example'))).toEqual([]);
    } finally {
      for (const s of Object.values(streams)) s.close();
    }
  });

  it('refuses empty, overlong and hidden-character messages, and new messages on a closed offer', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Strict Mill' });
    await addLine(t, mill.key, { ...airJetLine, machineType: 'rapier', fibers: ['linen'], ratePerUnit: 0.01 });
    const brand = await signup(t, { kind: 'brand', name: 'Strict Brand' });
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1000, dueDate: inDays(20) },
    });
    const offer = (await orderSettled(t, brand.key, posted.body.id)).allocations[0]!;
    const path = `/offers/${offer.id}/messages`;
    const send = (body: unknown) => t.request<Problem>('POST', path, { key: brand.key, body });

    for (const [body, field] of [[{}, 'body'], [{ body: '' }, 'body'], [{ body: 'x'.repeat(2001) }, 'body'], [{ body: 'pay to \u202eevil' }, 'body'], [{ body: 'a\u200bb' }, 'body'], [{ body: 'hi', extra: 1 }, 'extra']] as const) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    expect((await send({ body: 'x'.repeat(2000) })).status).toBe(201);

    // Once the offer is refused, its conversation is closed to new messages and still readable.
    expect((await t.request('POST', `/offers/${offer.id}/reject`, { key: mill.key, body: { reasonCode: 'SPEC', note: 'linen too coarse for our reeds' } })).status).toBe(200);
    expect((await send({ body: 'why?' })).status).toBe(409);
    expect((await t.request<{ items: Message[] }>('GET', path, { key: mill.key })).body.items).toHaveLength(1);
  });
});
