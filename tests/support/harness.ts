import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import { Client, Pool } from 'pg';
import { inject } from 'vitest';
import { createApiApp } from '@cloudloom/market';
import { loadConfig } from '@cloudloom/platform';
import { migrate } from '@cloudloom/persistence';

export const OPERATOR_KEY = 'cl_test_operator_key_0123456789abcdef';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  /** The environment the app was configured with: a worker process started with it joins the same queues. */
  readonly env: Record<string, string>;
  readonly app: INestApplication;
  /** Runs SQL against this test file's own database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  request<T = Record<string, unknown>>(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Starts the real application (API and worker in one process) on its own database and its
 * own queue namespace, listening on a free port: tests drive it over HTTP only.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { adminUrl?: string; /** `postgres`: BullMQ on PostgreSQL even when the run has Redis. */ backend?: 'redis' | 'postgres' } = {}): Promise<TestApp> {
  const id = randomBytes(5).toString('hex');
  const database = `cloudloom_t_${id}`;
  const adminUrl = options.adminUrl ?? inject('adminDatabaseUrl');
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const databaseUrl = withDatabase(adminUrl, database);
  const redisUrl = options.backend === 'postgres' ? undefined : inject('redisUrl');
  const prefix = `t_${id}`;
  const appEnv: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    QUEUE_PREFIX: prefix,
    OPERATOR_API_KEY: OPERATOR_KEY,
    AUTO_VERIFY_FACTORIES: 'true',
    LOG_LEVEL: 'error',
    // Mail (without SMTP_URL) is written to a folder of this app's own, removed at close.
    MAIL_DIR: join(tmpdir(), `cloudloom-mail-${id}`),
    ...env,
  };
  const config = loadConfig(appEnv);
  await migrate(databaseUrl);
  const app = await createApiApp({ ...config, databaseUrl });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  // A pool, not one client: it reconnects after the database restarts (tests do that).
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  db.on('error', () => undefined);

  return {
    baseUrl,
    databaseUrl,
    env: appEnv,
    app,
    sql: async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[],
    request: async <T>(method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
    },
    close: async () => {
      await app.close();
      await db.end();
      await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      if (appEnv.REDIS_URL) await dropRedisPrefix(appEnv.REDIS_URL, prefix);
      await rm(appEnv.MAIL_DIR!, { recursive: true, force: true });
    },
  };
}

async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A date `days` from today, as the API takes it. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
