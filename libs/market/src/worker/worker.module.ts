import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { CapacityChangedHandler } from './capacity-changed.handler';
import { PlanningModule } from '../planning/planning.module';
import { MatchOrderHandler } from './match-order.handler';
import { OffersModule } from '../offers/offers.module';
import { TelemetryJobsModule } from '../telemetry/telemetry.module';
import { RadarJobsModule } from '../radar/radar.module';
import { WebhooksJobsModule } from '../webhooks/webhooks.module';
import { JobRouter } from './job-router';
import { MatchLeadership } from './match-leadership';
import { SweepHandler } from './sweep.handler';

/** The job side: processors for every queue. Imported by the worker app, or by the API in one-process mode. */
@Module({
  imports: [EventsModule, OffersModule, PlanningModule, TelemetryJobsModule, WebhooksJobsModule, RadarJobsModule],
  providers: [MatchOrderHandler, CapacityChangedHandler, SweepHandler, MatchLeadership, JobRouter],
  exports: [MatchOrderHandler, SweepHandler],
})
export class WorkerModule {}
