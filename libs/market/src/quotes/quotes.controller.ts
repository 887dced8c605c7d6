import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto, ORDER_OR_STYLE_EXAMPLES } from '../orders/orders.dto';
import { orderOrStyle, StyleOrderDto } from '../orders/style-order.dto';
import {
  FeasibleQuoteView, FeasibleStyleQuoteView, InfeasibleQuoteView, InfeasibleStyleQuoteView, type QuoteView, type StyleQuoteView,
} from './quote.view';
import { QuotesService } from './quotes.service';

@ApiTags('brand')
@Roles('brand')
@ApiExtraModels(CreateOrderDto, StyleOrderDto, FeasibleQuoteView, InfeasibleQuoteView, FeasibleStyleQuoteView, InfeasibleStyleQuoteView)
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  /** Same body as POST /orders (or a style, §8); answers earliest completion and price, or why not. Reserves nothing. */
  // A quote reserves nothing: a viewer may ask for one.
  @People(...EVERYONE)
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Instant quote',
    description: 'The same body as POST /orders, or a style (kind "style": weaving, finishing when asked, sewing) planned as one chain; the planner answers without reserving anything.',
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(CreateOrderDto) }, { $ref: getSchemaPath(StyleOrderDto) }] }, examples: ORDER_OR_STYLE_EXAMPLES })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(FeasibleQuoteView) }, { $ref: getSchemaPath(InfeasibleQuoteView) },
        { $ref: getSchemaPath(FeasibleStyleQuoteView) }, { $ref: getSchemaPath(InfeasibleStyleQuoteView) },
      ],
    },
  })
  async quote(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<QuoteView | StyleQuoteView> {
    const checked = await orderOrStyle(body);
    return 'style' in checked ? this.quotes.quoteStyle(principal, checked.style) : this.quotes.quote(principal, checked.order);
  }
}
