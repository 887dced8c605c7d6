import { ApiProperty } from '@nestjs/swagger';
import type { SamEstimate, SamOperationLine } from '@cloudloom/matching';

class SamOperationView implements SamOperationLine {
  @ApiProperty({ example: 'neck rib attach (overlock)' }) name!: string;
  @ApiProperty({ example: 0.45, description: 'standard allowed minutes per piece (typical)' }) minutes!: number;
}

/** The operation bulletin of a spec: a typical figure, a range, and the operations behind them. */
export class SamEstimateView implements SamEstimate {
  @ApiProperty({ example: 5.7, description: 'typical standard allowed minutes per piece: what the planner uses' }) samMinutes!: number;
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, example: [4.77, 7], description: '[low, high]: the sum of the operations\' low and high figures' }) range!: [number, number];
  @ApiProperty({ type: [SamOperationView] }) operations!: SamOperationView[];
}
