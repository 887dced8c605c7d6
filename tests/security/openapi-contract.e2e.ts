import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { loadOpenApi, type OpenApiDocument, operationsOf, resolve, type Schema } from './support/openapi';
import { ResponseSchemas } from './support/schemas';
import { fabricOrder, sewingLine } from './support/world';

/** The document is the contract the fuzz and the matrix read; it has to be complete for them to mean anything. */
describe('OpenAPI document: every operation, its callers, its errors, its examples', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let schemas: ResponseSchemas;
  beforeAll(async () => {
    t = await startTestApp();
    doc = await loadOpenApi(t.baseUrl);
    schemas = new ResponseSchemas(doc);
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  type Responses = Record<string, { content?: Record<string, { schema?: Schema; example?: unknown }> }>;
  const raw = (method: string, path: string): { responses?: Responses; security?: unknown[] } =>
    (doc.paths[path] as Record<string, { responses?: Responses; security?: unknown[] }>)[method.toLowerCase()]!;

  it('documents the problem answers of every operation, with the problem schema and an example', () => {
    const missing: string[] = [];
    for (const op of operationsOf(doc)) {
      const responses = raw(op.method, op.path).responses ?? {};
      const expected = op.roles === 'public' ? ['400', '429'] : ['400', '401', '404', '429'];
      for (const status of expected) {
        const problem = responses[status]?.content?.['application/problem+json'];
        if (!problem || problem.schema?.$ref !== '#/components/schemas/ProblemSchema' || problem.example === undefined) missing.push(`${op.label} ${status}`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.components?.schemas?.ProblemSchema?.properties).toHaveProperty('errors');
  });

  it('requires the bearer key on every operation that is not public', () => {
    const open = operationsOf(doc).filter((op) => op.roles !== 'public' && !JSON.stringify(raw(op.method, op.path).security ?? []).includes('bearer'));
    expect(open.map((op) => op.label)).toEqual([]);
    const publicOps = operationsOf(doc).filter((op) => op.roles === 'public').map((op) => op.label);
    expect(publicOps).toEqual(expect.arrayContaining(['POST /api/v1/signup', 'GET /api/v1/health']));
  });

  it('gives an example for every field of every request body', () => {
    const bare: string[] = [];
    const visit = (schema: Schema | undefined, at: string, depth: number): void => {
      const s = resolve(doc, schema);
      if (!s || depth > 4) return;
      for (const [name, propRef] of Object.entries(s.properties ?? {})) {
        const prop = resolve(doc, propRef) ?? {};
        const item = resolve(doc, prop.items);
        if (prop.properties) visit(prop, `${at}.${name}`, depth + 1);
        else if (item?.properties) visit(item, `${at}.${name}[]`, depth + 1);
        else if (prop.example === undefined && !prop.enum && !(prop.items && (resolve(doc, prop.items)?.enum ?? resolve(doc, prop.items)?.example))) bare.push(`${at}.${name}`);
      }
    };
    for (const op of operationsOf(doc).filter((o) => o.body)) visit(op.body, op.label, 0);
    expect(bare).toEqual([]);
  });

  it('documents a success answer of every operation, with a schema and an example that fits it', () => {
    const missing: string[] = [];
    const misfits: string[] = [];
    for (const op of operationsOf(doc)) {
      const success = Object.entries(raw(op.method, op.path).responses ?? {}).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) missing.push(`${op.label}: no 2xx answer`);
      for (const [status, response] of success) {
        const media = Object.entries(response.content ?? {});
        // Only 204 answers nothing.
        if (media.length === 0 && status !== '204') missing.push(`${op.label} ${status}: no content`);
        for (const [type, content] of media) {
          if (!content.schema) missing.push(`${op.label} ${status} ${type}: no schema`);
          if (content.example === undefined) missing.push(`${op.label} ${status} ${type}: no example`);
          else if (type === 'application/json') misfits.push(...schemas.check(op.method, op.path, Number(status), content.example));
        }
      }
    }
    expect(missing).toEqual([]);
    expect(misfits).toEqual([]);
  });

  it('checks answers strictly: a field the schema does not document, a missing one or a wrong type fails', () => {
    const content = raw('GET', '/api/v1/me').responses?.['200']?.content?.['application/json'];
    const example = content?.example as Record<string, unknown>;
    expect(schemas.check('GET', '/api/v1/me', 200, example)).toEqual([]);
    expect(schemas.check('GET', '/api/v1/me', 200, { ...example, keyHash: 'x' }).join()).toMatch(/additional properties 'keyHash'/);
    const nameless = Object.fromEntries(Object.entries(example).filter(([field]) => field !== 'name'));
    expect(schemas.check('GET', '/api/v1/me', 200, nameless).join()).toMatch(/required property 'name'/);
    expect(schemas.check('GET', '/api/v1/me', 200, { ...example, verified: 'yes' })).not.toEqual([]);
    expect(schemas.check('GET', '/api/v1/me', 200, { ...example, city: null })).toEqual([]);
  });

  it('describes what the API really answers: both kinds of line, quote, counterparty and order, and the health checks', async () => {
    const misfits: string[] = [];
    const call = async (method: string, path: string, key: string | undefined, body?: unknown): Promise<Record<string, unknown>> => {
      const res = await t.request(method, path, { ...(key ? { key } : {}), ...(body !== undefined ? { body } : {}) });
      const documented = `/api/v1${path.replace(/\/[0-9a-f-]{36}(?=\/|$)/g, '/{id}')}`;
      misfits.push(...schemas.check(method, documented, res.status, res.body));
      return res.body;
    };
    const factory = await signup(t, { kind: 'factory', name: 'Schema Mill', city: 'Shaoxing' });
    const brand = await signup(t, { kind: 'brand', name: 'Schema Studio' });
    const weaving = await addLine(t, factory.key, airJetLine);
    await addLine(t, factory.key, sewingLine);
    await call('GET', '/lines', factory.key);
    await call('PUT', `/lines/${weaving.id}/availability`, factory.key, { days: [{ date: inDays(3), fraction: 0.5 }] });
    expect(await call('POST', '/quotes', brand.key, fabricOrder(500))).toMatchObject({ feasible: true });
    expect(await call('POST', '/quotes', brand.key, { ...fabricOrder(500), fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 400, picksPerCm: 60 } })).toMatchObject({ feasible: false });
    const style = { kind: 'style', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, fabricPerPieceM: 1.2, quantity: 200, dueDate: inDays(25) };
    expect(await call('POST', '/quotes', brand.key, style)).toMatchObject({ kind: 'style', feasible: true });
    expect(await call('POST', '/quotes', brand.key, { ...style, finishing: { process: 'printing' } })).toMatchObject({ kind: 'style', feasible: false });
    const posted = await call('POST', '/orders', brand.key, fabricOrder(500));
    const settled = await orderSettled(t, brand.key, String(posted.id));
    expect(settled.status).toBe('proposed');
    await call('GET', `/orders/${settled.id}`, brand.key);
    await call('GET', '/offers', factory.key);
    await call('GET', '/counterparties', brand.key);
    await call('GET', '/counterparties', factory.key);
    await call('GET', '/me/record', factory.key);
    await call('GET', '/market/orders', OPERATOR_KEY);
    await call('GET', '/factories', OPERATOR_KEY);
    await call('GET', '/stats', OPERATOR_KEY);
    await call('GET', '/market/forecast', OPERATOR_KEY);
    await call('GET', '/market/history', OPERATOR_KEY);
    await call('GET', '/alerts', OPERATOR_KEY);
    await call('POST', `/offers/${settled.allocations[0]!.id}/accept`, factory.key);
    await call('GET', '/health', undefined);
    await call('GET', '/health/ready', undefined);
    expect(misfits).toEqual([]);
  });
});
