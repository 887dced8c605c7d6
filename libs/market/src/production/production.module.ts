import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ProductionController } from './production.controller';
import { ProductionService } from './production.service';

/** The rules of a progress report, provided once: for the factory's own reports and for telemetry's. */
@Module({ imports: [EventsModule], providers: [ProductionService], exports: [ProductionService] })
export class ProductionModule {}

/** Progress reports over HTTP; only the API process serves them. */
@Module({ imports: [ProductionModule], controllers: [ProductionController] })
export class ProductionApiModule {}
