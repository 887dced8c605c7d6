import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { addDays, Clock } from '../core/clock';

/** Days the sweep keeps made ahead of today. */
const DAYS_AHEAD = 14;

/**
 * The daily partitions of `machine_readings`. The sweep keeps two weeks ahead and drops days past
 * the retention. A reading of a day without a partition still lands, in the default partition;
 * the ingest sees that (its insert returns each row's partition) and makes the day at once, which
 * moves the day's readings out of the default (`ensure_reading_partitions`). So readings keep
 * their own days even when the sweep has stopped for longer than it looks ahead.
 */
@Injectable()
export class ReadingDays {
  private readonly logger = new Logger('telemetry');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** From the sweep: two weeks ahead exist, days past the retention go. */
  async keep(): Promise<void> {
    const today = this.clock.today();
    try {
      await this.db.query(`SELECT ensure_reading_partitions($1::date, $1::date + $2::int)`, [today, DAYS_AHEAD]);
      await this.db.query(`SELECT drop_reading_partitions($1::date - $2::int)`, [today, this.config.telemetryRetentionDays]);
    } catch (error) {
      // Readings still land (the default partition takes any day); the next sweep tries again.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'reading partitions could not be kept');
    }
  }

  /**
   * After the ingest wrote readings of these UTC days into the default partition: the days within
   * the retention are made now. Older days stay in the default, which the retention trims.
   */
  async cover(days: Iterable<string>): Promise<void> {
    const today = this.clock.today();
    const oldest = addDays(today, -this.config.telemetryRetentionDays);
    const missing = [...new Set(days)].filter((d) => d >= oldest && d <= addDays(today, 1)).sort();
    if (missing.length === 0) return;
    try {
      await this.db.query(`SELECT ensure_reading_partitions($1::date, $2::date)`, [missing[0], missing[missing.length - 1]]);
    } catch (error) {
      this.logger.warn({ days: missing, err: error instanceof Error ? error.message : String(error) }, 'reading partitions could not be made; the readings wait in the default partition');
    }
  }
}
