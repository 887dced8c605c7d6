import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** The development operator key: printed at start, refused when NODE_ENV=production. */
export const DEV_OPERATOR_KEY = 'cl_dev_operator_key_change_me';

const toBool = ({ value }: { value: unknown }): unknown =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';
const toInt = ({ value }: { value: unknown }): unknown => (value === undefined || value === '' ? undefined : Number(value));

/** Every environment variable the platform reads, validated once at boot. */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test']) @IsOptional() NODE_ENV?: string;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) @IsOptional() PORT?: number;
  @IsString() @IsOptional() HOST?: string;
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' }) @IsOptional() DATABASE_URL?: string;
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' }) @IsOptional() REDIS_URL?: string;
  @Matches(/^[a-z][a-z0-9_]{0,40}$/, { message: 'QUEUE_PREFIX must be lower-case letters, digits and _' }) @IsOptional() QUEUE_PREFIX?: string;
  @IsString() @MinLength(24) @IsOptional() OPERATOR_API_KEY?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 3600) @IsOptional() OFFER_TTL_SECONDS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(7 * 24 * 3600) @IsOptional() APPROVAL_TTL_SECONDS?: number;
  @Transform(toInt) @IsInt() @Min(100) @Max(3_600_000) @IsOptional() SWEEP_EVERY_MS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(86_400) @IsOptional() STUCK_AFTER_SECONDS?: number;
  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000) @IsOptional() JOB_LOCK_MS?: number;
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000) @IsOptional() ENQUEUE_TIMEOUT_MS?: number;
  @Transform(toInt) @IsInt() @Min(7) @Max(366) @IsOptional() HORIZON_DAYS?: number;
  @IsString() @IsOptional() DATA_DIR?: string;
  @Transform(toInt) @IsInt() @Min(1024) @Max(65535) @IsOptional() EMBEDDED_PG_PORT?: number;
  @Transform(toBool) @IsBoolean() @IsOptional() RUN_WORKER?: boolean;
  @Transform(toBool) @IsBoolean() @IsOptional() AUTO_VERIFY_FACTORIES?: boolean;
  @Transform(toInt) @IsInt() @Min(1) @Max(256) @IsOptional() WORKER_CONCURRENCY?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) @IsOptional() MATCH_BATCH_SIZE?: number;
  @Transform(toInt) @IsInt() @Min(0) @Max(64) @IsOptional() MATCH_PARTITIONS?: number;
  @Transform(toInt) @IsInt() @Min(50) @Max(60_000) @IsOptional() LEADER_POLL_MS?: number;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) @IsOptional() LOG_LEVEL?: string;
  @Matches(/^\s*https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*\s*$/, { message: 'CORS_ORIGINS must be a comma-separated list of origins like https://console.example.com' }) @IsOptional() CORS_ORIGINS?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(10_240) @IsOptional() BODY_LIMIT_KB?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) @IsOptional() RATE_LIMIT_WINDOW_SECONDS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) @IsOptional() RATE_LIMIT_PER_KEY?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) @IsOptional() RATE_LIMIT_ANONYMOUS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) @IsOptional() RATE_LIMIT_AUTH_FAILURES?: number;
  @Transform(toInt) @IsInt() @Min(0) @Max(10) @IsOptional() TRUST_PROXY_HOPS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) @IsOptional() EVENT_STREAMS_PER_ORGANIZATION?: number;
  @Transform(toInt) @IsInt() @Min(0) @Max(7 * 86_400) @IsOptional() LOOM_DOWN_AFTER_SECONDS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(30) @IsOptional() LOOM_DOWN_DAYS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) @IsOptional() TELEMETRY_RETENTION_DAYS?: number;
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$/, { message: 'IDENTIFIER_PREFIX must be 1-32 letters, digits, dots or dashes (no slash), like CL or 86.100.cloudloom' }) @IsOptional() IDENTIFIER_PREFIX?: string;
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'PUBLIC_URL must be an http(s) URL without query, like https://cloudloom.example.com' }) @IsOptional() PUBLIC_URL?: string;
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' }) @IsOptional() SMTP_URL?: string;
  @IsString() @MinLength(1) @IsOptional() MAIL_DIR?: string;
  @Matches(/^[^\s@<>]+@[^\s@<>]+$/, { message: 'MAIL_FROM must be an address like cloudloom@example.com' }) @IsOptional() MAIL_FROM?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 30) @IsOptional() SESSION_TTL_HOURS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional() SIGN_IN_FAILURES_BEFORE_LOCK?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(86_400) @IsOptional() SIGN_IN_LOCK_MAX_SECONDS?: number;
  @IsString() @MinLength(1) @IsOptional() ATTACHMENTS_DIR?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(512_000) @IsOptional() ATTACHMENT_MAX_KB?: number;
  @Transform(toBool) @IsBoolean() @IsOptional() WEBHOOK_ALLOW_PRIVATE?: boolean;
  @Transform(toInt) @IsInt() @Min(10) @Max(3_600_000) @IsOptional() WEBHOOK_BACKOFF_BASE_MS?: number;
  @Transform(toInt) @IsInt() @Min(100) @Max(30_000) @IsOptional() WEBHOOK_TIMEOUT_MS?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional() ALERT_BOOKED_PERCENT?: number;
  @Transform(toInt) @IsInt() @Min(5) @Max(1440) @IsOptional() ALERT_REASON_WINDOW_MINUTES?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000) @IsOptional() ALERT_REASON_MIN_ORDERS?: number;
  @Transform(toInt) @IsInt() @Min(2) @Max(100) @IsOptional() ALERT_REASON_FACTOR?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional() ALERT_LOOMS_DOWN_PERCENT?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional() ALERT_LOOMS_DOWN_RISE_PERCENT?: number;
  @Transform(toInt) @IsInt() @Min(32) @Max(3650) @IsOptional() ROLLUP_HOURS_KEPT_DAYS?: number;
  @Transform(toBool) @IsBoolean() @IsOptional() FAIRNESS_POLICY?: boolean;
  @Transform(toInt) @IsInt() @Min(1) @Max(20) @IsOptional() FAIRNESS_MARGIN_PCT?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional() FAIRNESS_TARGET_PERCENT?: number;
  @Transform(toInt) @IsInt() @Min(1) @Max(365) @IsOptional() FAIRNESS_WINDOW_DAYS?: number;
}

