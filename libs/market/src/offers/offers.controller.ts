import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { AllocationListView, AllocationView } from '../orders/order.view';
import { AcceptOffersDto, ListOffersQuery, MAX_OFFERS_PER_ACCEPT, RejectOfferDto } from './offers.dto';
import { BulkAcceptView } from './bulk-accept.view';
import { OffersService } from './offers.service';

@ApiTags('factory')
@Roles('factory')
@Controller('offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: "The factory's offers and allocations", description: 'Filter with `status` (offered: waiting for an answer, the one expiring soonest first; otherwise newest first) and `lineId`.' })
  @ApiOkResponse({ type: AllocationListView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOffersQuery): Promise<AllocationListView> {
    return this.offers.list(principal, query.status, query.lineId);
  }

  @People('owner', 'dispatcher')
  @Post('accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept several offers at once',
    description: `Up to ${MAX_OFFERS_PER_ACCEPT} offers, each accepted as \`POST /offers/{id}/accept\` would, one after another: one refused (expired, taken, rejected meanwhile, withdrawn, or not found, as another organization's offer is) leaves the others accepted. Answers each offer in the order sent.`,
  })
  @ApiOkResponse({ type: BulkAcceptView })
  acceptMany(@CurrentPrincipal() principal: Principal, @Body() dto: AcceptOffersDto): Promise<BulkAcceptView> {
    return this.offers.acceptMany(principal, dto.ids);
  }

  @People('owner', 'dispatcher')
  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an offer', description: 'The order is confirmed once all of its allocations are accepted.' })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AllocationView> {
    return this.offers.accept(principal, id);
  }

  @People('owner', 'dispatcher')
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reject an offer',
    description: 'Releases the capacity; the rest of the order is matched again without this line. The reason code and note are shown to the order\'s brand and summed for operators; no other factory sees them.',
  })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  reject(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: RejectOfferDto): Promise<AllocationView> {
    return this.offers.reject(principal, id, { code: dto.reasonCode ?? 'OTHER', note: dto.note ?? dto.reason ?? null });
  }
}
