import { Controller, Get, Headers, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@cloudloom/platform';
import type { Response } from 'express';
import { CurrentPrincipal, EVERYONE, People, type Principal, QueryToken, Roles } from '../identity/principal';
import { EventStreams } from './event-streams';
import { EventsFeed } from './events.feed';
import { FeedStream } from './feed-stream';

function parseEventId(value: string | undefined): bigint {
  if (value === undefined || value === '') return -1n;
  if (!/^\d{1,18}$/.test(value)) throw new DomainError('VALIDATION_FAILED', 'Last-Event-ID must be an event id', [{ field: 'Last-Event-ID', message: 'must be a non-negative integer' }]);
  return BigInt(value);
}

/**
 * Server-sent events. EventSource cannot send an Authorization header, so this route also takes
 * the key as `access_token` (the guard accepts it on routes marked @QueryToken).
 */
@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly feed: EventsFeed,
    private readonly streams: EventStreams,
  ) {}

  private readonly logger = new Logger('events');

  @Roles('brand', 'factory', 'operator')
  @QueryToken()
  @People(...EVERYONE)
  @Get()
  @ApiOperation({
    summary: 'Live feed of domain events (text/event-stream); operators see all, others their own',
    description: 'A factory sees only its own share of an order it shares with others. An organization holds a few streams at once (429 past that); a stream ends when its key is revoked.',
  })
  @ApiOkResponse({
    description: 'An endless stream; each event has an id (send it back as Last-Event-ID to resume), a type and JSON data',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'id: 1042\nevent: offer.created\ndata: {"id":"1042","type":"offer.created","orderId":"0b6c3f0e-5d1a-4e8b-9c2f-7a1d3e5b9c40","payload":{"allocationId":"e7d3b1a9-4c2f-4e6a-b8d1-3f5a7c9e1b62"},"createdAt":"2026-11-30T08:15:00.000Z"}\n\n',
      },
    },
  })
  @ApiQuery({ name: 'lastEventId', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'the API key, for EventSource clients' })
  async stream(
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventIdHeader?: string,
    @Query('lastEventId') lastEventIdQuery?: string,
  ): Promise<void> {
    const from = parseEventId(lastEventIdHeader ?? (typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined));
    // Refused (429) before anything is written when the organization holds its share of streams.
    let stream: FeedStream | undefined;
    const lease = this.streams.lease(principal, () => stream?.end());
    let unsubscribe = (): void => undefined;
    try {
      const start = from < 0n ? await this.feed.head() : from;
      res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      res.write('retry: 2000\n\n');
      stream = new FeedStream(res, this.feed, principal, start, () => {
        unsubscribe();
        lease.release();
      });
      // Subscribe before the replay so nothing written meanwhile is missed; the stream drops repeats.
      unsubscribe = this.feed.subscribe(stream.onLive, start);
      if (res.destroyed) stream.end();
      await stream.run();
    } catch (error) {
      unsubscribe();
      lease.release();
      if (!res.headersSent) throw error;
      // Mid-stream (the database went away): end it; the client resumes from its Last-Event-ID.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'event stream failed');
      res.destroy();
    }
  }
}