/** The radar's early-warning thresholds (docs/radar.md). */
export interface AlertConfig {
  /** A cluster's day booked past this share of its capacity, within the coming week. */
  readonly bookedShare: number;
  /** Unmatched orders of one reason in this window... */
  readonly reasonWindowMinutes: number;
  /** ...at least this many... */
  readonly reasonMinOrders: number;
  /** ...and this many times the reason's own rate over the week before. */
  readonly reasonFactor: number;
  /** A cluster's looms down past this share of its reporting looms (a floor)... */
  readonly loomsDownShare: number;
  /** ...and this much (a share: 0.2 = 20 points) above its own share over the 7 days before (the hourly rollups). */
  readonly loomsDownRise: number;
}

/**
 * The fairness policy in the ranking (docs/radar.md): off unless `enabled`. Among whole-order
 * plans, a small mill's within `margin` of the best is preferred while small mills hold less than
 * `targetShare` of the orders placed over the last `windowDays`.
 */
export interface FairnessConfig {
  readonly enabled: boolean;
  /** Share of the best score (0.02 = 2 %). */
  readonly margin: number;
  readonly targetShare: number;
  readonly windowDays: number;
}

/** People's sign-in and mail: see docs/security.md (sessions, lockout) and README (mail). */
export interface PeopleConfig {
  /** Absent: every mail is written as an .eml file to `mailDir` (development). */
  readonly smtpUrl: string | undefined;
  readonly mailDir: string;
  readonly mailFrom: string;
  readonly sessionTtlHours: number;
  /** Failed sign-ins for one account from one address before it waits... */
  readonly signInFailuresBeforeLock: number;
  /** ...5 s, doubling per further failure, up to this many seconds; the count is forgotten after that long without a failure. */
  readonly signInLockMaxSeconds: number;
}

