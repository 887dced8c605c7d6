import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { EventsController } from './events.controller';
import { EventStreams } from './event-streams';
import { EventsFeed } from './events.feed';
import { EventsWriter } from './events.writer';

@Module({ providers: [EventsWriter], exports: [EventsWriter] })
export class EventsModule {}

/** The live feed over HTTP; only the API process serves it. */
@Module({ imports: [IdentityModule], controllers: [EventsController], providers: [EventsFeed, EventStreams], exports: [EventStreams] })
export class EventsFeedModule {}
