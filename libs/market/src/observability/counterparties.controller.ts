import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';

export interface BrandCounterparties {
  factories: { id: string; name: string; city: string | null; province: string | null }[];
  lines: { id: string; name: string; kind: 'weaving' | 'sewing'; machineType: string }[];
}

export interface FactoryCounterparties {
  brands: { id: string; name: string; city: string | null }[];
  orders: { id: string; brandId: string; kind: 'fabric' | 'garment'; spec: Record<string, unknown>; quantity: number; dueDate: string }[];
}

/**
 * Who is on the other side of the caller's own allocations, so a console can show names instead
 * of ids: a brand sees the factories and lines working its orders; a factory sees the brands and
 * orders it was offered. Nothing beyond the caller's allocations is visible.
 */
@ApiTags('brand', 'factory')
@ApiBearerAuth()
@Roles('brand', 'factory')
@Controller('counterparties')
export class CounterpartiesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
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
