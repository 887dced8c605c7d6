import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto } from '../orders/orders.dto';
import { FeasibleQuoteView, InfeasibleQuoteView, type QuoteView } from './quote.view';
import { QuotesService } from './quotes.service';

@ApiTags('brand')
@Roles('brand')
@ApiExtraModels(FeasibleQuoteView, InfeasibleQuoteView)
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  /** Same body as POST /orders; answers earliest completion and price, or why not. Reserves nothing. */
  // A quote reserves nothing: a viewer may ask for one.
  @People(...EVERYONE)
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Instant quote', description: 'The same body as POST /orders; the planner answers without reserving anything.' })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(FeasibleQuoteView) }, { $ref: getSchemaPath(InfeasibleQuoteView) }] } })
  quote(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrderDto): Promise<QuoteView> {
    return this.quotes.quote(principal, dto);
  }
}
