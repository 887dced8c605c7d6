import { Global, Module } from '@nestjs/common';
import { AllocationsRepository } from './allocations/allocations.repository';
import { JobQueue } from './jobs/job-queue';
import { OrdersRepository } from './orders/orders.repository';

/**
 * What every feature of both processes shares: the homes of orders and allocations and the
 * queuing of every job.
 * Global, so a feature module lists only its own providers.
 */
@Global()
@Module({ providers: [OrdersRepository, AllocationsRepository, JobQueue], exports: [OrdersRepository, AllocationsRepository, JobQueue] })
export class StoreModule {}
