import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueueBackend } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { QUEUE_BACKEND } from '../core/tokens';
import { EVERYONE, People, Roles } from '../identity/principal';
import { auditMarket, type AuditReport } from './audit';

class AuditView implements AuditReport {
  @ApiProperty({ example: 1200 }) orders!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { proposed: 900, unmatched: 300 } }) byStatus!: Record<string, number>;
  @ApiProperty({ example: 0, description: 'line-days booked beyond their capacity' }) overReserved!: number;
  @ApiProperty({ example: 0, description: "line-days whose reserved units differ from what allocations hold there" }) ledgerMismatches!: number;
  @ApiProperty({ example: 0, description: 'open allocations whose ledger cells do not add up to their demand' }) allocationMismatches!: number;
  @ApiProperty({ example: 0, description: 'orders whose status contradicts their allocations' }) statusContradictions!: number;
  @ApiProperty({ example: 0, description: 'orders waiting with no job and no sweep to come, or waiting a day past their due date' }) stranded!: number;
  @ApiProperty({ example: 0, description: 'webhook deliveries pending 10 minutes past their due time: no worker dispatches them' }) webhookDeliveriesStranded!: number;
  @ApiProperty({ example: true, description: "whether the queue holds the sweep's schedule" }) sweepScheduled!: boolean;
  @ApiProperty({ example: 0, description: 'the sum of the counts that must be zero' }) violations!: number;
}

/** The invariants `npm run audit` checks, for an operator on call: the same counts, over HTTP. */
@ApiTags('operator')
@Roles('operator')
@Controller('audit')
export class AuditController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
  ) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: 'Every invariant of the market, counted', description: 'Reads the whole history: for an operator or a check after a fault, not for polling. `violations` is 0 on a healthy market.' })
  @ApiOkResponse({ type: AuditView })
  async audit(): Promise<AuditView> {
    return (await auditMarket((sql, params) => this.db.query(sql, params), this.queues)) as AuditView;
  }
}
