import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import {
  estimateSam, FABRIC_TYPES, featureErrors, GARMENT_CATEGORIES, MAX_FEATURE_COUNT, SAM_FEATURES,
  type FabricType, type GarmentCategory, type SamEstimate, type SamFeature,
} from '@cloudloom/matching';
import type { FieldError } from '@cloudloom/platform';

const FEATURES_DOC = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 1, maximum: MAX_FEATURE_COUNT },
  description: `How many of each construction feature the garment has, by name (docs/sam.md): ${SAM_FEATURES.join(', ')}. An unknown name is refused (400 naming it).`,
  example: { neck_rib: 1, neck_tape: 1, set_in_sleeves: 1, sleeve_hems_coverstitch: 1, bottom_hem_coverstitch: 1, labels: 1 },
} as const;

export type SamFeatures = Partial<Record<SamFeature, number>>;

/** `POST /sam-estimates`: a garment described by its construction. */
export class SamEstimateDto {
  @ApiProperty({ enum: GARMENT_CATEGORIES, example: 'tshirt' }) @IsIn(GARMENT_CATEGORIES) category!: GarmentCategory;
  @ApiProperty({ enum: FABRIC_TYPES, example: 'knit' }) @IsIn(FABRIC_TYPES) fabricType!: FabricType;
  @ApiProperty(FEATURES_DOC) @IsObject() features!: SamFeatures;
}

/**
 * A garment order's `spec` in place of `samMinutes`: the same body as `POST /sam-estimates`, whose
 * category and fabric type may be left out (they are the garment's) but must match when sent.
 */
export class GarmentSamSpecDto {
  @ApiPropertyOptional({ enum: GARMENT_CATEGORIES, example: 'tshirt', description: "the garment's category; must match it when sent" }) @IsOptional() @IsIn(GARMENT_CATEGORIES) category?: GarmentCategory;
  @ApiPropertyOptional({ enum: FABRIC_TYPES, example: 'knit', description: "the garment's fabric type; must match it when sent" }) @IsOptional() @IsIn(FABRIC_TYPES) fabricType?: FabricType;
  @ApiProperty(FEATURES_DOC) @IsObject() features!: SamFeatures;
}

/** The features' problems as field errors: `<prefix>features.<name>`, a name a user wrote, so they can find it. */
export function samFeatureErrors(features: Readonly<Record<string, unknown>>, prefix = ''): FieldError[] {
  return featureErrors(features).map((e) => ({ field: `${prefix}features.${e.feature}`, message: e.message }));
}

/** The estimate of a checked spec (`samFeatureErrors` found nothing). */
export const estimateOf = (category: GarmentCategory, fabricType: FabricType, features: SamFeatures): SamEstimate => estimateSam({ category, fabricType, features });
