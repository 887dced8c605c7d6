import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, DomainError } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import type { Principal } from '../identity/principal';

/** How often open streams' keys are checked again: a revoked key's streams end within this (plus a query). */
export const CREDENTIAL_CHECK_MS = 2_000;

/** An open stream as the registry sees it: who holds it, and how to end it. */
export interface StreamLease {
  readonly principal: Principal;
  /** Ends the stream (the key was revoked, or the process is stopping). */
  readonly end: (reason: string) => void;
}

/**
 * The open event streams of this process. Each holds a socket, a poll subscription and a
 * database page at a time, so one organization may hold only a few (a 429 past the cap), and a
 * stream lives no longer than the key that opened it: every few seconds the keys of open
 * streams are looked up again, in the database every API process shares, so a key revoked
 * through any process (or an organization deactivated) ends its streams in every process.
 */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly logger = new Logger('event-streams');
  private readonly open = new Set<StreamLease>();
  private readonly perOrganization = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Streams open in this process (the cloudloom_event_streams gauge). */
  get size(): number {
    return this.open.size;
  }

  /** Registers a stream, or refuses it (429) when its organization holds the most it may. */
  lease(principal: Principal, end: (reason: string) => void): { release: () => void } {
    const cap = this.config.security.eventStreamsPerOrganization;
    const held = this.perOrganization.get(principal.organizationId) ?? 0;
    if (held >= cap) {
      throw new DomainError('RATE_LIMITED', `An organization may hold at most ${cap} open event streams: close one first`);
    }
    const lease: StreamLease = { principal, end };
    this.open.add(lease);
    this.perOrganization.set(principal.organizationId, held + 1);
    this.timer ??= setInterval(() => void this.checkCredentials(), CREDENTIAL_CHECK_MS);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open.delete(lease);
        const left = (this.perOrganization.get(principal.organizationId) ?? 1) - 1;
        if (left > 0) this.perOrganization.set(principal.organizationId, left);
        else this.perOrganization.delete(principal.organizationId);
        if (this.open.size === 0) this.stopTimer();
      },
    };
  }

  /**
   * One query for every open stream's key. The operator's key is not stored (it lives as long
   * as the process's configuration), so only stored keys are checked.
   */
  private async checkCredentials(): Promise<void> {
    if (this.checking) return;
    const keyed = [...this.open].filter((l) => l.principal.keyId !== undefined);
    if (keyed.length === 0) return;
    this.checking = true;
    try {
      const ids = [...new Set(keyed.map((l) => l.principal.keyId!))];
      const rows: { id: string }[] = await this.db.query(
        `SELECT k.id FROM api_keys k JOIN organizations o ON o.id = k.organization_id
         WHERE k.id = ANY($1::uuid[]) AND k.revoked_at IS NULL AND o.active`,
        [ids],
      );
      const valid = new Set(rows.map((r) => r.id));
      for (const lease of keyed) if (!valid.has(lease.principal.keyId!)) lease.end('key revoked');
    } catch (error) {
      // The database may be restarting: streams stay open until a check succeeds.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'event stream key check failed');
    } finally {
      this.checking = false;
    }
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onModuleDestroy(): void {
    for (const lease of [...this.open]) lease.end('shutting down');
    this.stopTimer();
  }
}
