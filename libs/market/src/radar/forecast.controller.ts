import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { addDays, Clock } from '../core/clock';
import { EVERYONE, People, Roles } from '../identity/principal';
import { ForecastQueries, type SegmentDay } from './forecast.queries';
import { ForecastView } from './forecast.views';
import { forecastDemand } from './seasonal-forecast';

export class ForecastQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 14, maximum: 30, example: 14, description: 'how many days ahead, from today' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(14) @Max(30) days?: number;
}

/** Eight weeks: enough for the weekly season to be learnt twice over, short enough to follow a change of trend. */
const HISTORY_DAYS = 56;

const keyOf = (r: { cluster: string; kind: string; segment: string }): string => `${r.cluster}\u0000${r.kind}\u0000${r.segment}`;

/**
 * The look ahead (DESIGN.md §12). Operators only: a cluster's free capacity is its mills' order
 * books summed, and in a cluster of two or three mills a factory would read its neighbours' from
 * it, so factories do not see it (they see their own lines' load).
 */
@ApiTags('operator')
@Roles('operator')
@Controller('market')
export class ForecastController {
  constructor(
    private readonly queries: ForecastQueries,
    private readonly clock: Clock,
  ) {}

  @People(...EVERYONE)
  @Get('forecast')
  @ApiOperation({
    summary: 'Booked, free and forecast demand per cluster and loom type / garment category, per coming day',
    description: 'Booked and free from the ledger; demand forecast from the work placed in the cluster over the last 8 weeks (Holt-Winters, weekly season).',
  })
  @ApiOkResponse({ type: ForecastView })
  async forecast(@Query() query: ForecastQuery): Promise<ForecastView> {
    const days = query.days ?? 14;
    const today = this.clock.today();
    const since = addDays(today, -HISTORY_DAYS);
    const [segments, ledger, placed, clusters] = await Promise.all([
      this.queries.segments(), this.queries.ledger(today, days), this.queries.placedDemand(since, HISTORY_DAYS), this.queries.clusterSides(since),
    ]);
    const byKey = (rows: readonly SegmentDay[], length: number, pick: (r: SegmentDay) => number): Map<string, number[]> => {
      const out = new Map<string, number[]>();
      for (const r of rows) {
        const k = keyOf(r);
        const series = out.get(k) ?? (Array(length).fill(0) as number[]);
        series[r.day] = (series[r.day] ?? 0) + pick(r);
        out.set(k, series);
      }
      return out;
    };
    const capacity = byKey(ledger, days, (r) => r.capacity);
    const booked = byKey(ledger, days, (r) => r.reserved);
    const history = byKey(placed, HISTORY_DAYS, (r) => r.reserved);
    return {
      from: today,
      days,
      historyDays: HISTORY_DAYS,
      method: 'holt-winters-additive-weekly',
      items: segments.map((s) => {
        const k = keyOf(s);
        const cap = capacity.get(k) ?? [];
        const held = booked.get(k) ?? [];
        const demand = forecastDemand(history.get(k) ?? (Array(HISTORY_DAYS).fill(0) as number[]), days);
        return {
          cluster: s.cluster,
          kind: s.kind,
          segment: s.segment,
          unit: s.kind === 'weaving' ? 'picks' : 'minutes',
          lines: s.lines,
          days: Array.from({ length: days }, (_, i) => ({
            date: addDays(today, i),
            capacity: cap[i] ?? 0,
            booked: held[i] ?? 0,
            free: Math.max(0, (cap[i] ?? 0) - (held[i] ?? 0)),
            demand: Math.round(demand[i] ?? 0),
          })),
        };
      }),
      clusters: clusters.map((c) => ({ ...c, leadTimeDays: c.leadTimeDays === null ? null : Math.round(c.leadTimeDays * 10) / 10 })),
    };
  }
}
