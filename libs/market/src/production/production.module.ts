import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ProductionController } from './production.controller';
import { ProductionService } from './production.service';

@Module({ imports: [EventsModule], controllers: [ProductionController], providers: [ProductionService], exports: [ProductionService] })
export class ProductionModule {}
