import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { Client } from 'pg';
import type { Principal } from './principal';

/** The channel the database notifies on every change that can end a key's access (migration 1765492000000). */
export const KEY_CHANGES_CHANNEL = 'api_key_changes';

/** Keys that resolved lately, at most this many; a busy API sees far fewer distinct keys. */
const MAX_ENTRIES = 10_000;
/** After the listening connection is lost, the next try to listen again. */
const RELISTEN_MS = 1_000;

/**
 * The API keys that resolved lately (by their SHA-256), so that a request with a known key
 * needs no lookup: every request used to make a round trip to PostgreSQL before its own work.
 *
 * Revocation stays immediate. A trigger notifies `KEY_CHANGES_CHANNEL` on any change of
 * `api_keys` (revoked, deleted) or of an organization's `active` or `kind`, and every API
 * process listening empties its cache when the notification arrives, which PostgreSQL sends as
 * the change commits; the process that revoked a key also forgets at once, before it answers.
 * Entries are served only while this process is listening: when the listening connection is
 * lost, notifications may be lost with it, so the cache empties and every key is looked up
 * until listening resumes. A lookup that was running when a notification arrived may have read
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
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The principal of a key by its hash: from memory when it resolved lately, else from `load`. */
  async resolve(hash: string, load: () => Promise<Principal | undefined>): Promise<Principal | undefined> {
    if (!this.listening) this.listen();
    const known = this.listening ? this.entries.get(hash) : undefined;
    if (known) return known;
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
    await this.starting?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
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
    const client = new Client({ connectionString: this.config.databaseUrl });
    this.client = client;
    client.on('error', (error) => this.lost(error));
    client.on('end', () => this.lost(new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel === KEY_CHANGES_CHANNEL) this.forgetAll();
    });
    await client.connect();
    await client.query(`LISTEN ${KEY_CHANGES_CHANNEL}`);
    if (this.closed || this.client !== client) return;
    // Whatever changed before LISTEN took effect was never heard: start from nothing.
    this.forgetAll();
    this.listening = true;
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
    this.forgetAll();
  }
}
