import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsString, Length } from 'class-validator';
import { invalid } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { isUuid } from '../core/ids';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { BrandCounterparties, FactoryCounterparties } from './counterparties.view';
import { LimitQuery } from './operator.controller';

export class CounterpartiesQuery extends LimitQuery {
  @ApiPropertyOptional({ example: 'WyI3YjJlOWM0MS0wZDNhLTRmNWItOGM2ZS0xYTJiM2M0ZDVlNmYiLG51bGxd', description: "the previous page's nextCursor" })
  @IsOptional() @IsString() @Length(1, 200) cursor?: string;
}

/** Where each of the two lists stands: after this id, or done (null). */
type Cursor = readonly [string | null, string | null];

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    const ok = (v: unknown): v is string | null => v === null || (typeof v === 'string' && isUuid(v));
    if (Array.isArray(parsed) && parsed.length === 2 && ok(parsed[0]) && ok(parsed[1])) return [parsed[0], parsed[1]];
  } catch {
    // falls through to the field error
  }
  throw invalid('cursor', "must be a page's nextCursor");
}

const DEFAULT_LIMIT = 100;

/**
 * Who is on the other side of the caller's own allocations, so a console can show names instead
 * of ids: a brand sees the factories and lines working its orders; a factory sees the brands and
 * orders it was offered. Nothing beyond the caller's allocations is visible. Both lists are paged
 * by id (`limit` each, one `cursor` for both): a factory offered 20,000 orders gets them a page
 * at a time, not megabytes per call.
 */
@ApiTags('brand', 'factory')
@Roles('brand', 'factory')
@ApiExtraModels(BrandCounterparties, FactoryCounterparties)
@Controller('counterparties')
export class CounterpartiesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: 'Who is on the other side of your own allocations', description: 'A brand gets factories and lines; a factory gets brands and orders. Each list is paged by id: `limit` (default 100, at most 500) each, and `cursor` for the next page of both.' })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(BrandCounterparties) }, { $ref: getSchemaPath(FactoryCounterparties) }] } })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CounterpartiesQuery): Promise<BrandCounterparties | FactoryCounterparties> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const [afterA, afterB] = query.cursor ? decodeCursor(query.cursor) : (['', ''] as const);
    const me = principal.organizationId;
    // One more than a page tells whether another follows; a list already done is not read again.
    const page = async <T extends { id: string }>(after: string | null, sql: string): Promise<{ items: T[]; next: string | null }> => {
      if (after === null) return { items: [], next: null };
      const rows = await this.db.query<T[]>(`${sql} ORDER BY id LIMIT $3`, [me, after === '' ? null : after, limit + 1]);
      return rows.length > limit ? { items: rows.slice(0, limit), next: rows[limit - 1]!.id } : { items: rows, next: null };
    };
    const cursor = (a: string | null, b: string | null): { nextCursor?: string } => (a === null && b === null ? {} : { nextCursor: encodeCursor([a, b]) });
    if (principal.kind === 'brand') {
      const [factories, lines] = await Promise.all([
        page<BrandCounterparties['factories'][number]>(
          afterA,
          // A factory's contacts only once it has taken some of this brand's work: an offer alone
          // does not hand its dispatcher's phone to every brand the matcher proposed it to.
          `SELECT * FROM (SELECT f.id, f.name, f.city, f.province,
             CASE WHEN bool_or(a.status IN ('accepted', 'in_production', 'produced')) THEN f.contacts END AS contacts
           FROM allocations a JOIN orders o ON o.id = a.order_id JOIN organizations f ON f.id = a.factory_id
           WHERE o.brand_id = $1 AND ($2::uuid IS NULL OR f.id > $2) GROUP BY f.id) x`,
        ),
        page<BrandCounterparties['lines'][number]>(
          afterB,
          `SELECT * FROM (SELECT DISTINCT l.id, l.name, l.kind, coalesce(l.spec->>'machineType', l.kind) AS "machineType"
           FROM allocations a JOIN orders o ON o.id = a.order_id JOIN lines l ON l.id = a.line_id WHERE o.brand_id = $1 AND ($2::uuid IS NULL OR l.id > $2)) x`,
        ),
      ]);
      return { factories: factories.items, lines: lines.items, ...cursor(factories.next, lines.next) };
    }
    const [brands, orders] = await Promise.all([
      page<FactoryCounterparties['brands'][number]>(
        afterA,
        `SELECT * FROM (SELECT DISTINCT b.id, b.name, b.city FROM allocations a JOIN orders o ON o.id = a.order_id JOIN organizations b ON b.id = o.brand_id
         WHERE a.factory_id = $1 AND ($2::uuid IS NULL OR b.id > $2)) x`,
      ),
      page<FactoryCounterparties['orders'][number]>(
        afterB,
        `SELECT * FROM (SELECT DISTINCT o.id, o.brand_id AS "brandId", o.kind, o.spec, o.quantity, to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate"
         FROM allocations a JOIN orders o ON o.id = a.order_id WHERE a.factory_id = $1 AND ($2::uuid IS NULL OR o.id > $2)) x`,
      ),
    ]);
    return { brands: brands.items, orders: orders.items, ...cursor(brands.next, orders.next) };
  }
}
