import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ProductionService } from '../production/production.service';
import { IngestTelemetryHandler } from './ingest-telemetry.handler';
import { LoomCapacity } from './loom-capacity';
import { MachinesController } from './machines.controller';
import { MachinesService } from './machines.service';

/** Machines and the gateway's readings over HTTP. */
@Module({ controllers: [MachinesController], providers: [MachinesService] })
export class TelemetryModule {}

/** The job side: readings written, machine states, capacity following the looms, produced meters. */
@Module({ imports: [EventsModule], providers: [ProductionService, LoomCapacity, IngestTelemetryHandler], exports: [LoomCapacity, IngestTelemetryHandler] })
export class TelemetryJobsModule {}
