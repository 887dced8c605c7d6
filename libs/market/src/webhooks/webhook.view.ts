import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, type EventType, type Webhook, type WebhookAttempt, type WebhookDelivery, type WebhookDeliveryStatus } from '@cloudloom/contracts';
import { EXAMPLE } from '../core/openapi-examples';

const WEBHOOK_ID = '7d3e1c2b-4a5f-4e6d-8c9b-0a1b2c3d4e5f';
const DELIVERY_ID = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

export class WebhookView implements Webhook {
  @ApiProperty({ format: 'uuid', example: WEBHOOK_ID }) id!: string;
  @ApiProperty({ example: 'https://erp.example.com/cloudloom/hooks' }) url!: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, example: ['order.matched', 'order.unmatched'] }) events!: EventType[];
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) updatedAt!: string;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({ example: 'whsec_9Gm2cX4d0QyJb7WkFh1LrT5pZaE8uN3sVo6iKqY2wDc', description: 'signs every delivery (X-Cloudloom-Signature); shown only in this answer' }) secret!: string;
}

export class WebhookListView {
  @ApiProperty({ type: [WebhookView] }) items!: WebhookView[];
}

export class WebhookAttemptView implements WebhookAttempt {
  @ApiProperty({ example: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) at!: string;
  @ApiPropertyOptional({ example: 503 }) statusCode?: number;
  @ApiProperty({ example: 84 }) durationMs!: number;
  @ApiPropertyOptional({ enum: ['http_status', 'timeout', 'connection', 'refused_target', 'too_large', 'dns'], example: 'http_status' }) errorClass?: string;
  @ApiPropertyOptional({ example: 'Service Unavailable', description: 'the start of the answer, at most 256 bytes' }) responseSnippet?: string;
}

export class WebhookDeliveryView implements WebhookDelivery {
  @ApiProperty({ format: 'uuid', example: DELIVERY_ID }) id!: string;
  @ApiProperty({ format: 'uuid', example: WEBHOOK_ID }) webhookId!: string;
  @ApiProperty({ example: '1042' }) eventId!: string;
  @ApiProperty({ enum: EVENT_TYPES, example: 'order.matched' }) eventType!: EventType;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], example: 'delivered' }) status!: WebhookDeliveryStatus;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiPropertyOptional({ format: 'date-time', example: EXAMPLE.dateTime, description: 'while pending' }) nextAttemptAt?: string;
  @ApiPropertyOptional({ format: 'date-time', example: EXAMPLE.dateTime }) deliveredAt?: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiProperty({ type: [WebhookAttemptView] }) log!: WebhookAttemptView[];
}

export class WebhookDeliveryListView {
  @ApiProperty({ type: [WebhookDeliveryView] }) items!: WebhookDeliveryView[];
  @ApiPropertyOptional({ example: 'eyJjIjoiMjAyNi0xMi0wN1QwNDowMDowMC4wMDBaIiwiaSI6ImQyYTRjNmU4LTFiM2QtNGY1YS05YzdlLTJiNGQ2ZjhhMGMxMyJ9', description: 'absent on the last page' }) nextCursor?: string;
}
