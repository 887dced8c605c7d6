import type { ArgumentMetadata } from '@nestjs/common';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { createValidationPipe, inspectInput, MAX_INPUT_DEPTH, MAX_INPUT_NODES } from './validation';

class ThingDto {
  @IsString() @Length(1, 20) name!: string;
  @IsInt() @Min(1) @Max(10) count!: number;
}

const body: ArgumentMetadata = { type: 'body', metatype: ThingDto, data: undefined };

async function fieldsOf(value: unknown, meta: ArgumentMetadata = body): Promise<string[]> {
  try {
    await createValidationPipe().transform(value, meta);
  } catch (error) {
    if (error instanceof DomainError) return error.fields.map((f) => `${f.field}: ${f.message}`);
    throw error;
  }
  return [];
}

describe('inspectInput', () => {
  it('accepts ordinary JSON, Unicode included', () => {
    expect(inspectInput({ name: 'Keqiao 织机 🧵', tags: ['a', 'b'], nested: { n: 1, ok: true } }, 'body')).toEqual([]);
  });

  it('names NUL, control characters and lone surrogates by field', () => {
    expect(inspectInput({ a: 'x\u0000', b: { c: 'y\u0007' }, d: ['\ud800'] }, 'body')).toEqual([
      { field: 'a', message: 'must not contain control characters' },
      { field: 'b.c', message: 'must not contain control characters' },
      { field: 'd[0]', message: 'must be well-formed Unicode' },
    ]);
  });

  it('refuses arrays of arrays, which ValidateNested would let through', () => {
    expect(inspectInput({ days: [[]] }, 'body')).toEqual([{ field: 'days', message: 'must not contain nested arrays' }]);
    expect(inspectInput({ days: [{ date: '2026-12-24' }] }, 'body')).toEqual([]);
  });

  it('refuses prototype keys and over-deep or oversized input', () => {
    expect(inspectInput(JSON.parse('{"__proto__": {"admin": true}}'), 'body')).toEqual([{ field: 'body', message: 'must not have a property named __proto__' }]);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH + 1; i++) deep = { d: deep };
    expect(inspectInput(deep, 'body')[0]!.message).toMatch(/nested deeper/);
    expect(inspectInput({ list: Array(MAX_INPUT_NODES).fill(0) }, 'body')[0]!.message).toMatch(/more than/);
  });
});

describe('createValidationPipe', () => {
  it('passes a valid body through as the DTO', async () => {
    const out: unknown = await createValidationPipe().transform({ name: 'ok', count: 3 }, body);
    expect(out).toBeInstanceOf(ThingDto);
  });

  it('names every bad field, unknown ones too', async () => {
    expect((await fieldsOf({ name: '', count: 11, colour: 'red' })).map((f) => f.split(':')[0]).sort()).toEqual(['colour', 'count', 'name']);
  });

  it('treats a missing body as empty, and refuses non-objects', async () => {
    expect((await fieldsOf(undefined)).map((f) => f.split(':')[0]).sort()).toEqual(['count', 'count', 'count', 'name', 'name']);
    for (const value of [[], [{ name: 'a', count: 1 }], 'text', 42, null, true]) {
      expect(await fieldsOf(value)).toEqual(['body: must be a JSON object']);
    }
  });

  it('checks path parameters and queries too', async () => {
    expect(await fieldsOf('abc\u0000', { type: 'param', metatype: String, data: 'id' })).toEqual(['id: must not contain control characters']);
  });
});
