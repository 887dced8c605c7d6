import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type ReferenceObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';

type Schema = SchemaObject | ReferenceObject;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Only a guard against cycles: a list of orders with allocations and their parts is some ten steps deep. */
const MAX_DEPTH = 20;

/**
 * An example built from the examples of a schema's properties (the view classes give one per
 * field), following `$ref`s; a union takes its first branch. Undefined where nothing gives one.
 */
export function exampleOf(doc: OpenAPIObject, schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > MAX_DEPTH) return undefined;
  if ('$ref' in schema) return exampleOf(doc, doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')], depth + 1);
  if (schema.example !== undefined) return schema.example;
  const union = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (union?.[0]) return exampleOf(doc, union[0], depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'array') {
    const item = exampleOf(doc, schema.items, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (schema.properties) {
    // An optional object (or list of them) without an example of its own is often one of alternatives
    // (a fabric or a garment; a plan's summary or an unmatched order's reasons): left out.
    const shown = Object.entries(schema.properties).filter(([name, prop]) => schema.required?.includes(name) || !isBareObject(prop));
    const entries = shown.map(([name, prop]) => [name, exampleOf(doc, prop, depth + 1)] as const);
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
  return undefined;
}

const isBareObject = (schema: Schema): boolean =>
  '$ref' in schema || (schema.example === undefined && (schema.allOf !== undefined || schema.properties !== undefined || (schema.items !== undefined && isBareObject(schema.items))));

/** Every success answer gets an example of its own, built from its schema, unless it has one. */
function addSuccessExamples(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        if (!status.startsWith('2') || !response || '$ref' in response) continue;
        for (const media of Object.values(response.content ?? {})) {
          if (media.example === undefined && media.schema) media.example = exampleOf(doc, media.schema);
        }
      }
    }
  }
}

/**
 * Every JSON request body gets the example Swagger UI would otherwise assemble from its
 * properties, made here instead, so what a reader tries is exactly what the document holds and
 * what tests/security/openapi-examples.e2e.ts sends. A body with examples of its own keeps them.
 */
function addRequestExamples(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (!body || '$ref' in body) continue;
      const media = body.content['application/json'];
      if (media?.schema && media.example === undefined && media.examples === undefined) media.example = exampleOf(doc, media.schema);
    }
  }
}

/** The document served at /api/docs: every operation with its audience, answers, schemas and examples. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('cloudloom API')
      .setDescription('Textile cloud-factory matching: brands post orders, factories publish capacity, the scheduler matches.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  addSuccessExamples(doc);
  addRequestExamples(doc);
  return doc;
}

/** Tags that name an audience: the anonymous document groups those operations by path instead. */
const AUDIENCE_TAGS = new Set(['brand', 'factory', 'operator']);
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * The document for callers who are not the operator: every operation without its audience
 * (`x-roles`, and tags named after a kind of organization), since "a route of another kind
 * answers 404 like an unknown one" means little if the document says whose each route is.
 * The operator's key fetches the full document (`/api/docs/openapi.json` with its Bearer).
 */
export function withoutAudiences(doc: OpenAPIObject): OpenAPIObject {
  const copy = structuredClone(doc);
  for (const [path, item] of Object.entries(copy.paths)) {
    for (const method of METHODS) {
      const op: (OperationObject & { 'x-roles'?: unknown }) | undefined = item[method];
      if (!op) continue;
      delete op['x-roles'];
      const tags = (op.tags ?? []).filter((t) => !AUDIENCE_TAGS.has(t));
      op.tags = tags.length > 0 ? tags : [path.split('/').filter((p) => p !== '' && p !== 'api' && p !== 'v1')[0] ?? 'api'];
    }
  }
  if (copy.tags) copy.tags = copy.tags.filter((t) => !AUDIENCE_TAGS.has(t.name));
  return copy;
}
