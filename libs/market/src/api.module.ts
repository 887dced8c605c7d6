import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@cloudloom/platform';
import { CoreModule } from './core/core.module';
import { EventsFeedModule } from './events/events.module';
import { HealthController } from './health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { EventMailModule } from './people/event-mail.module';
import { StoreModule } from './store.module';
import { LinesModule } from './lines/lines.module';
import { LotsModule } from './lots/lots.module';
import { ObservabilityModule } from './observability/observability.module';
import { OffersModule } from './offers/offers.module';
import { OrdersModule } from './orders/orders.module';
import { ProductionApiModule } from './production/production.module';
import { QuotesModule } from './quotes/quotes.module';
import { SamModule } from './sam/sam.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { RadarModule } from './radar/radar.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkerModule } from './worker/worker.module';

/** The HTTP API; with `runWorker` the job processors run in the same process. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config), StoreModule, IdentityModule, LinesModule, OrdersModule, OffersModule, ProductionApiModule, QuotesModule,
        SamModule, AttachmentsModule, TelemetryModule, LotsModule, ObservabilityModule, RadarModule, EventsFeedModule, WebhooksModule,
        ...(config.runWorker ? [WorkerModule, EventMailModule] : []),
      ],
      controllers: [HealthController],
    };
  }
}

/** The worker process: no HTTP, only the job processors. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return { module: WorkerAppModule, imports: [CoreModule.forRoot(config), StoreModule, WorkerModule, EventMailModule] };
  }
}
