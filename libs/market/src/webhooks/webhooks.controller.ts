import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, People, type Principal, Roles } from '../identity/principal';
import { CreateWebhookDto, DeliveriesQuery, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';
import { CreatedWebhookView, WebhookDeliveryListView, WebhookDeliveryView, WebhookListView, WebhookView } from './webhook.view';

@ApiTags('webhooks')
@Roles('brand', 'factory', 'operator')
// Integrations, like API keys, are the owner's to manage (the platform's operators for theirs).
@People('owner', 'operator')
@Controller('me/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe an address to events', description: 'Answers the signing secret, shown this once. The address must be public (http or https); every delivery is signed (docs/webhooks.md).' })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiProblems(409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookView> {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: "The organization's webhooks" })
  @ApiOkResponse({ type: WebhookListView })
  list(@CurrentPrincipal() principal: Principal): Promise<WebhookListView> {
    return this.webhooks.list(principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook' })
  @ApiOkResponse({ type: WebhookView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook', description: 'Its address, its events, or whether it is active; new events follow the change.' })
  @ApiOkResponse({ type: WebhookView })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookView> {
    return this.webhooks.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook', description: 'With its deliveries and their log.' })
  @ApiNoContentResponse({ description: 'deleted' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret', description: 'The new secret is shown this once and signs every delivery from now on.' })
  @ApiOkResponse({ type: CreatedWebhookView })
  rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CreatedWebhookView> {
    return this.webhooks.rotateSecret(principal, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A webhook's deliveries, newest first", description: 'Each with its attempts: status code, duration, error class.' })
  @ApiOkResponse({ type: WebhookDeliveryListView })
  deliveries(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: DeliveriesQuery): Promise<WebhookDeliveryListView> {
    return this.webhooks.deliveries(principal, id, query.cursor);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again', description: 'Due now, with a fresh 24 h of retries.' })
  @ApiAcceptedResponse({ type: WebhookDeliveryView })
  redeliver(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<WebhookDeliveryView> {
    return this.webhooks.redeliver(principal, id, deliveryId);
  }
}
