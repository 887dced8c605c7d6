import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow, ArrayMaxSize, IsArray, IsDateString, IsIn, IsInt, IsNumber, IsObject, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { GarmentSamSpecDto } from '../sam/sam.dto';
import { FABRIC_TYPES, FIBERS, GARMENT_CATEGORIES, WEAVES, type FabricType, type Fiber, type GarmentCategory, type Weave } from '@cloudloom/matching';
import { AHEAD } from '../core/openapi-examples';

export class FabricDto {
  @ApiProperty({ enum: FIBERS, example: 'cotton' }) @IsIn(FIBERS) fiber!: Fiber;
  @ApiProperty({ enum: WEAVES, example: 'twill' }) @IsIn(WEAVES) weave!: Weave;
  @ApiProperty({ example: 150, minimum: 50, maximum: 400 }) @IsInt() @Min(50) @Max(400) widthCm!: number;
  @ApiProperty({ example: 30, minimum: 5, maximum: 120, description: 'weft density' }) @IsNumber() @Min(5) @Max(120) picksPerCm!: number;
  @ApiPropertyOptional({ example: 180 }) @IsOptional() @IsInt() @Min(10) @Max(1500) gsm?: number;
}

export class GarmentDto {
  @ApiProperty({ enum: GARMENT_CATEGORIES, example: 'tshirt' }) @IsIn(GARMENT_CATEGORIES) category!: GarmentCategory;
  @ApiProperty({ enum: FABRIC_TYPES, example: 'knit' }) @IsIn(FABRIC_TYPES) fabricType!: FabricType;
  @ApiPropertyOptional({ example: 12.5, description: 'standard allowed minutes per piece; send this or spec' })
  @IsOptional() @IsNumber() @Min(0.5) @Max(600)
  samMinutes?: number;

  @ApiPropertyOptional({ type: GarmentSamSpecDto, description: 'the construction instead of samMinutes: the order is planned on its estimate (POST /sam-estimates)' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => GarmentSamSpecDto)
  spec?: GarmentSamSpecDto;
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Most sizes on one order: a full size run with lengths (W28-W40 x L30-L34 is 21), with room. */
export const MAX_SIZES = 40;
/** A size breakdown as a brand may send it: a map from size to pieces, or a list (keeps its order, allows labels a map key cannot). Checked in order-terms. */
export type SizesInput = Record<string, unknown> | unknown[];

export class CreateOrderDto {
  @ApiProperty({ enum: ['fabric', 'garment'], example: 'fabric' })
  @IsIn(['fabric', 'garment'])
  kind!: 'fabric' | 'garment';

  @ApiPropertyOptional({ type: FabricDto, description: 'required when kind is fabric' })
  @ValidateIf((o: CreateOrderDto) => o.kind === 'fabric') @IsObject() @ValidateNested() @Type(() => FabricDto)
  fabric?: FabricDto;

  @ApiPropertyOptional({ type: GarmentDto, description: 'required when kind is garment' })
  @ValidateIf((o: CreateOrderDto) => o.kind === 'garment') @IsObject() @ValidateNested() @Type(() => GarmentDto)
  garment?: GarmentDto;

  @ApiProperty({ example: 3000, description: 'meters (fabric) or pieces (garment)' })
  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, example: { S: 100, M: 150, L: 50 } },
      { type: 'array', maxItems: MAX_SIZES, items: { type: 'object', required: ['size', 'quantity'], properties: { size: { type: 'string', example: 'M' }, quantity: { type: 'integer', minimum: 1, example: 150 } } } },
    ],
    example: { S: 100, M: 150, L: 50 },
    description: `garment orders: pieces per size, as {"S": 100, "M": 150} or [{"size": "S", "quantity": 100}, ...]; at most ${MAX_SIZES} sizes, summing to quantity. Each sewing allocation carries its share per size.`,
  })
  @IsOptional() @Allow()
  sizes?: SizesInput;

  @ApiProperty({ example: AHEAD.dueDate })
  @Matches(ISO_DATE, { message: 'dueDate must be a date YYYY-MM-DD' }) @IsDateString({ strict: true })
  dueDate!: string;

  @ApiPropertyOptional({ example: AHEAD.earliestStart, description: 'default tomorrow' })
  @IsOptional() @Matches(ISO_DATE, { message: 'earliestStart must be a date YYYY-MM-DD' }) @IsDateString({ strict: true })
  earliestStart?: string;

  @ApiPropertyOptional({ example: 3, description: 'default 3 (fabric) or 2 (garment)' })
  @IsOptional() @IsInt() @Min(1) @Max(10)
  maxSplits?: number;

  @ApiPropertyOptional({ example: 500 })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  minSplitQuantity?: number;

  @ApiPropertyOptional({ type: [String], example: ['OEKO-TEX'] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @Matches(/^[A-Za-z0-9][A-Za-z0-9 .\-+]{1,39}$/, { each: true, message: 'each certification is 2-40 letters, digits, spaces or .-+' })
  certifications?: string[];

  @ApiPropertyOptional({ example: 25000, description: 'CNY for the whole order' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  targetPrice?: number;

  @ApiPropertyOptional({ example: 5, description: 'percent a later plan (after a refusal, an expiry, a breakdown) may go above the agreed price without asking; default 0' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000)
  priceTolerancePct?: number;
}

/** Most orders in one bulk post: a brand's day of small orders, within the API's input bounds (2,000 values). */
/** One order of each single-stage kind, each valid as it stands (a fabric order sends no garment). */
const ORDER_BODY_EXAMPLES = {
  fabric: { summary: 'fabric: meters of cotton twill', value: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 3000, earliestStart: AHEAD.earliestStart, dueDate: AHEAD.dueDate, certifications: ['OEKO-TEX'] } },
  garment: { summary: 'garment: pieces of knit t-shirts in sizes', value: { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12.5 }, quantity: 300, sizes: { S: 100, M: 150, L: 50 }, dueDate: AHEAD.dueDate } },
};

/** The request examples of `POST /orders` and `POST /quotes`: a fabric, a garment, or a style (weaving and sewing as one chain). */
export const ORDER_OR_STYLE_EXAMPLES = {
  ...ORDER_BODY_EXAMPLES,
  style: {
    summary: 'style: a t-shirt with its knit fabric',
    value: { kind: 'style', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, fabricPerPieceM: 1.2, quantity: 300, dueDate: AHEAD.dueDate },
  },
};
