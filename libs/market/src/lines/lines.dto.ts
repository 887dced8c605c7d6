import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';
import { FABRIC_TYPES, FIBERS, GARMENT_CATEGORIES, MACHINE_TYPES, type FabricType, type Fiber, type GarmentCategory, type MachineType } from '@cloudloom/matching';

const weaving = (o: CreateLineDto): boolean => o.kind === 'weaving';
const sewing = (o: CreateLineDto): boolean => o.kind === 'sewing';

/** A production line in real units: looms x rpm (weaving) or operators x minutes (sewing). */
export class CreateLineDto {
  @ApiProperty({ enum: ['weaving', 'sewing'], example: 'weaving' })
  @IsIn(['weaving', 'sewing'])
  kind!: 'weaving' | 'sewing';

  @ApiProperty({ example: 'Hall A air-jets', maxLength: 120 })
  @IsString() @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 0.012, description: 'CNY per 1,000 weft picks (weaving) or per standard minute (sewing)' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000)
  ratePerUnit!: number;

  @ApiPropertyOptional({ enum: MACHINE_TYPES, example: 'air_jet' })
  @ValidateIf(weaving) @IsIn(MACHINE_TYPES)
  machineType?: MachineType;

  @ApiPropertyOptional({ example: 48, description: 'looms on the line' })
  @ValidateIf(weaving) @IsInt() @Min(1) @Max(5000)
  machines?: number;

  @ApiPropertyOptional({ example: 700, description: 'weft picks per minute per loom' })
  @ValidateIf(weaving) @IsInt() @Min(50) @Max(2500)
  rpm?: number;

  @ApiPropertyOptional({ example: 190 })
  @ValidateIf(weaving) @IsInt() @Min(50) @Max(600)
  maxWidthCm?: number;

  @ApiPropertyOptional({ example: 22, default: 22 })
  @ValidateIf((o: CreateLineDto) => weaving(o) && o.hoursPerDay !== undefined) @IsNumber() @Min(1) @Max(24)
  hoursPerDay?: number;

  @ApiPropertyOptional({ enum: FIBERS, isArray: true, description: 'narrows what the machine can weave; never widens it' })
  @ValidateIf((o: CreateLineDto) => weaving(o) && o.fibers !== undefined) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(FIBERS, { each: true })
  fibers?: Fiber[];

  @ApiPropertyOptional({ example: 0.85, description: 'weaving default 0.85, sewing default 0.6' })
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
}

export const WEAVING_ONLY = ['machineType', 'machines', 'rpm', 'maxWidthCm', 'hoursPerDay', 'fibers'] as const;
export const SEWING_ONLY = ['operators', 'minutesPerDay', 'categories', 'fabricTypes', 'moq'] as const;

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
  @ApiProperty({ example: '2026-12-24' })
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
