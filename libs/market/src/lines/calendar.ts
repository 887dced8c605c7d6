import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ALLOCATION_STATUSES } from '@cloudloom/persistence';
import { invalid, notFound } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { isUuid } from '../core/ids';
import { EXAMPLE } from '../core/openapi-examples';
import type { Principal } from '../identity/principal';

/** The longest range one calendar answers: a quarter, what a dispatcher plans ahead. */
export const MAX_CALENDAR_DAYS = 92;
const DEFAULT_DAYS = 31;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CalendarQuery {
  @ApiPropertyOptional({ format: 'date', example: '2026-12-07', description: 'first day; today by default' })
  @IsOptional() @Matches(DAY, { message: 'from must be a date YYYY-MM-DD' }) from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-01-06', description: `last day, included; ${DEFAULT_DAYS} days from \`from\` by default, at most ${MAX_CALENDAR_DAYS} days in all` })
  @IsOptional() @Matches(DAY, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
}

class CalendarWorkView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) allocationId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ enum: ALLOCATION_STATUSES, example: 'accepted' }) status!: string;
  @ApiProperty({ example: 9_000_000, description: 'capacity units this work holds on the day' }) units!: number;
}

class CalendarDayView {
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) date!: string;
  @ApiProperty({ example: 37_643_520, description: "the day's capacity in the line's unit (0: closed)" }) capacity!: number;
  @ApiProperty({ example: 18_000_000, description: 'held by offers and work' }) booked!: number;
  @ApiProperty({ example: 19_643_520 }) free!: number;
  @ApiProperty({ example: 1, description: 'share of the nominal capacity open that day (availability)' }) fraction!: number;
  @ApiProperty({ example: false, description: 'no capacity that day (a holiday, maintenance)' }) closed!: boolean;
  @ApiProperty({ type: [CalendarWorkView], description: 'the offers and work on the day' }) work!: CalendarWorkView[];
}

export class LineCalendarView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) lineId!: string;
  @ApiProperty({ enum: ['picks', 'minutes', 'meters'], example: 'picks' }) unit!: 'picks' | 'minutes' | 'meters';
  @ApiProperty({ example: 37_643_520, description: 'nominal capacity per day' }) dailyCapacity!: number;
  @ApiProperty({ type: [CalendarDayView], description: 'every day of the range; a day outside the ledger horizon has capacity 0' }) days!: CalendarDayView[];
}

const UNIT = { weaving: 'picks', sewing: 'minutes', finishing: 'meters' } as const;

/**
 * A line's calendar: per day its capacity, what is booked and by which work, what is free. Reads
 * the ledger (this folder's) with the allocations' days (the allocations' home) in one query, as
 * the operator's read models do, for the line's own factory only.
 */
@Injectable()
export class LineCalendar {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly clock: Clock) {}

  async of(principal: Principal, id: string, query: CalendarQuery): Promise<LineCalendarView> {
    const from = query.from ?? this.clock.today();
    const to = query.to ?? addDays(from, DEFAULT_DAYS - 1);
    for (const [field, day] of [['from', from], ['to', to]] as const) {
      if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) throw invalid(field, 'is not a day of the calendar');
    }
    if (to < from) throw invalid('to', 'must not be before from');
    if (daysBetween(from, to) + 1 > MAX_CALENDAR_DAYS) throw invalid('to', `must be within ${MAX_CALENDAR_DAYS} days of from`);
    const [line] = isUuid(id)
      ? await this.db.query<{ kind: keyof typeof UNIT; dailyCapacity: string }[]>(`SELECT kind, daily_capacity::text AS "dailyCapacity" FROM lines WHERE id = $1 AND factory_id = $2`, [id, principal.organizationId])
      : [];
    if (!line) throw notFound('Line');
    const days = await this.db.query<{ date: string; capacity: string; booked: string; fraction: number; work: { allocationId: string; orderId: string; status: string; units: string }[] }[]>(
      `SELECT to_char(d, 'YYYY-MM-DD') AS date, coalesce(c.capacity, 0)::text AS capacity, coalesce(c.reserved, 0)::text AS booked, coalesce(c.fraction, 0)::float8 AS fraction,
              coalesce((SELECT json_agg(json_build_object('allocationId', a.id, 'orderId', a.order_id, 'status', a.status, 'units', ad.units::text) ORDER BY a.start_date, a.id)
                        FROM allocation_days ad JOIN allocations a ON a.id = ad.allocation_id
                        WHERE ad.line_id = $1 AND ad.day = d::date), '[]') AS work
       FROM generate_series($2::date, $3::date, interval '1 day') AS d
       LEFT JOIN capacity_days c ON c.line_id = $1 AND c.day = d::date
       ORDER BY d`,
      [id, from, to],
    );
    return {
      lineId: id,
      unit: UNIT[line.kind],
      dailyCapacity: Number(line.dailyCapacity),
      days: days.map((d) => {
        const capacity = Number(d.capacity);
        const booked = Number(d.booked);
        return { date: d.date, capacity, booked, free: capacity - booked, fraction: d.fraction, closed: capacity === 0, work: d.work.map((w) => ({ ...w, units: Number(w.units) })) };
      }),
    };
  }
}
