import { type ChainRequest, type ChainStage, type OrderSpec, type StyleSpec, styleStages } from '@cloudloom/matching';
import type { OrderEntity, StoredStyle } from '@cloudloom/persistence';
import { type FieldError, invalidFields } from '@cloudloom/platform';
import { addDays, daysBetween } from '../core/clock';
import { defaultMaxSplits } from '../planning/plan-request';
import { garmentSamErrors, garmentTerms, sizesErrors } from './order-terms';
import type { StyleOrderDto } from './style-order.dto';

export const DEFAULT_WASTAGE_PCT = 3;
export const DEFAULT_TRANSIT_DAYS = 2;

/** A style order's terms once checked, defaults filled: what the chain planner and (later) the orders table take. */
export interface StyleTerms {
  readonly style: StyleSpec;
  /** Pieces. */
  readonly quantity: number;
  readonly earliestStart: string;
  readonly dueDate: string;
  readonly transitDays: number;
  /** As sent; absent means each stage's kind default (3 for fabric stages, 2 for sewing). */
  readonly maxSplits: number | null;
}

/** What field decorators cannot check on a style order: the garment's minutes, sizes, and dates against today. */
export function styleErrors(dto: StyleOrderDto, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const at = (field: string, message: string): void => void errors.push({ field, message });
  const earliestStart = dto.earliestStart ?? addDays(today, 1);
  if (daysBetween(today, earliestStart) < 0) at('earliestStart', 'must not be in the past');
  if (daysBetween(earliestStart, dto.dueDate) < 0) at('dueDate', 'must be on or after earliestStart');
  if (daysBetween(today, dto.dueDate) > 366) at('dueDate', 'must be within a year');
  errors.push(...garmentSamErrors(dto.garment, 'garment.'));
  if (dto.sizes !== undefined) errors.push(...sizesErrors(dto.sizes, dto.quantity, 'sizes'));
  return errors;
}

/** Checks a style order as `POST /quotes` takes it; a 400 naming every bad field. */
export function checkStyle(dto: StyleOrderDto, today: string): StyleTerms {
  const errors = styleErrors(dto, today);
  if (errors.length > 0) throw invalidFields(errors);
  const { fiber, weave, widthCm, picksPerCm, gsm } = dto.fabric;
  return {
    style: {
      garment: garmentTerms(dto.garment),
      fabric: { fiber, weave, widthCm, picksPerCm, ...(gsm ? { gsm } : {}) },
      fabricPerPieceM: dto.fabricPerPieceM,
      wastagePct: dto.wastagePct ?? DEFAULT_WASTAGE_PCT,
      ...(dto.finishing ? { finishing: { process: dto.finishing.process } } : {}),
    },
    quantity: dto.quantity,
    earliestStart: dto.earliestStart ?? addDays(today, 1),
    dueDate: dto.dueDate,
    transitDays: dto.transitDays ?? DEFAULT_TRANSIT_DAYS,
    maxSplits: dto.maxSplits ?? null,
  };
}

/** The chain the planner is asked, day indexes from `today` (day 0), as `planRequestOf` does for one order. */
export function chainRequestOf(terms: StyleTerms, today: string): ChainRequest {
  const stages: ChainStage[] = styleStages(terms.style, terms.quantity, { maxSplits: 1 }).map((stage) => ({
    ...stage,
    maxSplits: terms.maxSplits ?? defaultMaxSplits(stage.order.kind === 'garment' ? 'garment' : 'fabric'),
  }));
  return {
    stages,
    startDay: Math.max(daysBetween(today, terms.earliestStart), 0),
    endDay: daysBetween(today, terms.dueDate),
    transitDays: terms.transitDays,
  };
}

/**
 * A style order as the orders table keeps it: `spec` is the garment delivered (quantity in pieces),
 * `style` the fabric side of the chain; `maxSplits` is the sewing stage's (what the order delivers).
 */
export function storedStyle(terms: StyleTerms): Pick<OrderEntity, 'spec' | 'style' | 'quantity' | 'earliestStart' | 'dueDate' | 'maxSplits' | 'minSplitQuantity' | 'certifications'> {
  const { garment, fabric, fabricPerPieceM, wastagePct, finishing } = terms.style;
  const spec: OrderSpec = { kind: 'garment', garment };
  return {
    spec,
    style: { fabric, fabricPerPieceM, wastagePct, ...(finishing ? { finishing } : {}), transitDays: terms.transitDays, maxSplits: terms.maxSplits },
    quantity: terms.quantity,
    earliestStart: terms.earliestStart,
    dueDate: terms.dueDate,
    maxSplits: terms.maxSplits ?? defaultMaxSplits('garment'),
    minSplitQuantity: null,
    certifications: [],
  };
}

/** The terms of a stored style order, as `checkStyle` made them when it was posted. */
export function termsOfStored(order: Pick<OrderEntity, 'spec' | 'quantity' | 'earliestStart' | 'dueDate'> & { readonly style: StoredStyle }): StyleTerms {
  if (order.spec.kind !== 'garment') throw new Error('a style order delivers a garment');
  const { fabric, fabricPerPieceM, wastagePct, finishing, transitDays, maxSplits } = order.style;
  return {
    style: { garment: order.spec.garment, fabric, fabricPerPieceM, wastagePct, ...(finishing ? { finishing } : {}) },
    quantity: order.quantity,
    earliestStart: order.earliestStart,
    dueDate: order.dueDate,
    transitDays,
    maxSplits,
  };
}
