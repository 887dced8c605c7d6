import { Global, Module } from '@nestjs/common';
import { JobQueue } from './jobs/job-queue';
import { OrdersRepository } from './orders/orders.repository';

/**
 * What every feature of both processes shares: the orders' home and the queuing of every job.
 * Global, so a feature module lists only its own providers.
 */
@Global()
@Module({ providers: [OrdersRepository, JobQueue], exports: [OrdersRepository, JobQueue] })
export class StoreModule {}
