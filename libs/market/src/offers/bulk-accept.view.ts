import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCEPT_REFUSALS, type AcceptRefusal, type BulkAccept } from '@cloudloom/contracts';
import { EXAMPLE } from '../core/openapi-examples';
import { AllocationView } from '../orders/order.view';

/** One offer of a bulk accept, flat for the document: `offer` when accepted, `reason` and `detail` when refused. */
export class OfferAcceptOutcomeView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) id!: string;
  @ApiProperty({ enum: ['accepted', 'refused'], example: 'accepted' }) outcome!: 'accepted' | 'refused';
  @ApiPropertyOptional({ type: AllocationView, description: 'accepted: the offer as it is now' }) offer?: AllocationView;
  @ApiPropertyOptional({
    enum: ACCEPT_REFUSALS,
    example: 'expired',
    description: "refused: not_found (unknown, or another organization's), expired, taken (already accepted), rejected, withdrawn (the offer or its order was cancelled)",
  })
  reason?: AcceptRefusal;
  @ApiPropertyOptional({ example: 'This offer is expired; it cannot be accepted', description: 'refused: the single accept\'s problem detail' }) detail?: string;
}

export class BulkAcceptView implements BulkAccept {
  @ApiProperty({ type: [OfferAcceptOutcomeView], description: 'one per id, in the order sent' }) items!: BulkAccept['items'];
  @ApiProperty({ example: 1 }) accepted!: number;
  @ApiProperty({ example: 0 }) refused!: number;
}
