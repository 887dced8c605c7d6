import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { AlertKind, AlertPayload } from '@cloudloom/contracts';
import { EXAMPLE } from '../core/openapi-examples';
import { EVERYONE, People, Roles } from '../identity/principal';
import { AlertsEvaluator } from './alerts';

const KINDS: readonly AlertKind[] = ['booked', 'reason-rising', 'looms-down', 'stranded'];

export class AlertsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, example: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class AlertView implements AlertPayload {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) alertId!: string;
  @ApiProperty({ enum: KINDS, example: 'booked' }) kind!: AlertKind;
  @ApiProperty({ example: 'booked:Shaoxing, Zhejiang', description: 'what the alert is about; one open alert per cause' }) cause!: string;
  @ApiProperty({ example: 'Shaoxing, Zhejiang', description: "the cluster, the reason code, or 'market'" }) subject!: string;
  @ApiProperty({ example: 'Shaoxing, Zhejiang: 2 of the coming 7 days booked past 90% of capacity (up to 97%), from 2026-12-09' }) summary!: string;
  @ApiProperty({
    type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true },
    example: { cluster: 'Shaoxing, Zhejiang', days: 2, threshold: 0.9, peak: 0.97, from: '2026-12-09' },
    description: "the summary's figures by name, to word it in another language (`kind` says which sentence); shares are fractions",
  })
  params!: Readonly<Record<string, string | number | null>>;
  @ApiProperty({ example: 0.97 }) value!: number;
  @ApiProperty({ example: 0.9 }) threshold!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime, description: 'raised at' }) since!: string;
  @ApiPropertyOptional({ type: [String], format: 'date', example: ['2026-12-09', '2026-12-10'] }) days?: readonly string[];
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE.orderId] }) orderIds!: readonly string[];
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE.lineId] }) lineIds!: readonly string[];
  @ApiProperty({ type: [String], example: ['/api/v1/market/forecast', `/api/v1/orders/${EXAMPLE.orderId}`] }) links!: readonly string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'when the cause ended; null while open' }) clearedAt!: string | null;
}

export class AlertListView {
  @ApiProperty({ type: [AlertView] }) items!: AlertView[];
}

/** The early warnings: open first, then those cleared within the last day. */
@ApiTags('operator')
@Roles('operator')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsEvaluator) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: 'Early warnings: open alerts, then those cleared in the last day', description: 'Evaluated by the sweep; thresholds are configuration (ALERT_* variables).' })
  @ApiOkResponse({ type: AlertListView })
  async list(@Query() query: AlertsQuery): Promise<AlertListView> {
    return { items: await this.alerts.list(query.limit ?? 100) };
  }
}
