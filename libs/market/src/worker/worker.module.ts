import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { CandidatesRepository } from '../matching/candidates.repository';
import { MatchOrderHandler } from '../matching/match-order.handler';
import { OffersModule } from '../offers/offers.module';
import { JobRouter } from './job-router';
import { SweepHandler } from './sweep.handler';

/** The job side: processors for every queue. Imported by the worker app, or by the API in one-process mode. */
@Module({
  imports: [EventsModule, OffersModule],
  providers: [CandidatesRepository, MatchOrderHandler, SweepHandler, JobRouter],
  exports: [MatchOrderHandler, SweepHandler],
})
export class WorkerModule {}
