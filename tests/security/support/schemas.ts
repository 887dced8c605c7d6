import Ajv, { type ValidateFunction } from 'ajv';
import type { OpenApiDocument, Schema } from './openapi';

type Json = Record<string, unknown>;

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/**
 * OpenAPI 3.0 schema → JSON Schema, and stricter than the document on purpose: an object may
 * carry only the properties it documents (a field the view forgot to declare fails), and
 * `nullable` becomes an explicit `null` branch.
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    // Not validation: an example, and the discriminator (the `oneOf` decides).
    if (key === 'example' || key === 'discriminator') continue;
    // `properties` maps names to schemas: its keys are names, not keywords.
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, strict(s)])) : strict(value);
  }
  if (typeof out.$ref === 'string') out.$ref = `openapi${out.$ref}`;
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  // `type: object` beside `allOf: [$ref]` (how a nullable reference is written) adds nothing.
  if (out.allOf && out.type === 'object' && !out.properties) delete out.type;
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** Validates answers against the schemas the document gives for them. */
export class ResponseSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    for (const [name, pattern] of Object.entries(FORMATS)) this.ajv.addFormat(name, pattern);
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: strict(doc.components?.schemas ?? {}) } });
  }

  /** The schema documented for this answer, or undefined when there is none. */
  schemaOf(method: string, path: string, status: number, mediaType = 'application/json'): Schema | undefined {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    const content = op?.responses?.[String(status)]?.content?.[mediaType] as { schema?: Schema } | undefined;
    return content?.schema;
  }

  /** The problems with `value` as an answer of this operation: an empty list when it fits. */
  check(method: string, path: string, status: number, value: unknown, mediaType = 'application/json'): string[] {
    const label = `${method} ${path} ${status} ${mediaType}`;
    let validate = this.compiled.get(label);
    if (!validate) {
      const schema = this.schemaOf(method, path, status, mediaType);
      if (!schema) return [`${label}: no schema documented`];
      validate = this.ajv.compile(strict(schema) as Json);
      this.compiled.set(label, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${label}: ${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
  }
}
