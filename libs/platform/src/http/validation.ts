import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, invalidFields } from '../errors/domain-error';

/** Flattens class-validator's tree into dotted field paths: `fabric.widthCm`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: message.replace(/^property /, '') }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Deeper than any request of this API; deeper input is an attack on the parsers, not data. */
export const MAX_INPUT_DEPTH = 8;
/** More keys or items than any request of this API has, counted over the whole input. */
export const MAX_INPUT_NODES = 2_000;
/** Keys that reach object prototypes in careless code. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL and the C0/C1 controls other than tab, newline and carriage return; PostgreSQL refuses NUL in text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/**
 * Characters that change how text looks without being seen: bidirectional overrides, embeddings
 * and isolates (a name ending in U+202E shows reversed, "Mill A" can pass for "A lliM"), the
 * Arabic letter mark, and zero-width spaces, joiners and the BOM (two names that look the same
 * but differ). No name, label or place in this API needs them.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** A UTF-16 surrogate without its partner: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Surrogate}/u;
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/**
 * Shape checks that hold for every input of every route, before class-validator sees it:
 * bounded depth and size, no prototype keys, no arrays of arrays, no strings PostgreSQL
 * would choke on (NUL, lone UTF-16 surrogates), no control characters and no invisible or
 * text-direction characters.
 */
export function inspectInput(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  let nodes = 0;
  const walk = (v: unknown, path: string, depth: number): void => {
    if (errors.length >= 20) return;
    nodes += 1;
    if (nodes > MAX_INPUT_NODES) {
      if (nodes === MAX_INPUT_NODES + 1) errors.push({ field: root || 'body', message: `must not contain more than ${MAX_INPUT_NODES} values` });
      return;
    }
    if (typeof v === 'string') {
      if (!wellFormed(v)) errors.push({ field: path || root, message: 'must be well-formed Unicode' });
      else if (CONTROL.test(v)) errors.push({ field: path || root, message: 'must not contain control characters' });
      else if (INVISIBLE.test(v)) errors.push({ field: path || root, message: 'must not contain invisible or text-direction characters (zero-width, bidirectional controls)' });
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({ field: path || root, message: `must not be nested deeper than ${MAX_INPUT_DEPTH} levels` });
      return;
    }
    // No request of this API has an array of arrays, and class-validator's ValidateNested
    // waves one through (`[[]]` passes as a list of objects), so the shape is refused here.
    if (Array.isArray(v) && v.some((item) => Array.isArray(item))) {
      errors.push({ field: path || root, message: 'must not contain nested arrays' });
      return;
    }
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
    for (const [key, item] of entries) {
      const field = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(v)) {
        if (FORBIDDEN_KEYS.has(key)) {
          errors.push({ field: path || root, message: `must not have a property named ${key}` });
          continue;
        }
        if (!wellFormed(key) || CONTROL.test(key) || key.length > 100) {
          errors.push({ field: path || root, message: 'has a property name that is not allowed' });
          continue;
        }
      }
      walk(item, field, depth + 1);
    }
  };
  walk(value, '', 0);
  return errors;
}

/**
 * Whitelisting refuses unknown fields instead of silently dropping them. Before the DTO
 * rules run, every body, query and path parameter passes the shape checks above, and a
 * body must be a JSON object (a missing body counts as `{}`, so each required field is named).
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      let input = value;
      if (metadata.type === 'body' && metadata.metatype !== undefined && metadata.metatype !== Object) {
        if (input === undefined || input === '') input = {};
        if (typeof input !== 'object' || input === null || Array.isArray(input)) {
          throw invalidFields([{ field: 'body', message: 'must be a JSON object' }]);
        }
      }
      const problems = inspectInput(input, metadata.type === 'param' ? (metadata.data ?? 'param') : metadata.type === 'query' ? 'query' : 'body');
      if (problems.length > 0) throw invalidFields(problems);
      return super.transform(input, metadata);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidFields(flattenValidationErrors(errors)),
  });
}
