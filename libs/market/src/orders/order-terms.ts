import { createHash } from 'node:crypto';
import type { OrderSpec } from '@cloudloom/matching';
import { type FieldError, invalid, invalidFields } from '@cloudloom/platform';
import { addDays, daysBetween } from '../core/clock';
import { defaultMaxSplits, type PlannableOrder } from '../planning/plan-request';
import type { CreateOrderDto } from './orders.dto';

/** What field decorators cannot check: the kind's own spec, and dates against today. Fields are named under `prefix`. */
export function orderErrors(dto: CreateOrderDto, today: string, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (field: string, message: string): void => void errors.push({ field: `${prefix}${field}`, message });
  const other = dto.kind === 'fabric' ? 'garment' : 'fabric';
  if (dto[other] !== undefined) at(other, `not allowed on a ${dto.kind} order`);
  const earliestStart = dto.earliestStart ?? addDays(today, 1);
  if (daysBetween(today, earliestStart) < 0) at('earliestStart', 'must not be in the past');
  if (daysBetween(earliestStart, dto.dueDate) < 0) at('dueDate', 'must be on or after earliestStart');
  if (daysBetween(today, dto.dueDate) > 366) at('dueDate', 'must be within a year');
  if (dto.minSplitQuantity !== undefined && dto.minSplitQuantity > dto.quantity) at('minSplitQuantity', 'must not exceed quantity');
  return errors;
}

/** The order's terms as the planner and the orders table take them, defaults filled, once `orderErrors` found nothing. */
export function orderTerms(dto: CreateOrderDto, today: string): PlannableOrder {
  const spec: OrderSpec =
    dto.kind === 'fabric'
      ? { kind: 'fabric', fabric: { fiber: dto.fabric!.fiber, weave: dto.fabric!.weave, widthCm: dto.fabric!.widthCm, picksPerCm: dto.fabric!.picksPerCm, ...(dto.fabric!.gsm ? { gsm: dto.fabric!.gsm } : {}) } }
      : { kind: 'garment', garment: { category: dto.garment!.category, fabricType: dto.garment!.fabricType, samMinutes: dto.garment!.samMinutes } };
  return {
    spec,
    quantity: dto.quantity,
    earliestStart: dto.earliestStart ?? addDays(today, 1),
    dueDate: dto.dueDate,
    maxSplits: dto.maxSplits ?? defaultMaxSplits(spec.kind),
    minSplitQuantity: dto.minSplitQuantity ?? null,
    certifications: dto.certifications ?? [],
  };
}

/** Checks an order as `POST /orders` and `POST /quotes` take it; a 400 naming every bad field. */
export function checkOrder(dto: CreateOrderDto, today: string): PlannableOrder {
  const errors = orderErrors(dto, today);
  if (errors.length > 0) throw invalidFields(errors);
  return orderTerms(dto, today);
}

/** The Idempotency-Key header, if sent, as stored keys are made of it: 1-200 visible ASCII characters. */
export function checkedKey(key: string | undefined): string | undefined {
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('Idempotency-Key', 'must be 1-200 visible ASCII characters');
  return key;
}

/** JSON with every object's keys sorted: the same body in any key order gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a retry with the same key must repeat: the body as posted, whatever the order of its keys. */
export function requestHash(dto: CreateOrderDto): string {
  return createHash('sha256').update(canonicalJson(dto)).digest('hex');
}