/** Abuse limits, per API process: see docs/security.md. */
export interface SecurityConfig {
  /** Origins a browser may call the API from; empty: same-origin only. */
  readonly corsOrigins: readonly string[];
  /** Development and test also allow any http://localhost:<port> and http://127.0.0.1:<port>. */
  readonly corsAllowLocalhost: boolean;
  readonly bodyLimitKb: number;
  readonly rateLimitWindowSeconds: number;
  /** Requests per window for one API key. */
  readonly rateLimitPerKey: number;
  /** Requests per window from one address without a key (signup, docs). */
  readonly rateLimitAnonymous: number;
  /** Failed authentications per window from one address before it is refused outright. */
  readonly rateLimitAuthFailures: number;
  /** Reverse proxies in front of the API whose X-Forwarded-For is believed. */
  readonly trustProxyHops: number;
  /** Open `GET /events` streams one organization may hold in one API process; the next is 429. */
  readonly eventStreamsPerOrganization: number;
}

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PostgreSQL is started and this is filled in before the app boots. */
  readonly databaseUrl: string | undefined;
  /** Absent: BullMQ keeps its queues in PostgreSQL (schema `bullmq`). */
  readonly redisUrl: string | undefined;
  readonly queuePrefix: string;
  readonly operatorApiKey: string;
  readonly operatorKeyIsDevDefault: boolean;
  readonly offerTtlSeconds: number;
  /** How long a brand has to approve a plan above its agreed price before it counts as declined. */
  readonly approvalTtlSeconds: number;
  /** How often the sweep runs, and how long an order may wait before the sweep re-enqueues it. */
  readonly sweepEveryMs: number;
  readonly stuckAfterSeconds: number;
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  readonly jobLockMs: number;
  /** An enqueue not answered this long fails (the rows are committed; the sweep queues them later). */
  readonly enqueueTimeoutMs: number;
  readonly horizonDays: number;
  readonly dataDir: string;
  readonly embeddedPgPort: number | undefined;
  readonly runWorker: boolean;
  readonly autoVerifyFactories: boolean;
  /** Match jobs a worker holds at once; those waiting together are planned in one transaction. */
  readonly workerConcurrency: number;
  /** Most orders matched in one batch (one transaction); a bulk post's job brings many at once. */
  readonly matchBatchSize: number;
  /**
   * Matcher partitions (ADR 0003): each partition's orders go to its own queue, and one worker at
   * a time leads it (a PostgreSQL advisory lock), the others standing by. 0: one queue that every
   * worker takes. Producers and workers must agree on it.
   */
  readonly matchPartitions: number;
  /** How often a worker checks its leadership, takes a free partition, or gives one back to a newcomer. */
  readonly leaderPollMs: number;
  readonly logLevel: string;
  readonly security: SecurityConfig;
  /** Telemetry: a loom reported down this long takes its share of the line's capacity off the ledger... */
  readonly loomDownAfterSeconds: number;
  /** ...for this many coming days, today included; looms back up give it back. */
  readonly loomDownDays: number;
  /** Loom readings older than this many days are dropped (whole daily partitions). */
  readonly telemetryRetentionDays: number;
  /** The part of every lot identifier before the slash: `<prefix>/<kind>.<code>` (docs/lots.md). */
  readonly identifierPrefix: string;
  /** Where people reach the console: a lot's QR code encodes `<publicUrl>/id/<identifier>`, and links in mails point there. No trailing slash. */
  readonly publicUrl: string;
  readonly people: PeopleConfig;
  /** Where order attachments (tech packs, sketches, swatch photos) are kept by the local folder store. */
  readonly attachmentsDir: string;
  /** The largest attachment accepted, in bytes. */
  readonly attachmentMaxBytes: number;
  readonly alerts: AlertConfig;
  /** Hourly market rollups older than this many days are dropped once their day is rolled up (days are kept). */
  readonly rollupHoursKeptDays: number;
  readonly fairness: FairnessConfig;
  readonly webhooks: WebhookConfig;
}

/** Outgoing webhooks (docs/webhooks.md; the target rules in docs/security.md). */
export interface WebhookConfig {
  /** Deliveries to private, loopback and link-local addresses: for development and tests only. */
  readonly allowPrivate: boolean;
  /** The first retry waits about this long; each next one twice as long (with jitter), for 24 h. */
  readonly backoffBaseMs: number;
  /** A receiver that has not answered in full this long counts as failed. */
  readonly timeoutMs: number;
}

export class ConfigError extends Error {}

