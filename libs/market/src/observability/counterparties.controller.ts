import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { BrandCounterparties, FactoryCounterparties } from './counterparties.view';

/**
 * Who is on the other side of the caller's own allocations, so a console can show names instead
 * of ids: a brand sees the factories and lines working its orders; a factory sees the brands and
 * orders it was offered. Nothing beyond the caller's allocations is visible.
 */
@ApiTags('brand', 'factory')
@Roles('brand', 'factory')
@ApiExtraModels(BrandCounterparties, FactoryCounterparties)
@Controller('counterparties')
export class CounterpartiesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Who is on the other side of your own allocations', description: 'A brand gets factories and lines; a factory gets brands and orders.' })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(BrandCounterparties) }, { $ref: getSchemaPath(FactoryCounterparties) }] } })
  async list(@CurrentPrincipal() principal: Principal): Promise<BrandCounterparties | FactoryCounterparties> {
    if (principal.kind === 'brand') {
      const [factories, lines] = await Promise.all([
        this.db.query<BrandCounterparties['factories']>(
          `SELECT DISTINCT f.id, f.name, f.city, f.province FROM allocations a JOIN orders o ON o.id = a.order_id JOIN organizations f ON f.id = a.factory_id
           WHERE o.brand_id = $1`,
          [principal.organizationId],
        ),
        this.db.query<BrandCounterparties['lines']>(
          `SELECT DISTINCT l.id, l.name, l.kind, coalesce(l.spec->>'machineType', 'sewing') AS "machineType"
           FROM allocations a JOIN orders o ON o.id = a.order_id JOIN lines l ON l.id = a.line_id WHERE o.brand_id = $1`,
          [principal.organizationId],
        ),
      ]);
      return { factories, lines };
    }
    const [brands, orders] = await Promise.all([
      this.db.query<FactoryCounterparties['brands']>(
        `SELECT DISTINCT b.id, b.name, b.city FROM allocations a JOIN orders o ON o.id = a.order_id JOIN organizations b ON b.id = o.brand_id WHERE a.factory_id = $1`,
        [principal.organizationId],
      ),
      this.db.query<FactoryCounterparties['orders']>(
        `SELECT DISTINCT o.id, o.brand_id AS "brandId", o.kind, o.spec, o.quantity, to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate"
         FROM allocations a JOIN orders o ON o.id = a.order_id WHERE a.factory_id = $1`,
        [principal.organizationId],
      ),
    ]);
    return { brands, orders };
  }
}
