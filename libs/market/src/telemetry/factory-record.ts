import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { isUuid } from '../orders/orders.service';
import { factoryRecord } from '../matching/market-snapshot';

export interface FactoryRecordView {
  factoryId: string;
  /** The smoothed rates the matcher ranks with (market-snapshot `factoryRecord`). */
  acceptanceRate: number;
  onTimeRate: number;
  /** Median seconds from an offer to the factory's answer; null before the first answer. */
  responseTimeSeconds: number | null;
  history: { offers: number; answered: number; accepted: number; produced: number; producedOnTime: number };
}

@Injectable()
export class FactoryRecordService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async of(factoryId: string): Promise<FactoryRecordView> {
    const [row] = await this.db.query<{ exists: boolean; offers: number; answered: number; accepted: number; produced: number; onTime: number; response: number | null }[]>(
      `SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND kind = 'factory') AS exists,
              count(*)::int AS offers,
              count(*) FILTER (WHERE status NOT IN ('offered', 'cancelled'))::int AS answered,
              count(*) FILTER (WHERE status IN ('accepted', 'in_production', 'produced'))::int AS accepted,
              count(*) FILTER (WHERE status = 'produced')::int AS produced,
              count(*) FILTER (WHERE status = 'produced' AND updated_at::date <= end_date)::int AS "onTime",
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.created_at - a.created_at))
               FROM events e JOIN allocations a ON a.id = (e.payload->>'allocationId')::uuid
               WHERE e.audience @> ARRAY[$1]::uuid[] AND e.type IN ('offer.accepted', 'offer.rejected') AND a.factory_id = $1)::float8 AS response
       FROM allocations WHERE factory_id = $1`,
      [factoryId],
    );
    if (!row?.exists) throw notFound('Factory');
    const rates = factoryRecord(row.answered, row.accepted, row.produced, row.onTime);
    return {
      factoryId,
      ...rates,
      responseTimeSeconds: row.response === null ? null : Math.round(row.response),
      history: { offers: row.offers, answered: row.answered, accepted: row.accepted, produced: row.produced, producedOnTime: row.onTime },
    };
  }
}

@ApiTags('factory')
@Controller()
export class FactoryRecordController {
  constructor(private readonly records: FactoryRecordService) {}

  @Roles('factory')
  @Get('me/record')
  @ApiOperation({ summary: "The factory's own record", description: 'Acceptance and on-time rates as the matcher ranks them, and the median time to answer an offer.' })
  mine(@CurrentPrincipal() principal: Principal): Promise<FactoryRecordView> {
    return this.records.of(principal.organizationId);
  }

  @Roles('operator')
  @Get('factories/:id/record')
  @ApiOperation({ summary: "A factory's record (operators)" })
  ofFactory(@Param('id') id: string): Promise<FactoryRecordView> {
    if (!isUuid(id)) throw notFound('Factory');
    return this.records.of(id);
  }
}
