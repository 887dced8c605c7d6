import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES, type FabricType, type Fiber, type FinishingLineSpec, type FinishingProcess,
  type GarmentCategory, type MachineType, type SewingLineSpec, type WeavingLineSpec,
} from '@cloudloom/matching';
import { EXAMPLE } from '../core/openapi-examples';
import { type Line, PRICE_COVERS, type PriceCovers } from '@cloudloom/contracts';

class LineFields {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) name!: string;
  @ApiProperty({ example: 0.012, description: 'CNY per 1,000 weft picks (weaving), per standard minute (sewing) or per meter (finishing)' }) ratePerUnit!: number;
  @ApiProperty({ enum: PRICE_COVERS, example: 'processing', description: 'what the rate pays for: processing only, or the yarn too' }) priceCovers!: PriceCovers;
  @ApiProperty({ example: 37_643_520, description: 'capacity units per day: weft picks, standard minutes or meters' }) dailyCapacity!: number;
  @ApiProperty({ enum: ['picks', 'minutes', 'meters'], example: 'picks', description: 'weft picks (weaving), standard minutes (sewing) or meters (finishing)' }) capacityUnit!: 'picks' | 'minutes' | 'meters';
  @ApiProperty({ example: true, description: 'false: off the market' }) active!: boolean;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
}

/** A line of looms; capacity in weft picks. */
export class WeavingLineView extends LineFields implements WeavingLineSpec, Line {
  @ApiProperty({ enum: ['weaving'], example: 'weaving' }) kind!: 'weaving';
  @ApiProperty({ example: 0.85 }) efficiency!: number;
  @ApiProperty({ enum: MACHINE_TYPES, example: 'air_jet' }) machineType!: MachineType;
  @ApiProperty({ example: 48 }) machines!: number;
  @ApiProperty({ example: 700 }) rpm!: number;
  @ApiProperty({ example: 22 }) hoursPerDay!: number;
  @ApiProperty({ example: 190 }) maxWidthCm!: number;
  @ApiPropertyOptional({ enum: FIBERS, isArray: true, example: ['cotton', 'viscose'], description: 'absent: all the machine can weave' }) fibers?: readonly Fiber[];
}

/** A sewing line; capacity in standard minutes. */
export class SewingLineView extends LineFields implements SewingLineSpec, Line {
  @ApiProperty({ enum: ['sewing'], example: 'sewing' }) kind!: 'sewing';
  @ApiProperty({ example: 0.6 }) efficiency!: number;
  @ApiProperty({ example: 30 }) operators!: number;
  @ApiProperty({ example: 480 }) minutesPerDay!: number;
  @ApiProperty({ enum: GARMENT_CATEGORIES, isArray: true, example: ['tshirt', 'polo'] }) categories!: readonly GarmentCategory[];
  @ApiProperty({ enum: FABRIC_TYPES, isArray: true, example: ['knit'] }) fabricTypes!: readonly FabricType[];
  @ApiProperty({ example: 100, description: 'minimum pieces per allocation' }) moq!: number;
}

/** A dye house's or finishing mill's line; capacity in meters a day. */
export class FinishingLineView extends LineFields implements FinishingLineSpec, Line {
  @ApiProperty({ enum: ['finishing'], example: 'finishing' }) kind!: 'finishing';
  @ApiProperty({ enum: FINISHING_PROCESSES, isArray: true, example: ['dyeing'] }) processes!: readonly FinishingProcess[];
  @ApiProperty({ example: 6000 }) metersPerDay!: number;
  @ApiProperty({ example: 500, description: 'smallest batch in meters per allocation' }) minBatchM!: number;
  @ApiProperty({ example: 200, description: 'widest fabric the stenter takes' }) maxWidthCm!: number;
}

export type LineView = WeavingLineView | SewingLineView | FinishingLineView;

/** OpenAPI schema of a line: one of the three kinds, told apart by `kind`. */
export const LINE_SCHEMA = {
  oneOf: [{ $ref: getSchemaPath(WeavingLineView) }, { $ref: getSchemaPath(SewingLineView) }, { $ref: getSchemaPath(FinishingLineView) }],
  discriminator: {
    propertyName: 'kind',
    mapping: { weaving: getSchemaPath(WeavingLineView), sewing: getSchemaPath(SewingLineView), finishing: getSchemaPath(FinishingLineView) },
  },
};

@ApiExtraModels(WeavingLineView, SewingLineView, FinishingLineView)
export class LineListView {
  @ApiProperty({ type: 'array', items: LINE_SCHEMA }) items!: LineView[];
}

class AvailabilityDayView {
  @ApiProperty({ format: 'date', example: '2026-12-24' }) date!: string;
  @ApiProperty({ example: 0.5 }) fraction!: number;
  @ApiProperty({ example: 18_821_760, description: "that day's capacity units" }) capacity!: number;
}

export class AvailabilityView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) lineId!: string;
  @ApiProperty({ type: [AvailabilityDayView] }) days!: AvailabilityDayView[];
}
