import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { CapacityChangedHandler } from '../matching/capacity-changed.handler';
import { MatchingModule } from '../matching/matching.module';
import { MatchOrderHandler } from '../matching/match-order.handler';
import { OffersModule } from '../offers/offers.module';
import { TelemetryJobsModule } from '../telemetry/telemetry.module';
import { JobRouter } from './job-router';
import { SweepHandler } from './sweep.handler';

/** The job side: processors for every queue. Imported by the worker app, or by the API in one-process mode. */
@Module({
  imports: [EventsModule, OffersModule, MatchingModule, TelemetryJobsModule],
  providers: [MatchOrderHandler, CapacityChangedHandler, SweepHandler, JobRouter],
  exports: [MatchOrderHandler, SweepHandler],
})
export class WorkerModule {}
