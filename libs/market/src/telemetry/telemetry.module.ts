import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ProductionModule } from '../production/production.module';
import { FactoryRecordController, FactoryRecordService } from './factory-record';
import { IngestTelemetryHandler } from './ingest-telemetry.handler';
import { LoomCapacity } from './loom-capacity';
import { MachinesController } from './machines.controller';
import { MachinesService } from './machines.service';
import { ReadingDays } from './reading-days';

/** Machines, the gateway's readings and the factory's record over HTTP. */
@Module({ controllers: [MachinesController, FactoryRecordController], providers: [MachinesService, FactoryRecordService] })
export class TelemetryModule {}

/** The job side: readings written, machine states, capacity following the looms, produced meters. */
@Module({ imports: [EventsModule, ProductionModule], providers: [ReadingDays, LoomCapacity, IngestTelemetryHandler], exports: [LoomCapacity, IngestTelemetryHandler] })
export class TelemetryJobsModule {}