/** Validates the environment; start-up stops with a message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvironmentVariables, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(raw, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const nodeEnv = (raw.NODE_ENV ?? 'development') as AppConfig['env'];
  if (nodeEnv === 'production' && !raw.OPERATOR_API_KEY) {
    throw new ConfigError('Invalid environment:\n  OPERATOR_API_KEY: required when NODE_ENV=production');
  }
  if (nodeEnv === 'production' && raw.OPERATOR_API_KEY === DEV_OPERATOR_KEY) {
    throw new ConfigError('Invalid environment:\n  OPERATOR_API_KEY: the published development key cannot be used in production');
  }
  const relaxed = nodeEnv === 'test' ? 100 : 1;
  return {
    env: nodeEnv,
    port: raw.PORT ?? 3000,
    host: raw.HOST ?? '127.0.0.1',
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    queuePrefix: raw.QUEUE_PREFIX ?? 'cloudloom',
    operatorApiKey: raw.OPERATOR_API_KEY ?? DEV_OPERATOR_KEY,
    operatorKeyIsDevDefault: !raw.OPERATOR_API_KEY,
    offerTtlSeconds: raw.OFFER_TTL_SECONDS ?? 30 * 60,
    approvalTtlSeconds: raw.APPROVAL_TTL_SECONDS ?? 4 * 3600,
    sweepEveryMs: raw.SWEEP_EVERY_MS ?? 15_000,
    stuckAfterSeconds: raw.STUCK_AFTER_SECONDS ?? 30,
    jobLockMs: raw.JOB_LOCK_MS ?? 15_000,
    enqueueTimeoutMs: raw.ENQUEUE_TIMEOUT_MS ?? 2_000,
    horizonDays: raw.HORIZON_DAYS ?? 60,
    dataDir: raw.DATA_DIR ?? '.data',
    embeddedPgPort: raw.EMBEDDED_PG_PORT,
    runWorker: raw.RUN_WORKER ?? true,
    autoVerifyFactories: raw.AUTO_VERIFY_FACTORIES ?? nodeEnv !== 'production',
    workerConcurrency: raw.WORKER_CONCURRENCY ?? 32,
    matchBatchSize: raw.MATCH_BATCH_SIZE ?? 128,
    matchPartitions: raw.MATCH_PARTITIONS ?? 0,
    leaderPollMs: raw.LEADER_POLL_MS ?? 1_000,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    loomDownAfterSeconds: raw.LOOM_DOWN_AFTER_SECONDS ?? 15 * 60,
    loomDownDays: raw.LOOM_DOWN_DAYS ?? 2,
    telemetryRetentionDays: raw.TELEMETRY_RETENTION_DAYS ?? 14,
    identifierPrefix: raw.IDENTIFIER_PREFIX ?? 'CL',
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT ?? 3000}`).replace(/\/+$/, ''),
    people: {
      smtpUrl: raw.SMTP_URL,
      mailDir: raw.MAIL_DIR ?? 'var/mail',
      mailFrom: raw.MAIL_FROM ?? 'cloudloom@localhost',
      sessionTtlHours: raw.SESSION_TTL_HOURS ?? 12,
      signInFailuresBeforeLock: raw.SIGN_IN_FAILURES_BEFORE_LOCK ?? 5,
      signInLockMaxSeconds: raw.SIGN_IN_LOCK_MAX_SECONDS ?? 15 * 60,
    },
    attachmentsDir: raw.ATTACHMENTS_DIR ?? `${raw.DATA_DIR ?? '.data'}/attachments`,
    attachmentMaxBytes: (raw.ATTACHMENT_MAX_KB ?? 20 * 1024) * 1024,
    alerts: {
      bookedShare: (raw.ALERT_BOOKED_PERCENT ?? 90) / 100,
      reasonWindowMinutes: raw.ALERT_REASON_WINDOW_MINUTES ?? 60,
      reasonMinOrders: raw.ALERT_REASON_MIN_ORDERS ?? 5,
      reasonFactor: raw.ALERT_REASON_FACTOR ?? 3,
      loomsDownShare: (raw.ALERT_LOOMS_DOWN_PERCENT ?? 20) / 100,
      loomsDownRise: (raw.ALERT_LOOMS_DOWN_RISE_PERCENT ?? 20) / 100,
    },
    rollupHoursKeptDays: raw.ROLLUP_HOURS_KEPT_DAYS ?? 90,
    fairness: {
      enabled: raw.FAIRNESS_POLICY ?? false,
      margin: (raw.FAIRNESS_MARGIN_PCT ?? 2) / 100,
      targetShare: (raw.FAIRNESS_TARGET_PERCENT ?? 30) / 100,
      windowDays: raw.FAIRNESS_WINDOW_DAYS ?? 30,
    },
    webhooks: { allowPrivate: raw.WEBHOOK_ALLOW_PRIVATE ?? false, backoffBaseMs: raw.WEBHOOK_BACKOFF_BASE_MS ?? 30_000, timeoutMs: raw.WEBHOOK_TIMEOUT_MS ?? 5_000 },
    // Functional test suites sign up dozens of organizations from one address: under
    // NODE_ENV=test the default limits are 100 times higher; tests of the limits set them.
    security: {
      corsOrigins: (raw.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o !== ''),
      corsAllowLocalhost: nodeEnv !== 'production',
      bodyLimitKb: raw.BODY_LIMIT_KB ?? 256,
      rateLimitWindowSeconds: raw.RATE_LIMIT_WINDOW_SECONDS ?? 60,
      rateLimitPerKey: raw.RATE_LIMIT_PER_KEY ?? 600 * relaxed,
      rateLimitAnonymous: raw.RATE_LIMIT_ANONYMOUS ?? 60 * relaxed,
      rateLimitAuthFailures: raw.RATE_LIMIT_AUTH_FAILURES ?? 30 * relaxed,
      trustProxyHops: raw.TRUST_PROXY_HOPS ?? 0,
      // A console tab or two and a few integrations; not relaxed under test, where it is tested.
      eventStreamsPerOrganization: raw.EVENT_STREAMS_PER_ORGANIZATION ?? 5,
    },
  };
}

/** Nest injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG');
