import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@cloudloom/platform';
import type { Request, Response } from 'express';
import { IdentityService } from '../identity/identity.service';
import { QueryToken, Roles } from '../identity/principal';
import { EventsFeed, type FeedEvent } from './events.feed';

const HEARTBEAT_MS = 15_000;
const RECENT_IDS = 10_000;

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
    private readonly identity: IdentityService,
  ) {}

  @Roles('brand', 'factory', 'operator')
  @QueryToken()
  @Get()
  @ApiOperation({ summary: 'Live feed of domain events (text/event-stream); operators see all, others their own' })
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
    @Req() req: Request,
    @Res() res: Response,
    @Headers('authorization') authorization?: string,
    @Headers('last-event-id') lastEventIdHeader?: string,
    @Query('lastEventId') lastEventIdQuery?: string,
    @Query('access_token') accessToken?: string,
  ): Promise<void> {
    const key = /^Bearer\s+(\S{10,200})$/i.exec(authorization ?? '')?.[1] ?? (typeof accessToken === 'string' ? accessToken : undefined);
    const principal = key ? await this.identity.resolve(key) : undefined;
    if (!principal) throw new DomainError('UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key> or ?access_token=');
    const viewer = principal.kind === 'operator' ? undefined : principal.organizationId;
    const from = parseEventId(lastEventIdHeader ?? (typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined));

    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    const start = from < 0n ? await this.feed.head() : from;
    /** The largest id sent (the replay's page cursor), and the ids sent recently, to drop repeats. */
    let sent = start;
    const recent = new Set<string>();
    const send = (events: readonly FeedEvent[]): void => {
      for (const e of events) {
        const id = BigInt(e.id);
        if (id <= start || recent.has(e.id) || (viewer !== undefined && !e.audience.includes(viewer))) continue;
        if (id > sent) sent = id;
        recent.add(e.id);
        // The feed re-reads only a few seconds of ids, so a bounded memory of them suffices.
        if (recent.size > RECENT_IDS) for (const old of [...recent].slice(0, RECENT_IDS / 2)) recent.delete(old);
        res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ id: e.id, type: e.type, orderId: e.orderId, payload: e.payload, createdAt: e.createdAt })}\n\n`);
      }
    };
    // Subscribe before replaying so nothing written in between is missed; `recent` drops repeats.
    const buffered: FeedEvent[][] = [];
    let replaying = true;
    const unsubscribe = this.feed.subscribe((events) => (replaying ? buffered.push([...events]) : send(events)), start);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    for (let batch = await this.feed.replay(start, viewer); batch.length > 0; batch = await this.feed.replay(sent, viewer)) send(batch);
    replaying = false;
    for (const events of buffered) send(events);
  }
}
