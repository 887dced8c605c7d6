import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import type { OrderBody } from '../support/market';
import { parseMail, tokenIn } from '../support/smtp';
import { type RawResponse, send } from './support/http';
import { fillPath, loadOpenApi, type OpenApiDocument, type Operation, operationsOf } from './support/openapi';
import { ResponseSchemas } from './support/schemas';
import { buildWorld, fabricOrder, type PersonCaller, sessionHeaders, settledOrder, signInAgain, targetOf, type World } from './support/world';

/**
 * Docs that run: every operation of the document is sent with its own examples (each request
 * body example, the query parameters' examples) and must answer the success status the document
 * promises, with an answer that fits the documented schema. The cases come from the document, so a
 * new route or example is sent without touching this file. Only what a document cannot know comes
 * from here: who calls, which object an `{id}` names now, a token mailed a moment ago, credentials.
 */

type Raw = Record<string, { parameters?: { name: string; in: string; example?: unknown; schema?: { example?: unknown } }[]; requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> }; responses?: Record<string, unknown> }>;

interface Case {
  /** The object the path's `{id}` names, made for this call when the call uses it up. */
  id?: () => Promise<string> | string;
  /** What the example cannot hold (a token, a password): merged over the example body. */
  body?: (example: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** A person's session instead of the route's organization key. */
  person?: PersonCaller | (() => Promise<Record<string, string>>);
  /** A body that is not JSON (a file upload). */
  raw?: () => { body: FormData | string; headers?: Record<string, string> };
}

describe('OpenAPI examples: each sent as it stands answers the documented status', () => {
  let t: TestApp;
  let world: World;
  let doc: OpenApiDocument;
  let schemas: ResponseSchemas;
  const root = (): string => t.baseUrl.replace(/\/api\/v1$/, '');

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_ANONYMOUS: '100000', RATE_LIMIT_AUTH_FAILURES: '100000' });
    world = await buildWorld(t);
    doc = await loadOpenApi(t.baseUrl);
    schemas = new ResponseSchemas(doc);
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  /** A new offer to factory A, so accepting, rejecting or producing it leaves the world's own offer as it was. */
  const freshOffer = async (): Promise<string> => {
    const posted = await t.request<OrderBody>('POST', '/orders', { key: world.a.brand.key, body: fabricOrder(2000) });
    const settled = await settledOrder(t, world.a.brand.key, posted.body.id);
    const offer = settled.allocations.find((a) => a.status === 'offered');
    if (!offer) throw new Error(`no offer for a fresh order: ${JSON.stringify(settled)}`);
    return offer.id;
  };
  const acceptedOffer = async (produced = 0): Promise<string> => {
    const id = await freshOffer();
    expect((await t.request('POST', `/offers/${id}/accept`, { key: world.a.factory.key })).status).toBe(200);
    if (produced > 0) expect((await t.request('POST', `/allocations/${id}/progress`, { key: world.a.factory.key, body: { producedQuantity: produced } })).status).toBe(200);
    return id;
  };
  /** An order no line can make (wool jacquard, 400 cm): settled unmatched, holding nothing. */
  const freshUnmatched = async (): Promise<string> => {
    const posted = await t.request<OrderBody>('POST', '/orders', { key: world.a.brand.key, body: { ...fabricOrder(20), fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 400, picksPerCm: 60 } } });
    await settledOrder(t, world.a.brand.key, posted.body.id);
    return posted.body.id;
  };
  /** An order waiting for its brand's answer to a dearer plan, as the matcher leaves one (docs/architecture.md, "Agreed terms"). */
  const awaitingApproval = async (): Promise<string> => {
    const id = await freshUnmatched();
    const approval = { price: 1200, agreedPrice: 1000, completes: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10), reason: 'a factory declined its offer', expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    await t.sql(`UPDATE orders SET status = 'awaiting_approval', agreed_price = 1000, approval = $2, approval_expires_at = now() + interval '1 hour' WHERE id = $1`, [id, approval]);
    return id;
  };
  /** A fresh offer the factory has answered with a dearer price: open for the brand's answer. */
  const counteredOffer = async (): Promise<string> => {
    const id = await freshOffer();
    const countered = await t.request('POST', `/offers/${id}/counter`, { key: world.a.factory.key, body: { price: 99_999 } });
    expect(countered.status).toBe(200);
    return id;
  };
  /** The tokens of every mail written to `email` (the harness writes mail to the app's MAIL_DIR), once `count` arrived. */
  const mailedTokens = async (email: string, count: number): Promise<string[]> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const tokens: string[] = [];
      for (const name of await readdir(t.env.MAIL_DIR!).catch(() => [] as string[])) {
        const raw = await readFile(join(t.env.MAIL_DIR!, name), 'utf8');
        if (/^To: (.+)$/m.exec(raw)?.[1]?.trim() === email) tokens.push(tokenIn(parseMail(raw, [email])));
      }
      if (tokens.length >= count) return tokens;
      if (Date.now() > deadline) throw new Error(`expected ${count} mails to ${email}, found ${tokens.length}`);
      await pause(50);
    }
  };
  const invite = async (email: string): Promise<string> => {
    expect((await t.request('POST', '/me/people', { key: world.a.brand.key, body: { email, role: 'viewer' } })).status).toBe(201);
    return (await mailedTokens(email, 1))[0]!;
  };

  const importFile = (text: string): { body: FormData } => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(text, 'utf8')], { type: 'text/csv' }), 'import.csv');
    return { body: form };
  };
  const CASES: Record<string, Case> = {
    'POST /api/v1/offers/{id}/accept': { id: freshOffer },
    // The example's id names no offer of the world: a fresh one is accepted, as the example means.
    'POST /api/v1/offers/accept': { body: async (example) => ({ ...example, ids: [await freshOffer()] }) },
    'POST /api/v1/offers/{id}/reject': { id: freshOffer },
    'POST /api/v1/offers/{id}/counter': { id: freshOffer },
    'POST /api/v1/offers/{id}/counter/accept': { id: counteredOffer },
    'POST /api/v1/offers/{id}/counter/decline': { id: counteredOffer },
    'POST /api/v1/allocations/{id}/progress': { id: () => acceptedOffer() },
    'POST /api/v1/allocations/{id}/lots': { id: () => acceptedOffer(1500) },
    'POST /api/v1/allocations/{id}/lots/batch': { id: () => acceptedOffer(1500) },
    'POST /api/v1/orders/{id}/cancel': { id: freshUnmatched },
    'POST /api/v1/orders/{id}/approve': { id: awaitingApproval },
    'POST /api/v1/orders/{id}/decline': { id: awaitingApproval },
    'POST /api/v1/orders/{id}/rematch': { id: () => world.a.privateOrderId },
    'POST /api/v1/orders/{id}/attachments': {
      raw: () => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from('%PDF-1.7\n%%EOF\n')], { type: 'application/pdf' }), 'tech-pack.pdf');
        return { body: form };
      },
    },
    // The preview of an import (the documented query example is dryRun=true): a template's example row, nothing stored.
    'POST /api/v1/orders/import': { raw: () => importFile(`订单类型,数量,交期,纤维,组织,门幅(厘米),纬密(根/厘米)\r\n面料,3000,${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)},棉,斜纹,150,30\r\n`) },
    'POST /api/v1/lines/import': { raw: () => importFile('产线类型,产线名称,单价,机型,织机台数,转速(纬/分钟),最大门幅(厘米)\r\n织造,喷水织机,0.01,喷水织机,4,600,190\r\n') },
    'POST /api/v1/sessions': { body: () => ({ email: world.people.brandAViewer.email, password: world.people.brandAViewer.password }) },
    'DELETE /api/v1/sessions': { person: async () => sessionHeaders(await signInAgain(t, world.people.brandAViewer)) },
    'POST /api/v1/invitations/accept': { body: async (example) => ({ ...example, token: await invite('invited@examples.example') }) },
    'POST /api/v1/password-resets': { body: (example) => ({ ...example, email: world.people.brandAViewer.email }) },
    'POST /api/v1/password-resets/confirm': {
      body: async (example) => {
        const email = 'reset@examples.example';
        const invitation = await invite(email);
        expect((await t.request('POST', '/invitations/accept', { body: { token: invitation, password: 'examples-password-1' } })).status).toBe(201);
        expect((await t.request('POST', '/password-resets', { body: { email } })).status).toBe(204);
        const reset = (await mailedTokens(email, 2)).find((token) => token !== invitation)!;
        return { ...example, token: reset };
      },
    },
    // A new person's address: the example's may already be someone's.
    'POST /api/v1/me/people': { body: (example) => ({ ...example, email: 'zhang.min@examples.example' }) },
  };

  /** Who sends an operation: its first audience, by key, or a person of it where only people may call. */
  const headersOf = async (op: Operation, c: Case | undefined, exampleName: string | undefined): Promise<Record<string, string>> => {
    if (typeof c?.person === 'function') return c.person();
    if (c?.person) return sessionHeaders(world.people[c.person]);
    if (op.roles === 'public' || !op.roles) return {};
    const kind = exampleName !== undefined && op.roles.includes(exampleName) ? exampleName : op.roles[0];
    if (op.peopleOnly) return sessionHeaders(world.people[kind === 'brand' ? 'brandAOwner' : kind === 'factory' ? 'factoryAOwner' : 'operatorPerson']);
    return { authorization: `Bearer ${kind === 'brand' ? world.a.brand.key : kind === 'factory' ? world.a.factory.key : OPERATOR_KEY}` };
  };

  it('sends every operation with each of its examples and gets the documented success', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const op of operationsOf(doc)) {
      const raw = (doc.paths[op.path] as Raw)[op.method.toLowerCase()]!;
      const documented = Object.keys(raw.responses ?? {}).filter((s) => s.startsWith('2')).map(Number);
      const c = CASES[op.label];
      const media = raw.requestBody?.content?.['application/json'];
      // An example named after a kind of organization (brand, factory, operator) is that kind's to send.
      const examples: [string | undefined, Record<string, unknown> | undefined][] = media?.examples
        ? Object.entries(media.examples).map(([name, e]) => [name, e.value as Record<string, unknown>])
        : [[undefined, media?.example as Record<string, unknown> | undefined]];
      if (op.body && examples.some(([, e]) => e === undefined)) failures.push(`${op.label}: a request body without an example`);
      const query = new URLSearchParams();
      for (const p of raw.parameters ?? []) {
        const value = p.example ?? p.schema?.example;
        if (p.in === 'query' && value !== undefined) query.set(p.name, typeof value === 'string' ? value : JSON.stringify(value));
      }
      for (const [name, example] of examples) {
        const target = op.path.includes('{') ? targetOf(world, op.path, op.method) : undefined;
        const id = c?.id ? await c.id() : target?.id;
        const path = fillPath(op.path, { ...target?.params, ...(id ? { id } : {}), ...(op.path.includes('{identifier}') ? { identifier: world.lotIdentifier } : {}) });
        const url = `${root()}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
        const headers = await headersOf(op, c, name);
        let res: RawResponse;
        if (c?.raw) {
          const r = c.raw();
          const answer = await fetch(url, { method: op.method, headers: { ...headers, ...r.headers }, body: r.body });
          const text = await answer.text();
          res = { status: answer.status, headers: answer.headers, text, json: /json/.test(answer.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined, contentType: answer.headers.get('content-type') ?? '' };
        } else {
          const body = example !== undefined && c?.body ? await c.body(example) : example;
          res = await send({ method: op.method, url, headers, body });
        }
        sent++;
        if (!documented.includes(res.status)) failures.push(`${op.label}: documented ${documented.join('/')}, got ${res.status} ${res.text.slice(0, 300)}`);
        else if (res.json !== undefined) failures.push(...schemas.check(op.method, op.path, res.status, res.json).map((m) => `${op.label}: ${m}`));
      }
    }
    expect(failures).toEqual([]);
    // Every operation was sent, each body example once.
    expect(sent).toBeGreaterThanOrEqual(operationsOf(doc).length);
  }, 300_000);

  it('documents one Idempotency-Key header on the order posts, optional, and sends a fabric and a garment order without the other part (a style sends both)', () => {
    for (const path of ['/api/v1/orders', '/api/v1/orders/batch']) {
      const params = ((doc.paths[path] as Raw).post!.parameters ?? []).filter((p) => p.name.toLowerCase() === 'idempotency-key');
      expect(params, path).toHaveLength(1);
      expect(params[0]).toMatchObject({ in: 'header', required: false });
    }
    const post = (doc.paths['/api/v1/orders'] as Raw).post!;
    const bodies = Object.values(post.requestBody!.content!['application/json']!.examples!).map((e) => e.value as Record<string, unknown>);
    expect(bodies.map((b) => b.kind).sort()).toEqual(['fabric', 'garment', 'style']);
    for (const b of bodies) expect(Object.keys(b).filter((k) => k === 'fabric' || k === 'garment').sort()).toEqual(b.kind === 'style' ? ['fabric', 'garment'] : [b.kind]);
    const answer = (post.responses!['202'] as { content: Record<string, { example: OrderBody }> }).content['application/json']!.example;
    expect(answer).toMatchObject({ status: 'pending', allocations: [] });
  });
});
