import { createHash } from 'node:crypto';
import type { GarmentSpec, OrderSpec, SizeBreakdown } from '@cloudloom/matching';
import { type FieldError, invalid, invalidFields } from '@cloudloom/platform';
import { addDays, daysBetween } from '../core/clock';
import { defaultMaxSplits, type PlannableOrder } from '../planning/plan-request';
import { estimateOf, samFeatureErrors } from '../sam/sam.dto';
import { type CreateOrderDto, type GarmentDto, MAX_SIZES, type SizesInput } from './orders.dto';

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
  if (dto.kind === 'garment' && dto.garment) errors.push(...garmentSamErrors(dto.garment, `${prefix}garment.`));
  if (dto.sizes !== undefined) {
    if (dto.kind !== 'garment') at('sizes', 'only garment orders have sizes');
    else errors.push(...sizesErrors(dto.sizes, dto.quantity, `${prefix}sizes`));
  }
  return errors;
}

/** A size label: letters (any script: 均码), digits and the marks size runs use (W32/L34, 3-4Y, 110cm). */
const SIZE_LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ./+\-()]{0,19}$/u;

/** The breakdown as sent, in its order: entries of a map, or a list's items. Undefined if it is neither. */
function sizeEntries(sizes: SizesInput): [size: unknown, quantity: unknown][] | undefined {
  if (Array.isArray(sizes)) {
    return sizes.map((item) => (typeof item === 'object' && item !== null ? [(item as Record<string, unknown>).size, (item as Record<string, unknown>).quantity] : [undefined, undefined]));
  }
  return typeof sizes === 'object' && sizes !== null ? Object.entries(sizes) : undefined;
}

/** Sizes: known shape, 1-20 character labels, no label twice, whole pieces, summing to the quantity. */
export function sizesErrors(sizes: SizesInput, quantity: number, field: string): FieldError[] {
  const entries = sizeEntries(sizes);
  if (entries === undefined) return [{ field, message: 'must be pieces per size: {"S": 100, "M": 150} or [{"size": "S", "quantity": 100}]' }];
  if (entries.length === 0 || entries.length > MAX_SIZES) return [{ field, message: `must list 1 to ${MAX_SIZES} sizes` }];
  if (Array.isArray(sizes)) {
    const bad = sizes.findIndex((item) => typeof item !== 'object' || item === null || Object.keys(item).some((k) => k !== 'size' && k !== 'quantity'));
    if (bad >= 0) return [{ field: `${field}.${bad}`, message: 'must be {"size": "...", "quantity": n} and nothing else' }];
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  entries.forEach(([size, pieces], i) => {
    const at = Array.isArray(sizes) ? `${field}.${i}` : `${field}.${String(size)}`;
    if (typeof size !== 'string' || !SIZE_LABEL.test(size)) errors.push({ field: at, message: 'the size must be 1-20 letters, digits, spaces or ./+-()' });
    else if (seen.has(size)) errors.push({ field: at, message: `size ${size} is listed twice` });
    else seen.add(size);
    if (typeof pieces !== 'number' || !Number.isInteger(pieces) || pieces < 1 || pieces > 1_000_000) errors.push({ field: at, message: 'the pieces of a size must be a whole number from 1' });
  });
  if (errors.length > 0) return errors;
  const sum = entries.reduce((s, [, pieces]) => s + (pieces as number), 0);
  return sum === quantity ? [] : [{ field, message: `must sum to the quantity (${quantity} pieces); these sizes sum to ${sum}` }];
}

/** The breakdown as stored, once `sizesErrors` found nothing: a list in the order sent. */
export function orderSizes(dto: CreateOrderDto): SizeBreakdown | null {
  return dto.sizes === undefined ? null : sizesOf(dto.sizes);
}

/** A breakdown as stored, once `sizesErrors` found nothing in it. */
export function sizesOf(sizes: SizesInput): SizeBreakdown {
  return sizeEntries(sizes)!.map(([size, quantity]) => ({ size: size as string, quantity: quantity as number }));
}

/** Exactly one of `samMinutes` and `spec`; a spec's category and fabric type, when sent, are the garment's, and its features are known. */
export function garmentSamErrors(garment: GarmentDto, prefix: string): FieldError[] {
  const { spec } = garment;
  if (spec === undefined) return garment.samMinutes === undefined ? [{ field: `${prefix}samMinutes`, message: 'is required unless a spec is sent (samMinutes or spec)' }] : [];
  if (garment.samMinutes !== undefined) return [{ field: `${prefix}spec`, message: 'send either samMinutes or spec, not both' }];
  const errors: FieldError[] = [];
  if (spec.category !== undefined && spec.category !== garment.category) errors.push({ field: `${prefix}spec.category`, message: `must be the garment's category (${garment.category}) when sent` });
  if (spec.fabricType !== undefined && spec.fabricType !== garment.fabricType) errors.push({ field: `${prefix}spec.fabricType`, message: `must be the garment's fabric type (${garment.fabricType}) when sent` });
  return [...errors, ...samFeatureErrors(spec.features, `${prefix}spec.`)];
}

/** The garment as the planner and the orders table take it: minutes as sent, or the spec's estimate with its range kept beside it. */
export function garmentTerms(garment: GarmentDto): GarmentSpec {
  const { category, fabricType, spec } = garment;
  if (spec === undefined) return { category, fabricType, samMinutes: garment.samMinutes! };
  const estimate = estimateOf(category, fabricType, spec.features);
  return { category, fabricType, samMinutes: estimate.samMinutes, samEstimate: { features: { ...spec.features }, range: estimate.range } };
}

/** The order's terms as the planner and the orders table take them, defaults filled, once `orderErrors` found nothing. */
export function orderTerms(dto: CreateOrderDto, today: string): PlannableOrder {
  const spec: OrderSpec =
    dto.kind === 'fabric'
      ? { kind: 'fabric', fabric: { fiber: dto.fabric!.fiber, weave: dto.fabric!.weave, widthCm: dto.fabric!.widthCm, picksPerCm: dto.fabric!.picksPerCm, ...(dto.fabric!.gsm ? { gsm: dto.fabric!.gsm } : {}) } }
      : { kind: 'garment', garment: garmentTerms(dto.garment!) };
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
export function requestHash(dto: object): string {
  return createHash('sha256').update(canonicalJson(dto)).digest('hex');
}
