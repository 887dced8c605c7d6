import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { MarketRates } from '@cloudloom/contracts';
import { FINISHING_PROCESSES, type FinishingProcess, GARMENT_CATEGORIES, type GarmentCategory, LINE_KINDS, type LineKind, MACHINE_TYPES, type MachineType } from '@cloudloom/matching';
import { invalid } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';

const RATE_UNIT = { weaving: 'picks_1000', sewing: 'minute', finishing: 'meter' } as const;

/**
 * Fewer lines than this in a city make no band (two mills would each see the other's price):
 * the band is then the whole market's, and `city` says so (null).
 */
export const MIN_LINES_IN_CITY = 5;

export class MarketRatesQuery {
  @ApiPropertyOptional({ enum: LINE_KINDS, default: 'weaving', example: 'weaving' })
  @IsOptional() @IsIn(LINE_KINDS, { message: 'kind must be weaving, sewing or finishing' })
  kind?: LineKind;

  @ApiPropertyOptional({ enum: MACHINE_TYPES, example: 'air_jet', description: 'weaving: only lines of this loom type' })
  @IsOptional() @IsIn(MACHINE_TYPES, { message: `machineType must be one of ${MACHINE_TYPES.join(', ')}` })
  machineType?: MachineType;

  @ApiPropertyOptional({ enum: GARMENT_CATEGORIES, description: 'sewing: only lines that sew this category (e.g. polo)' })
  @IsOptional() @IsIn(GARMENT_CATEGORIES, { message: `category must be one of ${GARMENT_CATEGORIES.join(', ')}` })
  category?: GarmentCategory;

  @ApiPropertyOptional({ enum: FINISHING_PROCESSES, description: 'finishing: only lines that do this process (e.g. dyeing)' })
  @IsOptional() @IsIn(FINISHING_PROCESSES, { message: `process must be one of ${FINISHING_PROCESSES.join(', ')}` })
  process?: FinishingProcess;

  @ApiPropertyOptional({ example: 'Shaoxing', minLength: 1, maxLength: 120, description: "the factories' city (as on their profile); with fewer than 5 such lines there, the whole market's band" })
  @IsOptional() @IsString() @Length(1, 120, { message: 'city must be 1 to 120 characters' })
  city?: string;
}

export class MarketRatesView implements MarketRates {
  @ApiProperty({ enum: LINE_KINDS, example: 'weaving' }) kind!: LineKind;
  @ApiPropertyOptional({ enum: MACHINE_TYPES, example: 'air_jet' }) machineType?: MachineType;
  @ApiPropertyOptional({ enum: GARMENT_CATEGORIES, description: 'sewing bands: the category asked' }) category?: GarmentCategory;
  @ApiPropertyOptional({ enum: FINISHING_PROCESSES, description: 'finishing bands: the process asked' }) process?: FinishingProcess;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing', description: "the city the band is of; null: the whole market's (none asked, or fewer than 5 such lines there)" }) city!: string | null;
  @ApiProperty({ enum: ['picks_1000', 'minute', 'meter'], example: 'picks_1000', description: 'the rates are CNY per 1,000 weft picks (weaving), per standard minute (sewing) or per meter (finishing)' })
  rateUnit!: 'picks_1000' | 'minute' | 'meter';
  @ApiProperty({ example: 42, description: 'active lines of verified factories in the band' }) n!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.152, description: 'first quartile; null when n is 0' }) p25!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.171 }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.196 }) p75!: number | null;
}

interface BandRow {
  n: number;
  p25: number | null;
  median: number | null;
  p75: number | null;
  cityN: number;
  cityP25: number | null;
  cityMedian: number | null;
  cityP75: number | null;
}

/** The three quartiles of the rates, named with a prefix, over the rows the filter keeps. */
const quartiles = (prefix: string, filter = ''): string =>
  (['P25', 'Median', 'P75'] as const)
    .map((name, i) => `percentile_cont(${[0.25, 0.5, 0.75][i]}) WITHIN GROUP (ORDER BY l.rate_per_unit::float8) ${filter} AS "${prefix}${prefix ? name : name.toLowerCase()}"`)
    .join(', ');

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10_000) / 10_000);

/**
 * The market's rates for a kind of line (DESIGN.md §9), read from the lines table (its home is
 * this folder): the band of active lines of active, verified factories, the lines orders are
 * actually planned on. A new line is priced against it, not against a constant.
 */
@Injectable()
export class MarketRatesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async band(query: MarketRatesQuery): Promise<MarketRatesView> {
    const kind = query.kind ?? 'weaving';
    // A filter of another kind would silently match nothing: say which field does not apply.
    if (query.machineType !== undefined && kind !== 'weaving') throw invalid('machineType', 'only weaving lines have a machine type');
    if (query.category !== undefined && kind !== 'sewing') throw invalid('category', 'only sewing lines have garment categories');
    if (query.process !== undefined && kind !== 'finishing') throw invalid('process', 'only finishing lines have processes');
    const city = query.city?.trim() || null;
    const inCity = 'FILTER (WHERE lower(o.city) = lower($5::text))';
    const [row] = await this.db.query<BandRow[]>(
      `SELECT count(*)::int AS n, ${quartiles('')}, (count(*) ${inCity})::int AS "cityN", ${quartiles('city', inCity)}
       FROM lines l JOIN organizations o ON o.id = l.factory_id
       WHERE l.active AND o.active AND o.verified AND l.kind = $1
         AND ($2::text IS NULL OR l.spec->>'machineType' = $2)
         AND ($3::text IS NULL OR l.spec->'categories' @> jsonb_build_array($3::text))
         AND ($4::text IS NULL OR l.spec->'processes' @> jsonb_build_array($4::text))`,
      [kind, query.machineType ?? null, query.category ?? null, query.process ?? null, city],
    );
    const own = city !== null && row !== undefined && row.cityN >= MIN_LINES_IN_CITY;
    return {
      kind,
      ...(query.machineType ? { machineType: query.machineType } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.process ? { process: query.process } : {}),
      city: own ? city : null,
      rateUnit: RATE_UNIT[kind],
      n: own ? row.cityN : (row?.n ?? 0),
      p25: round(own ? row.cityP25 : (row?.p25 ?? null)),
      median: round(own ? row.cityMedian : (row?.median ?? null)),
      p75: round(own ? row.cityP75 : (row?.p75 ?? null)),
    };
  }
}
