import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { OfferMessage } from '@cloudloom/contracts';
import { ApiProblems } from '@cloudloom/platform';
import { EXAMPLE } from '../core/openapi-examples';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { AllocationView } from '../orders/order.view';
import { CountersService } from './counters.service';
import { MessagesService } from './messages.service';
import { CounterOfferDto, MESSAGE_MAX_LENGTH, OfferMessageDto } from './offers.dto';

class OfferMessageView implements OfferMessage {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.messageId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) allocationId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ enum: ['brand', 'factory'], example: 'brand' }) from!: 'brand' | 'factory';
  @ApiProperty({ type: String, nullable: true, example: 'person:6b1f7c9e-2a44-4a6b-9a52-6f0f1e2d3c4b', description: 'who wrote it: person:<id> or key:<id>' }) author!: string | null;
  @ApiProperty({ example: '请确认纱线批号，交货地址为广州市海珠区。', maxLength: MESSAGE_MAX_LENGTH }) body!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
}

class OfferMessageListView {
  @ApiProperty({ type: [OfferMessageView], description: 'the latest 500 messages, oldest first' }) items!: OfferMessageView[];
}

/**
 * Counteroffers and the conversation of an offer (DESIGN.md §9): the factory counters; the
 * order's brand answers; both talk. Another organization's offer answers 404.
 */
@ApiTags('brand', 'factory')
@Controller('offers')
export class CountersController {
  constructor(
    private readonly counters: CountersService,
    private readonly messages: MessagesService,
  ) {}

  @Roles('factory')
  @People('owner', 'dispatcher')
  @Post(':id/counter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Answer an offer with a price and/or a later end date of its own',
    description: "The brand accepts or declines before the offer expires; unanswered, the offer expires as any offer does. A counter within the brand's standing tolerance and the order's agreed price (plus its tolerance) is accepted at once: the answer then shows the offer accepted. The end date lies after the offer's and on or before the order's due date, and the line must have the free capacity to finish by it (409 if not).",
  })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  counter(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: CounterOfferDto): Promise<AllocationView> {
    return this.counters.counter(principal, id, { ...(dto.price !== undefined ? { price: dto.price } : {}), ...(dto.endDate !== undefined ? { endDate: dto.endDate } : {}), ...(dto.note !== undefined ? { note: dto.note } : {}) });
  }

  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post(':id/counter/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: "Accept a factory's counteroffer",
    description: "The offer is accepted at the counter's price and end date; a later end date lays the work again on the line up to it (409 when the line has not the free capacity any more). Accepting a counter that brings the order above its agreed price makes that the agreed price.",
  })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AllocationView> {
    return this.counters.accept(principal, id);
  }

  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post(':id/counter/decline')
  @HttpCode(200)
  @ApiOperation({ summary: "Decline a factory's counteroffer", description: 'The offer stays open at its own terms until it expires: the factory may still accept or reject it.' })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  decline(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AllocationView> {
    return this.counters.decline(principal, id);
  }

  @Roles('brand', 'factory')
  @People(...EVERYONE)
  @Get(':id/messages')
  @ApiOperation({ summary: "An offer's conversation", description: "Between the order's brand and the offer's factory; anyone else gets 404." })
  @ApiOkResponse({ type: OfferMessageListView })
  listMessages(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OfferMessageListView> {
    return this.messages.list(principal, id);
  }

  @Roles('brand', 'factory')
  @People('owner', 'merchandiser', 'dispatcher')
  @Post(':id/messages')
  @ApiOperation({
    summary: "Write to the other party of an offer",
    description: `Text of 1 to ${MESSAGE_MAX_LENGTH} characters (no control, zero-width or text-direction characters), while the offer's work is live. Kept with the order's history as an \`offer.message\` event, pushed on both parties' live feeds and mailed to their people who ask for \`offer.message\`.`,
  })
  @ApiCreatedResponse({ type: OfferMessageView })
  @ApiProblems(409)
  postMessage(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: OfferMessageDto): Promise<OfferMessageView> {
    return this.messages.post(principal, id, dto.body);
  }
}
