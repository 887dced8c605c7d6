import { DataSource, type DataSourceOptions } from 'typeorm';
import { AllocationDayEntity, AllocationEntity } from './entities/allocation.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { CapacityDayEntity } from './entities/capacity-day.entity';
import { EventEntity } from './entities/event.entity';
import { LineEntity } from './entities/line.entity';
import { MachineEntity } from './entities/machine.entity';
import { OrderEntity } from './entities/order.entity';
import { OrganizationEntity } from './entities/organization.entity';
import { InitialSchema1764400000000 } from './migrations/1764400000000-initial-schema';
import { LedgerVersions1764500000000 } from './migrations/1764500000000-ledger-versions';
import { LoomTelemetry1764900000000 } from './migrations/1764900000000-loom-telemetry';
import { ReadingPartitions1764950000000 } from './migrations/1764950000000-reading-partitions';
import { OfferAnswers1765200000000 } from './migrations/1765200000000-offer-answers';
import { ReadingPartitionUpkeep1765200100000 } from './migrations/1765200100000-reading-partition-upkeep';
import { MetricCounts1765300000000 } from './migrations/1765300000000-metric-counts';
import { DownSeenAt1765300100000 } from './migrations/1765300100000-down-seen-at';
import { People1765400000000 } from './migrations/1765400000000-people';
import { EventsByOrder1765400100000 } from './migrations/1765400100000-events-by-order';
import { TotpLastStep1765400200000 } from './migrations/1765400200000-totp-last-step';
import { Webhooks1765410000000 } from './migrations/1765410000000-webhooks';
import { WebhookFanoutByOrganization1765410100000 } from './migrations/1765410100000-webhook-fanout-by-organization';
import { AgreedTerms1765420000000 } from './migrations/1765420000000-agreed-terms';
import { RejectReasons1765420100000 } from './migrations/1765420100000-reject-reasons';
import { Alerts1765430000000 } from './migrations/1765430000000-alerts';
import { MarketRollups1765430100000 } from './migrations/1765430100000-market-rollups';
import { FinishingLines1765440000000 } from './migrations/1765440000000-finishing-lines';
import { OrderSizes1765450000000 } from './migrations/1765450000000-order-sizes';
import { Attachments1765450100000 } from './migrations/1765450100000-attachments';
import { Lots1765460000000 } from './migrations/1765460000000-lots';
import { StyleOrders1765470000000 } from './migrations/1765470000000-style-orders';
import { Counteroffers1765471000000 } from './migrations/1765471000000-counteroffers';
import { PriceTerms1765472000000 } from './migrations/1765472000000-price-terms';
import { FactoryContacts1765482000000 } from './migrations/1765482000000-factory-contacts';
import { ApiKeyChanges1765492000000 } from './migrations/1765492000000-api-key-changes';

export const ENTITIES = [OrganizationEntity, ApiKeyEntity, LineEntity, CapacityDayEntity, OrderEntity, AllocationEntity, AllocationDayEntity, EventEntity, MachineEntity];
// One per line, in time order: branches that each add a migration then merge without a conflict
// on one long line.
export const MIGRATIONS = [
  InitialSchema1764400000000,
  LedgerVersions1764500000000,
  LoomTelemetry1764900000000,
  ReadingPartitions1764950000000,
  OfferAnswers1765200000000,
  ReadingPartitionUpkeep1765200100000,
  MetricCounts1765300000000,
  DownSeenAt1765300100000,
  People1765400000000,
  EventsByOrder1765400100000,
  TotpLastStep1765400200000,
  Webhooks1765410000000,
  WebhookFanoutByOrganization1765410100000,
  AgreedTerms1765420000000,
  RejectReasons1765420100000,
  Alerts1765430000000,
  MarketRollups1765430100000,
  FinishingLines1765440000000,
  OrderSizes1765450000000,
  Attachments1765450100000,
  Lots1765460000000,
  StyleOrders1765470000000,
  Counteroffers1765471000000,
  PriceTerms1765472000000,
  FactoryContacts1765482000000,
  ApiKeyChanges1765492000000,
];

/** Schema changes only through reviewed migrations; never `synchronize`. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // JIT compilation suits long analytic queries, not these short ones: on the market load it
    // spent half of each batch compiling. Off for every connection of the app.
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, options: '-c jit=off' },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

/** Applies pending migrations; safe to run from several processes at once (advisory lock). */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(764400)');
    const applied = await ds.runMigrations({ transaction: 'each' });
    await ds.query('SELECT pg_advisory_unlock(764400)');
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
