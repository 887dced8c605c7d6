import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ChainLot, Lot, LotChain, LotList, LotMachine, LotResolution } from '@cloudloom/contracts';
import { EXAMPLE } from '../core/openapi-examples';
import { LOT_KINDS, type LotKind } from './identifier';

const IDENTIFIER = 'CL/roll.7KQ2M9X4PZ8H3V6WB';

export class LotView implements Lot {
  @ApiProperty({ example: IDENTIFIER, description: '<IDENTIFIER_PREFIX>/<kind>.<16-character code><check character>' }) identifier!: string;
  @ApiProperty({ enum: LOT_KINDS, example: 'roll' }) kind!: LotKind;
  @ApiProperty({ example: 120 }) quantity!: number;
  @ApiProperty({ enum: ['m', 'pcs'], example: 'm' }) unit!: 'm' | 'pcs';
  @ApiProperty({ example: true, description: 'counts toward the allocation’s produced quantity (cartons do not: they pack counted bundles)' }) counted!: boolean;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) allocationId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) madeAt!: string;
  @ApiProperty({ type: [String], example: [] }) inputs!: string[];
  @ApiProperty({ example: `https://cloudloom.example.com/id/${IDENTIFIER}`, description: 'the phone page its QR code opens' }) url!: string;
}

export class LotsCreatedView {
  @ApiProperty({ type: [LotView] }) items!: LotView[];
}

export class LotListView implements LotList {
  @ApiProperty({ type: [LotView] }) items!: LotView[];
  @ApiProperty({ example: 360, description: 'what the counted lots add up to' }) countedQuantity!: number;
  @ApiPropertyOptional({ example: '1042' }) nextCursor?: string;
}

class LotMachineView implements LotMachine {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.machineId }) id!: string;
  @ApiProperty({ example: 'HALL-A-017' }) externalId!: string;
  @ApiProperty({ example: 1, description: 'runs of down readings that began while the lot was made' }) stops!: number;
  @ApiProperty({ example: 840 }) downSeconds!: number;
}

class ChainPartyView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ example: 'Shengze Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Suzhou' }) city!: string | null;
}

class ChainLineView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) id!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) name!: string;
  @ApiProperty({ example: 'weaving' }) kind!: string;
}

class ChainWindowView {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) from!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) to!: string;
}

class ChainLotView implements ChainLot {
  @ApiProperty({ example: IDENTIFIER }) identifier!: string;
  @ApiProperty({ enum: LOT_KINDS, example: 'roll' }) kind!: LotKind;
  @ApiProperty({ example: 120 }) quantity!: number;
  @ApiProperty({ enum: ['m', 'pcs'], example: 'm' }) unit!: 'm' | 'pcs';
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) madeAt!: string;
  @ApiProperty({ example: 'weaving', description: 'the kind of line that made it' }) stage!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) allocationId!: string;
  @ApiProperty({ type: ChainPartyView }) factory!: ChainPartyView;
  @ApiProperty({ type: ChainLineView }) line!: ChainLineView;
  @ApiProperty({ type: ChainWindowView }) window!: ChainWindowView;
  @ApiProperty({ type: [LotMachineView] }) machines!: LotMachineView[];
  @ApiProperty({ type: [String], example: [] }) inputs!: string[];
}

class ChainOrderView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) id!: string;
  @ApiProperty({ example: 'fabric' }) kind!: string;
  @ApiProperty({ example: 'cotton twill fabric, 150 cm wide' }) product!: string;
  @ApiProperty({ example: 1200 }) quantity!: number;
  @ApiProperty({ enum: ['m', 'pcs'], example: 'm' }) unit!: 'm' | 'pcs';
  @ApiProperty({ format: 'date', example: '2026-12-20' }) dueDate!: string;
}

class LotChainView implements LotChain {
  @ApiProperty({ type: ChainOrderView }) order!: ChainOrderView;
  @ApiProperty({ type: [ChainLotView], description: 'the resolved lot first, then its inputs recursively, each once' }) lots!: ChainLotView[];
}

export class LotResolutionView implements LotResolution {
  @ApiProperty({ example: IDENTIFIER }) identifier!: string;
  @ApiProperty({ enum: LOT_KINDS, example: 'roll' }) kind!: LotKind;
  @ApiProperty({ example: 'cotton twill fabric, 150 cm wide' }) product!: string;
  @ApiProperty({ example: 120 }) quantity!: number;
  @ApiProperty({ enum: ['m', 'pcs'], example: 'm' }) unit!: 'm' | 'pcs';
  @ApiProperty({ type: String, nullable: true, example: 'Suzhou' }) city!: string | null;
  @ApiProperty({ format: 'date', example: '2026-12-01' }) madeOn!: string;
  @ApiPropertyOptional({ type: LotChainView, description: "only for the order's brand and the factories of its chain" }) chain?: LotChainView;
}
