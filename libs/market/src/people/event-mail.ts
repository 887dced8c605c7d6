import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { Mailer } from '../mail/mailer';
import { eventMail } from '../mail/templates';
import { consoleLink } from './sessions.service';
import type { Locale } from './people.repository';

/** How often the notifier looks for new events, and how old an event must be to be taken (see below). */
const EVERY_MS = 1_000;
const SETTLED_MS = 3_000;
const BATCH = 500;

interface Delivery {
  eventId: string;
  type: string;
  orderId: string | null;
  createdAt: Date;
  email: string;
  locale: Locale;
}

/**
 * Mails each event to the people who asked for its type (`notify`) and may see it (their
 * organization is in its audience; operators see all), in their language. It follows the
 * events table from a cursor (`mail_cursor`) after the events are committed, so no request
 * waits for mail, and it is independent of the webhooks' queue.
 *
 * One process at a time: the cursor row is locked (SKIP LOCKED, so other workers simply skip a
 * turn). An event id is taken at insert and visible at commit, so only events older than 3 s are
 * taken (a transaction open longer than that when it commits could be missed). The cursor moves
 * after the batch's mails were handed to SMTP; a crash in between sends those again (at least
 * once). A mail the server refuses is logged and skipped, so one bad address holds nobody up.
 */
@Injectable()
export class EventMail implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('event-mail');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .then(() => undefined, (error: unknown) => this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'event mail round failed'))
        .finally(() => (this.running = undefined));
    }, EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: the settled events after the cursor, mailed to their subscribers, then the cursor moved past them. */
  async tick(): Promise<number> {
    return this.db.transaction(async (m) => {
      const [cursor] = await m.query<{ last: string }[]>(`SELECT last_event_id::text AS last FROM mail_cursor FOR UPDATE SKIP LOCKED`);
      if (!cursor) return 0;
      const [range] = await m.query<{ upTo: string | null }[]>(
        `SELECT max(id)::text AS "upTo" FROM (SELECT id FROM events WHERE id > $1 AND created_at < now() - make_interval(secs => $2) ORDER BY id LIMIT $3) AS e`,
        [cursor.last, SETTLED_MS / 1000, BATCH],
      );
      if (!range?.upTo) return 0;
      const deliveries = await m.query<Delivery[]>(
        `SELECT e.id::text AS "eventId", e.type, e.order_id AS "orderId", e.created_at AS "createdAt", p.email, p.locale
         FROM events e JOIN people p ON e.type = ANY(p.notify) AND p.password_hash IS NOT NULL
           AND (p.kind = 'operator' OR p.organization_id = ANY(e.audience))
         WHERE e.id > $1 AND e.id <= $2 ORDER BY e.id, p.id`,
        [cursor.last, range.upTo],
      );
      for (const d of deliveries) {
        await this.mailer
          .send(eventMail(d.email, d.locale, d.type, d.orderId, d.createdAt, consoleLink(this.config, d.orderId ? `orders/${d.orderId}` : '')))
          .catch((error: unknown) => this.logger.warn({ event: d.eventId, err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'event mail not sent'));
      }
      await m.query(`UPDATE mail_cursor SET last_event_id = $1`, [range.upTo]);
      return deliveries.length;
    });
  }
}
