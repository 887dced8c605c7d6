import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, APP_CONFIG, QueueBackend } from '@cloudloom/platform';
import { dataSourceOptions } from '@cloudloom/persistence';
import { Clock } from './clock';
import { loggerParams } from './logging';
import { MetricCounts } from './metric-counts';
import { QUEUE_BACKEND } from './tokens';

/** Closes the queue backend when the app stops, after Nest has stopped taking work. */
class QueueBackendLifecycle implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_BACKEND) private readonly queues: QueueBackend) {}
  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}

const queueLogger = new Logger('queues');

/** Config, database and queue backend: what every process shares. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl),
          retryAttempts: 3,
          retryDelay: 500,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: QUEUE_BACKEND,
          useFactory: () => {
            const queues = new QueueBackend({ redisUrl: config.redisUrl, databaseUrl: config.databaseUrl, prefix: config.queuePrefix, enqueueTimeoutMs: config.enqueueTimeoutMs, matchPartitions: config.matchPartitions });
            queues.onError = (error) => queueLogger.warn({ err: error.message.split('\n')[0] }, 'queue backend error');
            return queues;
          },
        },
        QueueBackendLifecycle,
        Clock,
        MetricCounts,
      ],
      exports: [APP_CONFIG, QUEUE_BACKEND, Clock, MetricCounts],
    };
  }
}
