import { startTestApp, type TestApp } from '../support/harness';
import { loadOpenApi, type OpenApiDocument, operationsOf, resolve, type Schema } from './support/openapi';

/** The document is the contract the fuzz and the matrix read; it has to be complete for them to mean anything. */
describe('OpenAPI document: every operation, its callers, its errors, its examples', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = await loadOpenApi(t.baseUrl);
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
});
