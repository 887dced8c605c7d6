import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '@cloudloom/persistence';
import { invalid } from '@cloudloom/platform';

export const ORDER_SORTS = ['-created', 'created', '-due', 'due', '-price', 'price'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];
const KINDS = ['fabric', 'garment'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = (field: string): string => `${field} must be a date YYYY-MM-DD`;
export const MAX_PAGE_SIZE = 200;

/** `status=unmatched,partial`: one status or several, comma-separated. */
const commaList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value);

/**
 * The query of an order list (the brand's `GET /orders`, the operator's `GET /market/orders`):
 * search, filters, sort and a page with the total, checked here so a bad value is a 400 naming it.
 */
export class OrderSearchQuery {
  @ApiPropertyOptional({ example: 'twill', minLength: 1, maxLength: 100, description: "words of the order's id (its first characters), fabric, weave, garment or certifications" })
  @IsOptional() @IsString() @Length(1, 100, { message: 'q must be 1 to 100 characters' }) q?: string;

  @ApiPropertyOptional({ type: String, example: 'unmatched,partial', description: `one status or several, comma-separated: ${ORDER_STATUSES.join(', ')}` })
  @IsOptional() @Transform(commaList) @IsIn(ORDER_STATUSES, { each: true, message: `status must be one or more of: ${ORDER_STATUSES.join(', ')}` }) status?: OrderStatus[];

  @ApiPropertyOptional({ enum: KINDS, example: 'fabric' })
  @IsOptional() @IsIn(KINDS, { message: 'kind must be fabric or garment' }) kind?: (typeof KINDS)[number];

  @ApiPropertyOptional({ format: 'date', example: '2026-12-01', description: 'due on or after this day' })
  @IsOptional() @Matches(DAY, { message: DAY_MESSAGE('dueFrom') }) dueFrom?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-31', description: 'due on or before this day' })
  @IsOptional() @Matches(DAY, { message: DAY_MESSAGE('dueTo') }) dueTo?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-01', description: 'posted on or after this day (UTC)' })
  @IsOptional() @Matches(DAY, { message: DAY_MESSAGE('postedFrom') }) postedFrom?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-31', description: 'posted on or before this day (UTC)' })
  @IsOptional() @Matches(DAY, { message: DAY_MESSAGE('postedTo') }) postedTo?: string;

  @ApiPropertyOptional({ enum: ORDER_SORTS, example: '-created', description: 'created, due or price (agreed, else target); a leading minus sorts newest, latest or dearest first. Default -created' })
  @IsOptional() @IsIn(ORDER_SORTS, { message: `sort must be one of: ${ORDER_SORTS.join(', ')}` }) sort?: OrderSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000, example: 1, description: 'default 1' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'page must be a whole number' }) @Min(1, { message: 'page must be 1 or more' }) @Max(10_000, { message: 'page must be at most 10000' }) page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, example: 20, description: 'default 50' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'pageSize must be a whole number' }) @Min(1, { message: 'pageSize must be 1 or more' }) @Max(MAX_PAGE_SIZE, { message: `pageSize must be at most ${MAX_PAGE_SIZE}` }) pageSize?: number;
}

/** A checked search: what the list's query answers. */
export interface OrderFilter {
  readonly q?: string;
  readonly statuses?: readonly OrderStatus[];
  readonly kind?: string;
  readonly dueFrom?: string;
  readonly dueTo?: string;
  readonly postedFrom?: string;
  readonly postedTo?: string;
  /** The operator's: orders unmatched (or partial) for this reason code. */
  readonly reason?: string;
  readonly sort: OrderSort;
  readonly page: number;
  readonly pageSize: number;
}

const realDay = (day: string): boolean => {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
};

/** The query as a filter, with what one field alone cannot check: real calendar days, ranges in order. */
export function orderFilterOf(query: OrderSearchQuery, extra: { reason?: string } = {}): OrderFilter {
  for (const field of ['dueFrom', 'dueTo', 'postedFrom', 'postedTo'] as const) {
    const day = query[field];
    if (day !== undefined && !realDay(day)) throw invalid(field, 'is not a day of the calendar');
  }
  if (query.dueFrom && query.dueTo && query.dueTo < query.dueFrom) throw invalid('dueTo', 'must not be before dueFrom');
  if (query.postedFrom && query.postedTo && query.postedTo < query.postedFrom) throw invalid('postedTo', 'must not be before postedFrom');
  return {
    ...(query.q !== undefined ? { q: query.q.trim() } : {}),
    ...(query.status?.length ? { statuses: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.dueFrom ? { dueFrom: query.dueFrom } : {}),
    ...(query.dueTo ? { dueTo: query.dueTo } : {}),
    ...(query.postedFrom ? { postedFrom: query.postedFrom } : {}),
    ...(query.postedTo ? { postedTo: query.postedTo } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    sort: query.sort ?? '-created',
    page: query.page ?? 1,
    pageSize: query.pageSize ?? 50,
  };
}

const ORDER_BY: Readonly<Record<OrderSort, string>> = {
  '-created': 'o.created_at DESC, o.id DESC',
  created: 'o.created_at ASC, o.id ASC',
  '-due': 'o.due_date DESC, o.created_at DESC, o.id DESC',
  due: 'o.due_date ASC, o.created_at DESC, o.id DESC',
  '-price': 'coalesce(o.agreed_price, o.target_price) DESC NULLS LAST, o.created_at DESC, o.id DESC',
  price: 'coalesce(o.agreed_price, o.target_price) ASC NULLS LAST, o.created_at DESC, o.id DESC',
};

const likeText = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The WHERE and ORDER BY of an order list over `orders o`, with its parameters from `$<first>` on:
 * written once for the brand's list (orders' home) and the operator's read model. `searchAlso` are
 * more text columns the words may match (the operator's: the brand's name).
 */
export function orderFilterSql(filter: OrderFilter, first: number, searchAlso: readonly string[] = []): { where: string; orderBy: string; limit: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  const where: string[] = [];
  if (filter.q) {
    const text = p(likeText(filter.q));
    const columns = ['o.id::text', "o.spec->'fabric'->>'fiber'", "o.spec->'fabric'->>'weave'", "o.spec->'garment'->>'category'", "o.spec->'garment'->>'fabricType'", "array_to_string(o.certifications, ' ')", ...searchAlso];
    where.push(`(${columns.map((c) => `${c} ILIKE ${text}`).join(' OR ')})`);
  }
  if (filter.statuses) where.push(`o.status = ANY(${p(filter.statuses)}::text[])`);
  if (filter.kind) where.push(`o.kind = ${p(filter.kind)}`);
  if (filter.dueFrom) where.push(`o.due_date >= ${p(filter.dueFrom)}::date`);
  if (filter.dueTo) where.push(`o.due_date <= ${p(filter.dueTo)}::date`);
  if (filter.postedFrom) where.push(`o.created_at >= ${p(filter.postedFrom)}::date::timestamp AT TIME ZONE 'UTC'`);
  if (filter.postedTo) where.push(`o.created_at < (${p(filter.postedTo)}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  if (filter.reason) where.push(`o.status IN ('unmatched', 'partial') AND o.explanation->'reasons' @> jsonb_build_array(jsonb_build_object('code', ${p(filter.reason)}::text))`);
  return {
    where: where.length ? where.join(' AND ') : 'true',
    orderBy: ORDER_BY[filter.sort],
    limit: `LIMIT ${p(filter.pageSize)} OFFSET ${p((filter.page - 1) * filter.pageSize)}`,
    params,
  };
}
