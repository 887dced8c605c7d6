import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';
import {
  FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES, type FabricType, type Fiber, type FinishingProcess, type GarmentCategory,
  LINE_KINDS, type LineKind, type MachineType,
} from '@cloudloom/matching';
import { AHEAD } from '../core/openapi-examples';
import { PRICE_COVERS, type PriceCovers } from '@cloudloom/contracts';

const weaving = (o: CreateLineDto): boolean => o.kind === 'weaving';
const sewing = (o: CreateLineDto): boolean => o.kind === 'sewing';
const finishing = (o: CreateLineDto): boolean => o.kind === 'finishing';

/** A production line in real units: looms x rpm (weaving), operators x minutes (sewing) or meters a day (finishing). */
export class CreateLineDto {
  @ApiProperty({ enum: LINE_KINDS, example: 'weaving' })
  @IsIn(LINE_KINDS)
  kind!: LineKind;

  @ApiProperty({ example: 'Hall A air-jets', maxLength: 120 })
  @IsString() @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 0.012, description: 'CNY per 1,000 weft picks (weaving), per standard minute (sewing) or per meter (finishing)' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000)
  ratePerUnit!: number;

  @ApiPropertyOptional({ enum: PRICE_COVERS, default: 'processing', example: 'processing', description: 'what the rate pays for: processing only (the brand supplies the yarn or fabric), or the yarn too (weaving lines only)' })
  @IsOptional() @IsIn(PRICE_COVERS, { message: 'priceCovers must be processing (processing only) or yarn_included (the rate includes the yarn)' })
  priceCovers?: PriceCovers;

  @ApiPropertyOptional({ enum: MACHINE_TYPES, example: 'air_jet' })
  @ValidateIf(weaving) @IsIn(MACHINE_TYPES)
  machineType?: MachineType;

  @ApiPropertyOptional({ example: 48, description: 'looms on the line' })
  @ValidateIf(weaving) @IsInt() @Min(1) @Max(5000)
  machines?: number;

  @ApiPropertyOptional({ example: 700, description: 'weft picks per minute per loom' })
  @ValidateIf(weaving) @IsInt() @Min(50) @Max(2500)
  rpm?: number;

  @ApiPropertyOptional({ example: 190, description: 'widest fabric the looms (weaving) or the stenter (finishing) take' })
  @ValidateIf((o: CreateLineDto) => weaving(o) || finishing(o)) @IsInt() @Min(50) @Max(600)
  maxWidthCm?: number;

  @ApiPropertyOptional({ example: 22, default: 22 })
  @ValidateIf((o: CreateLineDto) => weaving(o) && o.hoursPerDay !== undefined) @IsNumber() @Min(1) @Max(24)
  hoursPerDay?: number;

  @ApiPropertyOptional({ enum: FIBERS, isArray: true, description: 'narrows what the machine can weave; never widens it' })
  @ValidateIf((o: CreateLineDto) => weaving(o) && o.fibers !== undefined) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(FIBERS, { each: true })
  fibers?: Fiber[];

  @ApiPropertyOptional({ example: 0.85, description: 'weaving default 0.85, sewing default 0.6; finishing lines give meters a day instead' })
  @IsOptional() @IsNumber() @Min(0.05) @Max(1)
  efficiency?: number;

  @ApiPropertyOptional({ example: 30 })
  @ValidateIf(sewing) @IsInt() @Min(1) @Max(5000)
  operators?: number;

  @ApiPropertyOptional({ example: 480, default: 480 })
  @ValidateIf((o: CreateLineDto) => sewing(o) && o.minutesPerDay !== undefined) @IsInt() @Min(60) @Max(1440)
  minutesPerDay?: number;

  @ApiPropertyOptional({ enum: GARMENT_CATEGORIES, isArray: true })
  @ValidateIf(sewing) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(GARMENT_CATEGORIES.length) @ArrayUnique() @IsIn(GARMENT_CATEGORIES, { each: true })
  categories?: GarmentCategory[];

  @ApiPropertyOptional({ enum: FABRIC_TYPES, isArray: true })
  @ValidateIf(sewing) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(FABRIC_TYPES, { each: true })
  fabricTypes?: FabricType[];

  @ApiPropertyOptional({ example: 100, default: 0, description: 'minimum pieces per allocation' })
  @ValidateIf((o: CreateLineDto) => sewing(o) && o.moq !== undefined) @IsInt() @Min(0) @Max(100000)
  moq?: number;

  @ApiPropertyOptional({ enum: FINISHING_PROCESSES, isArray: true, example: ['dyeing'], description: 'what the finishing line does' })
  @ValidateIf(finishing) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(FINISHING_PROCESSES.length) @ArrayUnique() @IsIn(FINISHING_PROCESSES, { each: true })
  processes?: FinishingProcess[];

  @ApiPropertyOptional({ example: 6000, description: 'meters of fabric the finishing line runs per day' })
  @ValidateIf(finishing) @IsInt() @Min(1) @Max(1_000_000)
  metersPerDay?: number;

  @ApiPropertyOptional({ example: 500, default: 0, description: 'smallest batch in meters the vat or table takes per allocation' })
  @ValidateIf((o: CreateLineDto) => finishing(o) && o.minBatchM !== undefined) @IsInt() @Min(0) @Max(1_000_000)
  minBatchM?: number;
}

