import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { Client } from 'pg';
import type { Principal } from './principal';

/** The channel the database notifies on every change that can end a key's access (migration 1765492000000). */
export const KEY_CHANGES_CHANNEL = 'api_key_changes';

/** The listening connection's name in `pg_stat_activity`. */
export const KEY_CHANGES_LISTENER = 'cloudloom-key-changes';

/** Keys that resolved lately, at most this many; a busy API sees far fewer distinct keys. */
const MAX_ENTRIES = 10_000;
/** After the listening connection is lost, the next try to listen again. */
const RELISTEN_MS = 1_000;
/**
 * How often the listening connection proves it still hears: it notifies its own channel and must
 * hear that back within HEARD_WITHIN_MS. An idle connection dropped without a word (a NAT's or a
 * firewall's idle timeout, a failover) raises no error, and a pooler in transaction mode accepts
 * LISTEN but never delivers; either way changes would go unheard, so the cache is served only
 * while its heartbeats come back.
 */
const HEARTBEAT_MS = 10_000;
const HEARD_WITHIN_MS = 5_000;
/** A notification of the cache's own heartbeat, not a change: it forgets nothing. */
const HEARTBEAT_PAYLOAD = 'heartbeat';

/**
 * The API keys that resolved lately (by their SHA-256), so that a request with a known key
 * needs no lookup: every request used to make a round trip to PostgreSQL before its own work.
 *
 * Revocation stays immediate: at once in the process that revoked the key (it forgets before it
 * answers), within the milliseconds a notification takes in the others. A trigger notifies
 * `KEY_CHANGES_CHANNEL` on any change of `api_keys` (revoked, deleted) or of an organization's
 * `active` or `kind`, and every API process listening empties its cache when the notification
 * arrives, which PostgreSQL sends as the change commits. Entries are served only while this
 * process is listening and its heartbeats come back (HEARTBEAT_MS): when the listening
 * connection is lost, or silently stops hearing, notifications may be lost with it, so the cache
 * empties and every key is looked up until listening resumes. A lookup that was running when a notification arrived may have read
 * the row before the change: its answer is used once and not kept (`generation`). Only keys that
 * resolved are kept; an unknown key is looked up every time, so a new key works at once.
 */
@Injectable()
export class ApiKeyCache implements OnModuleDestroy {
  private readonly logger = new Logger('api-keys');
  private readonly entries = new Map<string, Principal>();
  /** Moves on every change heard and every loss of the connection: answers read before it are not kept. */
  private generation = 0;
  private client: Client | undefined;
  private listening = false;
  private starting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** When this connection last heard its own heartbeat. */
  private heard = 0;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The principal of a key by its hash: from memory when it resolved lately, else from `load`. */
  async resolve(hash: string, load: () => Promise<Principal | undefined>): Promise<Principal | undefined> {
    if (!this.listening) this.listen();
    const known = this.listening ? this.entries.get(hash) : undefined;
    if (known) {
      // Least recently used first out: a key in use moves to the back.
      this.keep(hash, known);
      return known;
    }
    const generation = this.generation;
    const principal = await load();
    if (principal && this.listening && generation === this.generation) this.keep(hash, principal);
    return principal;
  }

  /** Forgets every key: a change this process made is not waited for from the database. */
  forgetAll(): void {
    this.entries.clear();
    this.generation++;
  }

  /** Served entries, for tests and metrics. */
  get size(): number {
    return this.entries.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.stopListening();
    // Ended first, so a connection still being made (a database out of reach) does not hold the shutdown.
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.starting?.catch(() => undefined);
  }

  private keep(hash: string, principal: Principal): void {
    this.entries.delete(hash);
    this.entries.set(hash, principal);
    // A Map iterates in insertion order: the least recently resolved go first.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(oldest);
    }
  }

  /** Starts listening, once at a time; processes that never see a key (workers) never connect. */
  private listen(): void {
    if (this.starting || this.closed || this.retry || !this.config.databaseUrl) return;
    this.starting = this.connect().then(
      () => {
        this.starting = undefined;
      },
      (error: unknown) => {
        this.starting = undefined;
        this.lost(error);
      },
    );
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: KEY_CHANGES_LISTENER, keepAlive: true, connectionTimeoutMillis: HEARD_WITHIN_MS, query_timeout: HEARD_WITHIN_MS });
    this.client = client;
    client.on('error', (error) => this.lost(error));
    client.on('end', () => this.lost(new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== KEY_CHANGES_CHANNEL) return;
      if (n.payload === HEARTBEAT_PAYLOAD) {
        this.heard = Date.now();
        return;
      }
      this.forgetAll();
    });
    await client.connect();
    await client.query(`LISTEN ${KEY_CHANGES_CHANNEL}`);
    if (this.closed || this.client !== client) return;
    // Whatever changed before LISTEN took effect was never heard: start from nothing.
    this.forgetAll();
    this.listening = true;
    this.heard = Date.now();
    this.beat(client);
  }

  /** Every HEARTBEAT_MS: notify the channel from this connection and expect to hear it back. */
  private beat(client: Client): void {
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => {
      if (this.client !== client || !this.listening) return;
      const sent = Date.now();
      client.query(`SELECT pg_notify('${KEY_CHANGES_CHANNEL}', '${HEARTBEAT_PAYLOAD}')`).catch((error: unknown) => this.lost(error));
      this.heartbeat = setTimeout(() => {
        if (this.client !== client) return;
        if (this.heard < sent) this.lost(new Error(`own notification not heard within ${HEARD_WITHIN_MS} ms`));
        else this.beat(client);
      }, HEARD_WITHIN_MS);
      this.heartbeat.unref();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private lost(error: unknown): void {
    this.stopListening();
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    void client?.end().catch(() => undefined);
    if (this.closed || this.retry) return;
    this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'not hearing key changes; every key is looked up until listening resumes');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.listen();
    }, RELISTEN_MS);
    this.retry.unref();
  }

  private stopListening(): void {
    this.listening = false;
    clearTimeout(this.heartbeat);
    this.forgetAll();
  }
}
