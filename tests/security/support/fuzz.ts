import { exampleOf, type OpenApiDocument, type Operation, type Parameter, resolve, type Schema } from './openapi';

export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** One malformed request: what to change relative to a well-formed one. */
export interface FuzzCase {
  readonly name: string;
  /** Replaces the body; a string is sent raw. */
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  /** Replaces the `{id}` path parameter. */
  readonly id?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Send without the caller's Authorization header. */
  readonly anonymous?: boolean;
}

export const SQL = ["' OR '1'='1", '1; DROP TABLE orders; --', "'); DELETE FROM organizations; --", '1 UNION SELECT key_hash FROM api_keys'];
export const SCRIPT = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)'];
export const UNICODE = ['🧵织机', 'ｓｅｌｅｃｔ', '\u202eevil', 'Ω≈ç√∫'];
/** Strings that are never valid text here: NUL, a lone surrogate, control characters. */
export const BROKEN_TEXT = ['bad\u0000nul', 'half \ud800 pair', 'bell\u0007'];

const HOSTILE_IDS = [...SQL, ...SCRIPT, ...UNICODE, '../../etc/passwd', '\u0000', 'x'.repeat(2000), '-1', '0', '1e309', 'null', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'];

/** Values of the wrong type or out of range for a property with this schema. */
function wrongValues(schema: Schema, required: boolean, example: unknown): unknown[] {
  const out: unknown[] = [];
  if (required) out.push(null);
  if (schema.enum) out.push(...SQL.slice(0, 2), SCRIPT[0], UNICODE[0], '', 7);
  else if (schema.type === 'string') {
    out.push(42, true, {}, [], ...BROKEN_TEXT);
    if (schema.maxLength !== undefined) out.push('x'.repeat(schema.maxLength + 1));
    if ((schema.minLength ?? 0) > 0) out.push('');
    if (typeof example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(example)) out.push('2026-02-30', '2026-13-01', '1999-01-01', '9999-12-31', SQL[1], 'tomorrow');
  } else if (schema.type === 'number' || schema.type === 'integer') {
    out.push('12', SQL[1], true, {}, [], 'NaN');
    if (schema.maximum !== undefined) out.push(schema.maximum + 1, 1e308);
    if (schema.minimum !== undefined) out.push(schema.minimum - 1, -1e308);
  } else if (schema.type === 'boolean') {
    out.push('true', 1, 'yes', {});
  } else if (schema.type === 'array') {
    out.push('not an array', {}, 42, [{}], [[[]]]);
  } else if (schema.type === 'object' || schema.properties) {
    out.push('an object?', 42, [], { unexpected: SQL[0] });
  }
  return out;
}

/** Malformed variants of a body that the document describes. */
function bodyCases(doc: OpenApiDocument, schemaRef: Schema, base: Record<string, unknown>): FuzzCase[] {
  const schema = resolve(doc, schemaRef) ?? {};
  const cases: FuzzCase[] = [];
  for (const raw of ['[]', '"text"', '42', 'null', 'true', '[{}]', '{', '{"a":1,}', "{'a':1}", 'nul']) cases.push({ name: `body ${raw}`, rawBody: raw });
  for (const name of schema.required ?? []) {
    const rest = { ...base };
    delete rest[name];
    cases.push({ name: `missing ${name}`, body: rest });
  }
  for (const key of ['role', 'verified', 'brandId', 'organizationId', 'isAdmin', '$where', ...SQL.slice(0, 1), ...SCRIPT.slice(0, 1), UNICODE[0]!, 'k'.repeat(200)]) {
    cases.push({ name: `extra field ${key.slice(0, 20)}`, body: { ...base, [key]: SQL[0] } });
  }
  cases.push({ name: 'extra __proto__', rawBody: JSON.stringify(base).replace(/^\{/, '{"__proto__":{"verified":true},') });
  cases.push({ name: 'extra constructor', rawBody: JSON.stringify(base).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},') });
  let deep: unknown = 1;
  for (let i = 0; i < 60; i++) deep = { d: deep };
  cases.push({ name: 'deeply nested', body: { ...base, nested: deep } });
  cases.push({ name: 'huge array', body: { ...base, blob: Array.from({ length: 5000 }, (_, i) => i) } });
  for (const [name, propRef] of Object.entries(schema.properties ?? {})) {
    const prop = resolve(doc, propRef) ?? {};
    const required = (schema.required ?? []).includes(name);
    for (const value of wrongValues(prop, required, base[name] ?? exampleOf(doc, propRef))) {
      cases.push({ name: `${name} = ${JSON.stringify(value)?.slice(0, 30)}`, body: { ...base, [name]: value } });
    }
    // One level down: a nested object with one bad field.
    const nestedBase = base[name];
    if ((prop.type === 'object' || prop.properties) && nestedBase && typeof nestedBase === 'object' && !Array.isArray(nestedBase)) {
      for (const [inner, innerRef] of Object.entries(prop.properties ?? {})) {
        const innerSchema = resolve(doc, innerRef) ?? {};
        for (const value of wrongValues(innerSchema, (prop.required ?? []).includes(inner), (nestedBase as Record<string, unknown>)[inner]).slice(0, 4)) {
          cases.push({ name: `${name}.${inner} = ${JSON.stringify(value)?.slice(0, 30)}`, body: { ...base, [name]: { ...nestedBase, [inner]: value } } });
        }
      }
    }
  }
  return cases;
}

/** A query parameter of plain text with a length limit: no enum, format or pattern to break. */
function isFreeText(param: Parameter): boolean {
  const s = param.schema;
  return s?.type === 'string' && s.maxLength !== undefined && s.enum === undefined && s.format === undefined && s.pattern === undefined;
}

/** Every malformed variant of one operation: body, path, query and headers. */
export function casesFor(doc: OpenApiDocument, op: Operation, base: unknown, validKey: string | undefined, otherKeys: readonly string[]): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const writes = op.method !== 'GET';
  if (op.body && base && typeof base === 'object' && !Array.isArray(base)) cases.push(...bodyCases(doc, op.body, base as Record<string, unknown>));
  if (op.path.includes('{id}')) for (const id of HOSTILE_IDS) cases.push({ name: `id ${id.slice(0, 30)}`, id });
  for (const param of op.parameters.filter((p) => p.in === 'query')) {
    // A key given in the query counts only without a header: send those alone.
    const anonymous = /token|key/i.test(param.name);
    // Free text (a search, a city): any characters are a fair thing to look for, and find nothing;
    // only more than its documented length is malformed.
    const hostile = isFreeText(param) ? ['x'.repeat(3000)] : [...SQL.slice(0, 2), SCRIPT[0]!, UNICODE[0]!, 'x'.repeat(3000), '-1', '1e309', 'NaN', '[object Object]'];
    for (const value of hostile) {
      cases.push({ name: `?${param.name}=${value.slice(0, 20)}`, query: { [param.name]: value }, anonymous });
    }
  }
  for (const param of op.parameters.filter((p) => p.in === 'header')) {
    for (const value of ['x'.repeat(300), 'a b c', SQL[0]!]) cases.push({ name: `header ${param.name}: ${value.slice(0, 20)}`, headers: { [param.name]: value } });
  }
  if (op.roles !== 'public') {
    const auth = ['Bearer', `Bearer ${SQL[0]}`, `Bearer clk_${'A'.repeat(5000)}`, 'Basic YWRtaW46YWRtaW4=', `Bearer ${SCRIPT[0]}`, 'Bearer null', `Token ${validKey ?? ''}`, `Bearer ${validKey ?? ''}x`, `Bearer ${(validKey ?? '').slice(0, -1)}`, ...otherKeys.map((k) => `Bearer ${k}`)];
    for (const value of auth) cases.push({ name: `authorization ${value.slice(0, 24)}`, headers: { authorization: value }, anonymous: true });
  }
  if (writes) {
    const json = JSON.stringify(base ?? {});
    cases.push({ name: 'text/plain body', rawBody: 'kind=brand', contentType: 'text/plain' });
    cases.push({ name: 'form body', rawBody: 'kind=brand&name=x', contentType: 'application/x-www-form-urlencoded' });
    cases.push({ name: 'xml body', rawBody: '<order/>', contentType: 'application/xml' });
    cases.push({ name: 'utf-16 json', rawBody: json, contentType: 'application/json; charset=utf-16' });
    cases.push({ name: 'multipart body', rawBody: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' });
  }
  return cases;
}
