import { OPERATOR_KEY } from '../../support/harness';
/** Just enough of OpenAPI 3 to walk the document the API serves. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  readonly method: string;
  /** As in the document: `/api/v1/orders/{id}`. */
  readonly path: string;
  /** `x-roles`, or `public` for `x-public` routes, or undefined when the route declares neither. */
  readonly roles: readonly string[] | 'public' | undefined;
  /** `x-person-roles`: the roles of signed-in people the route admits (none listed: no person). */
  readonly personRoles: readonly string[];
  /** `x-people-only`: a route for signed-in people only (their own settings); keys see no such route. */
  readonly peopleOnly: boolean;
  readonly parameters: readonly Parameter[];
  readonly body: Schema | undefined;
  readonly produces: readonly string[];
  readonly label: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, unknown> }>; 'x-roles'?: string[]; 'x-public'?: boolean; 'x-person-roles'?: string[]; 'x-people-only'?: boolean }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The whole document, audiences included, is the operator's; others (`key` another's, or null) get it without them. */
export async function loadOpenApi(baseUrl: string, key: string | null = OPERATOR_KEY): Promise<OpenApiDocument> {
  const res = await fetch(baseUrl.replace(/\/api\/v1$/, '/api/docs/openapi.json'), { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  return (await res.json()) as OpenApiDocument;
}

/** Every operation of the document, in a stable order: reads first, then writes. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const produces = Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
      ops.push({
        method: method.toUpperCase(),
        path,
        roles: op['x-public'] ? 'public' : op['x-roles'],
        personRoles: op['x-person-roles'] ?? [],
        peopleOnly: op['x-people-only'] === true,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
        produces,
        label: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return ops.sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET') || a.label.localeCompare(b.label));
}

/** Follows `$ref`s and merges `allOf`, so callers see one flat schema. */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => resolve(doc, s) ?? {});
    return { ...schema, allOf: undefined, properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema>, required: parts.flatMap((p) => p.required ?? []), type: 'object' };
  }
  return schema;
}

/** A request body built from the document's examples: every property that has one, recursively. */
export function exampleOf(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 6) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.type === 'object' || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const value = exampleOf(doc, prop, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.type === 'array') {
    const item = exampleOf(doc, s.items, depth + 1);
    return item === undefined ? [] : [item];
  }
  return undefined;
}

/** Fills `{name}` path parameters. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} in ${path}`);
    return encodeURIComponent(value);
  });
}
