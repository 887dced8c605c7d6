import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { CountersController } from './counters.controller';
import { CountersService } from './counters.service';
import { MessagesService } from './messages.service';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

@Module({ imports: [EventsModule], controllers: [OffersController, CountersController], providers: [OffersService, CountersService, MessagesService], exports: [OffersService] })
export class OffersModule {}
