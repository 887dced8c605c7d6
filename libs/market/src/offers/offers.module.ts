import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

@Module({ imports: [EventsModule], controllers: [OffersController], providers: [OffersService], exports: [OffersService] })
export class OffersModule {}
