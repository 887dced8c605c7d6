import { Controller, Get, Inject, Injectable, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type AppConfig, APP_CONFIG, notFound } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { EXAMPLE } from '../core/openapi-examples';
import { isUuid } from '../core/ids';
import { FACTORY_HISTORY, type FactoryHistory, factoryRecord } from '../planning/factory-history';

class RecordHistoryView {
  @ApiProperty({ example: 40 }) offers!: number;
  @ApiProperty({ example: 38 }) answered!: number;
  @ApiProperty({ example: 34, description: 'offers accepted as offered' }) accepted!: number;
  @ApiProperty({ example: 2, description: 'offers answered with a counteroffer (its own price or end date), counted apart from accepts whatever the brand answered' }) countered!: number;
  @ApiProperty({ example: 30 }) produced!: number;
  @ApiProperty({ example: 28 }) producedOnTime!: number;
  @ApiProperty({ example: 38, description: 'answers with a measured response time' }) responses!: number;
}

export class FactoryRecordView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  /** The smoothed rates and response score the matcher ranks with (planning/factory-history `factoryRecord`). */
  @ApiProperty({ example: 0.92 }) acceptanceRate!: number;
  @ApiProperty({ example: 0.9 }) onTimeRate!: number;
  @ApiProperty({ example: 0.8, description: '1 answers at once, 0 as late as an offer lives' }) responseScore!: number;
  @ApiProperty({ type: Number, nullable: true, example: 240, description: 'mean seconds from an offer to the answer; null before the first answer' }) responseTimeSeconds!: number | null;
  @ApiProperty({ type: RecordHistoryView }) history!: RecordHistoryView;
}

@Injectable()
export class FactoryRecordService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The same history and formula as the matcher's snapshot, so what a factory sees is what ranks it. */
  async of(factoryId: string): Promise<FactoryRecordView> {
    const [row] = await this.db.query<(FactoryHistory & { exists: boolean; offers: number; countered: number })[]>(
      `SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND kind = 'factory') AS exists, count(*)::int AS offers, ${FACTORY_HISTORY}
       FROM allocations WHERE factory_id = $1`,
      [factoryId],
    );
    if (!row?.exists) throw notFound('Factory');
    const record = factoryRecord(row, this.config.offerTtlSeconds);
    return {
      factoryId,
      acceptanceRate: record.acceptanceRate,
      onTimeRate: record.onTimeRate,
      responseScore: record.responseScore,
      responseTimeSeconds: row.responses === 0 ? null : Math.round(row.responseSeconds / row.responses),
      history: { offers: row.offers, answered: row.answered, accepted: row.accepted, countered: row.countered, produced: row.produced, producedOnTime: row.onTime, responses: row.responses },
    };
  }
}

@ApiTags('factory')
@Controller()
export class FactoryRecordController {
  constructor(private readonly records: FactoryRecordService) {}

  @Roles('factory')
  @People(...EVERYONE)
  @Get('me/record')
  @ApiOperation({ summary: "The factory's own record", description: 'Acceptance and on-time rates and the response score as the matcher ranks them, and the mean time to answer an offer.' })
  @ApiOkResponse({ type: FactoryRecordView })
  mine(@CurrentPrincipal() principal: Principal): Promise<FactoryRecordView> {
    return this.records.of(principal.organizationId);
  }

  @Roles('operator')
  @People(...EVERYONE)
  @Get('factories/:id/record')
  @ApiOperation({ summary: "A factory's record (operators)" })
  @ApiOkResponse({ type: FactoryRecordView })
  ofFactory(@Param('id') id: string): Promise<FactoryRecordView> {
    if (!isUuid(id)) throw notFound('Factory');
    return this.records.of(id);
  }
}