/** The fields each kind of line has (besides name and rate); any other kind's field is refused. */
export const FIELDS_OF_KIND: Readonly<Record<LineKind, readonly (keyof CreateLineDto)[]>> = {
  weaving: ['machineType', 'machines', 'rpm', 'maxWidthCm', 'hoursPerDay', 'fibers', 'efficiency'],
  sewing: ['operators', 'minutesPerDay', 'categories', 'fabricTypes', 'moq', 'efficiency'],
  finishing: ['processes', 'metersPerDay', 'minBatchM', 'maxWidthCm'],
};

/**
 * Every field of a line but its kind. Decorators here only check shape and type; the merged
 * result is validated again as a whole line (CreateLineDto), so the rules live in one place.
 */
export class UpdateLineDto extends PartialType(OmitType(CreateLineDto, ['kind'] as const)) {
  @ApiPropertyOptional({ example: true, description: 'false takes the line off the market; reservations stay' })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class AvailabilityDayDto {
  @ApiProperty({ example: AHEAD.closedDay })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' }) @IsDateString({ strict: true })
  date!: string;

  @ApiProperty({ example: 0.5, description: 'share of the nominal capacity usable that day: 0 (closed) to 1' })
  @IsNumber() @Min(0) @Max(1)
  fraction!: number;
}

export class AvailabilityDto {
  @ApiProperty({ type: [AvailabilityDayDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(366) @ValidateNested({ each: true }) @Type(() => AvailabilityDayDto)
  days!: AvailabilityDayDto[];
}

/** The request examples of `POST /lines`: one line of each kind, each with only its own kind's fields. */
export const LINE_BODY_EXAMPLES = {
  weaving: { summary: 'weaving: air-jet looms', value: { kind: 'weaving', name: 'Hall A air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, hoursPerDay: 22, ratePerUnit: 0.012 } },
  sewing: { summary: 'sewing: a knit line', value: { kind: 'sewing', name: 'Knit line 2', operators: 30, minutesPerDay: 480, categories: ['tshirt', 'polo'], fabricTypes: ['knit'], moq: 100, ratePerUnit: 0.45 } },
  finishing: { summary: 'finishing: a dye house', value: { kind: 'finishing', name: 'Dye house 1', processes: ['dyeing'], metersPerDay: 6000, maxWidthCm: 190, minBatchM: 500, ratePerUnit: 0.8 } },
};

/** `PATCH /lines/{id}` sends only what changes: fields every kind of line has. */
export const LINE_CHANGE_EXAMPLES = {
  rate: { summary: 'a new rate and name', value: { name: 'Hall A air-jets (night shift)', ratePerUnit: 0.013 } },
};
