import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { IdempotencyKey } from '../core/idempotency-key';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto, ORDER_OR_STYLE_EXAMPLES } from './orders.dto';
import { OrdersService } from './orders.service';
import { PriceApprovalService } from './price-approval.service';
import { OrderHistoryView, OrderListView, OrderPageView, OrderView, POSTED_ORDER_EXAMPLE } from './order.view';
import { orderFilterOf, OrderSearchQuery } from './order-search';
import { CreateOrdersDto, MAX_ORDERS_PER_POST, orderOrStyle, StyleOrderDto } from './style-order.dto';

@ApiTags('brand')
@ApiExtraModels(CreateOrderDto, StyleOrderDto)
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService, private readonly approvals: PriceApprovalService) {}

  /** 202: the order is stored and queued; matching happens in the worker within moments. */
  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Post an order',
    description: 'A fabric or garment order, or a style (kind "style": weaving, finishing when asked, sewing, matched as one chain or not at all). Stored and queued for the matcher, which decides within moments: follow it with GET /orders/{id} or the event feed.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first order' })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(CreateOrderDto) }, { $ref: getSchemaPath(StyleOrderDto) }] }, examples: ORDER_OR_STYLE_EXAMPLES })
  @ApiAcceptedResponse({ type: OrderView, example: POSTED_ORDER_EXAMPLE, description: 'stored and queued: pending, nothing allocated yet' })
  @ApiProblems(409, 422)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @IdempotencyKey() key?: string): Promise<OrderView> {
    const checked = await orderOrStyle(body);
    return 'style' in checked ? this.orders.createStyle(principal, checked.style, key) : this.orders.create(principal, checked.order, key);
  }

  /** 202: every order stored and queued, or none (a 400 names each bad field as `orders.<i>.<field>`); styles among them, each matched as one chain. */
  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post('batch')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Post several orders at once',
    description: `Up to ${MAX_ORDERS_PER_POST} orders (fabric, garment or style, each as POST /orders takes it), as an ERP or a spreadsheet import sends them: stored together (all or none) and matched together, each style as one chain (every stage or none). The answer lists the orders in the order sent.`,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first orders' })
  @ApiAcceptedResponse({ type: OrderListView, example: { items: [POSTED_ORDER_EXAMPLE] }, description: 'stored and queued: pending, nothing allocated yet' })
  @ApiProblems(422)
  createMany(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrdersDto, @IdempotencyKey() key?: string): Promise<OrderListView> {
    return this.orders.createMany(principal, dto.orders, key);
  }

  @Roles('brand', 'operator')
  @People(...EVERYONE)
  @Get()
  @ApiOperation({
    summary: 'Orders: search, filter, sort, a page at a time',
    description: 'A brand its own; operators all. Words (`q`) match the start of the id, the fabric, weave, garment or certifications; filters combine; `total` counts every page.',
  })
  @ApiOkResponse({ type: OrderPageView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: OrderSearchQuery): Promise<OrderPageView> {
    return this.orders.search(principal, orderFilterOf(query));
  }

  @Roles('brand', 'operator')
  @People(...EVERYONE)
  @Get(':id/history')
  @ApiOperation({ summary: "An order's events, oldest first", description: 'Everything that happened to it: posted, planned, offered, answered, produced, re-planned. A brand sees the events it was told of; operators all.' })
  @ApiOkResponse({ type: OrderHistoryView })
  history(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderHistoryView> {
    return this.orders.history(principal, id);
  }

  @Roles('brand', 'operator')
  @People('owner', 'merchandiser', 'operator')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order', description: 'Releases the capacity it holds; production already running cannot be cancelled (409).' })
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(409)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.cancel(principal, id);
  }

  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a new plan above the agreed price',
    description: 'For an order awaiting_approval: its new price becomes the agreed price and the order is planned again within it (a dearer plan by then asks again). 409 once the order is no longer waiting or its approval time ran out.',
  })
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(409)
  async approve(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    await this.approvals.approve(principal, id);
    return this.orders.get(principal, id);
  }

  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decline a new plan above the agreed price',
    description: 'For an order awaiting_approval: it is unmatched (partial if it holds work) with reason PRICE_ABOVE_AGREED, and later plans are held to the agreed price. 409 once the order is no longer waiting or its approval time ran out.',
  })
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(409)
  async decline(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    await this.approvals.decline(principal, id);
    return this.orders.get(principal, id);
  }

  @Roles('brand', 'operator')
  @People(...EVERYONE)
  @Get(':id')
  @ApiOperation({ summary: 'An order with its allocations, progress and explanation' })
  @ApiOkResponse({ type: OrderView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.get(principal, id);
  }
}
