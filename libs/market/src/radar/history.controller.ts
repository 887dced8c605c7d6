import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { MarketHistory, MarketHistoryBucket, MarketHistorySegment } from '@cloudloom/contracts';
import { DomainError } from '@cloudloom/platform';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { Clock } from '../core/clock';
import { EXAMPLE } from '../core/openapi-examples';
import { Roles } from '../identity/principal';
import { HistoryQueries } from './history.queries';

const HOUR_MS = 3_600_000;
/** Default window and widest span per granularity: two days of hours, a month of days; a month of hours, two years of days at most (a chart's worth, one bounded scan). */
const WINDOW = { hour: { default: 48 * HOUR_MS, max: 31 * 24 * HOUR_MS }, day: { default: 30 * 24 * HOUR_MS, max: 731 * 24 * HOUR_MS } } as const;

export class HistoryQuery {
  @ApiPropertyOptional({ enum: ['hour', 'day'], example: 'hour', description: 'hourly or daily (UTC) buckets; hour when left out' })
  @IsOptional() @IsIn(['hour', 'day'], { message: 'granularity must be hour or day' }) granularity?: 'hour' | 'day';

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-28T08:00:00Z', description: 'first bucket included; by default 48 hours (hour) or 30 days (day) before `to`' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be a date and time, e.g. 2026-12-01T00:00:00Z' }) from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-30T08:00:00Z', description: 'end of the range, excluded; now by default' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be a date and time, e.g. 2026-12-08T00:00:00Z' }) to?: string;
}

class UnmatchedView {
  @ApiProperty({ example: 'NO_WIDTH', description: "the planner's reason code" }) reason!: string;
  @ApiProperty({ example: 3 }) orders!: number;
}

class HistoryBucketView implements MarketHistoryBucket {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime, description: 'start of the hour or UTC day' }) at!: string;
  @ApiProperty({ example: 1, description: 'hours rolled into the bucket (a day rolled while the worker was down has fewer than 24)' }) hours!: number;
  @ApiProperty({ example: 12 }) ordersPosted!: number;
  @ApiProperty({ example: 10, description: 'orders whose first allocation was made in the bucket' }) ordersMatched!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.83, description: 'ordersMatched / ordersPosted (different orders can be counted: a ratio over time, can exceed 1); null when none posted' }) fillRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 41.5, description: 'mean seconds from post to first allocation of the orders matched; null when none' }) meanTimeToMatchSeconds!: number | null;
  @ApiProperty({ example: 8 }) offersAnswered!: number;
  @ApiProperty({ example: 7 }) offersAccepted!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.875, description: 'offersAccepted / offersAnswered; null when none answered' }) acceptance!: number | null;
  @ApiProperty({ type: [UnmatchedView], description: 'orders left unmatched or partial, per reason, most first' }) unmatched!: UnmatchedView[];
}

class HistoryPointView {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) at!: string;
  @ApiProperty({ example: 601_000_000, description: 'reserved over the 7 days after the hour (a day: the mean of its hours)' }) booked7d!: number;
  @ApiProperty({ example: 752_870_400 }) capacity7d!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.8 }) bookedShare!: number | null;
  @ApiProperty({ example: 2 }) loomsDown!: number;
  @ApiProperty({ example: 40 }) loomsReporting!: number;
}

class HistorySegmentView implements MarketHistorySegment {
  @ApiProperty({ example: 'Shaoxing, Zhejiang' }) cluster!: string;
  @ApiProperty({ example: 'air_jet', description: "loom type, or 'sewing'" }) segment!: string;
  @ApiProperty({ type: [HistoryPointView] }) points!: HistoryPointView[];
}

export class HistoryView implements MarketHistory {
  @ApiProperty({ enum: ['hour', 'day'], example: 'hour' }) granularity!: 'hour' | 'day';
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) from!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) to!: string;
  @ApiProperty({ type: [HistoryBucketView], description: 'the buckets rolled up in the range, oldest first' }) buckets!: HistoryBucketView[];
  @ApiProperty({ type: [HistorySegmentView], description: 'per cluster × loom type (or sewing): load ahead and looms down over the buckets' }) segments!: HistorySegmentView[];
}

const invalid = (field: 'from' | 'to', message: string): DomainError => new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ field, message }]);

/** The radar's history (DESIGN.md §12, issue 20 point 1): the rollups the sweep writes, for the console's trends. */
@ApiTags('operator')
@Roles('operator')
@Controller('market')
export class HistoryController {
  constructor(
    private readonly queries: HistoryQueries,
    private readonly clock: Clock,
  ) {}

  @Get('history')
  @ApiOperation({
    summary: 'Market history per hour or day: fill rate, unmatched by reason, time to match, acceptance, load and looms down per cluster',
    description: 'Read from the hourly and daily rollups the sweep writes; a bucket appears once rolled up (an hour after it closes at most one sweep later).',
  })
  @ApiOkResponse({ type: HistoryView })
  async history(@Query() query: HistoryQuery): Promise<HistoryView> {
    const granularity = query.granularity ?? 'hour';
    const window = WINDOW[granularity];
    const to = query.to ? new Date(query.to) : this.clock.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - window.default);
    if (from.getTime() >= to.getTime()) throw query.to ? invalid('to', 'must be after from') : invalid('from', 'must be before to (now when to is left out)');
    if (to.getTime() - from.getTime() > window.max) {
      throw invalid('from', `must be at most ${granularity === 'hour' ? '31 days' : '731 days'} before to for ${granularity === 'hour' ? 'hourly' : 'daily'} history`);
    }
    return this.queries.history(granularity, from, to);
  }
}
