import { Module } from '@nestjs/common';
import { DeliverWebhookHandler } from './deliver-webhook.handler';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** The API side: subscriptions and their delivery log. */
@Module({ controllers: [WebhooksController], providers: [WebhooksRepository, WebhooksService] })
export class WebhooksModule {}

/** The worker side: the dispatcher that queues due deliveries, and the handler of each attempt. */
@Module({ providers: [WebhooksRepository, DeliverWebhookHandler, WebhookDispatcher], exports: [DeliverWebhookHandler] })
export class WebhooksJobsModule {}
