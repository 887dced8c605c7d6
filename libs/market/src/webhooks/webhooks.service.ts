import { Inject, Injectable } from '@nestjs/common';
import { type EventType, WEBHOOK_EVENTS } from '@cloudloom/contracts';
import { type AppConfig, APP_CONFIG, DomainError, invalid, notFound } from '@cloudloom/platform';
import { isUuid } from '../core/ids';
import type { Principal } from '../identity/principal';
import { parseTarget, resolveTarget, TargetRefused } from './webhook-target';
import { newSecret } from './webhook-signature';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { type DeliveryRow, type SubscriptionRow, WebhooksRepository } from './webhooks.repository';
import type { CreatedWebhookView, WebhookDeliveryListView, WebhookDeliveryView, WebhookListView, WebhookView } from './webhook.view';

/** Enough for an ERP, a chat bridge and a few spares; each costs a row per event it hears. */
const MAX_WEBHOOKS = 20;
const PAGE = 50;
/** A name that does not answer this fast is saved unchecked: every delivery checks it again. */
const SAVE_RESOLVE_MS = 3_000;

type Cursor = { readonly c: string; readonly i: string };
const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.c === 'string' && !Number.isNaN(Date.parse(parsed.c)) && typeof parsed.i === 'string' && isUuid(parsed.i)) return { c: parsed.c, i: parsed.i };
  } catch {
    // falls through to the field error
  }
  throw invalid('cursor', "must be a page's nextCursor");
}

/** Subscriptions of the calling organization and their delivery log (DESIGN.md §11). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, dto: CreateWebhookDto): Promise<CreatedWebhookView> {
    const events = this.checkEvents(principal, dto.events);
    const url = await this.checkUrl(dto.url);
    if ((await this.repository.list(principal.organizationId)).length >= MAX_WEBHOOKS) {
      throw new DomainError('CONFLICT', `An organization may have at most ${MAX_WEBHOOKS} webhooks: delete one first`);
    }
    const secret = newSecret();
    const row = await this.repository.create({ organizationId: principal.organizationId, organizationKind: principal.kind, url, events, secret });
    return { ...view(row), secret };
  }

  async list(principal: Principal): Promise<WebhookListView> {
    return { items: (await this.repository.list(principal.organizationId)).map(view) };
  }

  async get(principal: Principal, id: string): Promise<WebhookView> {
    return view(await this.owned(principal, id));
  }

  async update(principal: Principal, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    await this.owned(principal, id);
    const change = {
      ...(dto.events !== undefined ? { events: this.checkEvents(principal, dto.events) } : {}),
      ...(dto.url !== undefined ? { url: await this.checkUrl(dto.url) } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
    };
    const row = await this.repository.update(principal.organizationId, id, change);
    if (!row) throw notFound('Webhook');
    return view(row);
  }

  /** A new secret, shown once; deliveries from now on are signed with it (pending ones too). */
  async rotateSecret(principal: Principal, id: string): Promise<CreatedWebhookView> {
    await this.owned(principal, id);
    const secret = newSecret();
    const row = await this.repository.update(principal.organizationId, id, { secret });
    if (!row) throw notFound('Webhook');
    return { ...view(row), secret };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.repository.delete(principal.organizationId, id))) throw notFound('Webhook');
  }

  async deliveries(principal: Principal, id: string, cursor?: string): Promise<WebhookDeliveryListView> {
    const before = cursor ? decodeCursor(cursor) : undefined;
    await this.owned(principal, id);
    const rows = await this.repository.deliveries(id, PAGE + 1, before ? { createdAt: before.c, id: before.i } : undefined);
    const page = rows.slice(0, PAGE);
    const items = await this.withLog(page);
    const last = page.at(-1);
    return { items, ...(rows.length > PAGE && last ? { nextCursor: encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) } : {}) };
  }

  /** Due again now, whatever its state, with a fresh 24 h of retries. */
  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.owned(principal, id);
    if (!isUuid(deliveryId) || !(await this.repository.redeliver(id, deliveryId))) throw notFound('Delivery');
    const row = await this.repository.delivery(id, deliveryId);
    if (!row) throw notFound('Delivery');
    return (await this.withLog([row]))[0]!;
  }

  private async owned(principal: Principal, id: string): Promise<SubscriptionRow> {
    const row = isUuid(id) ? await this.repository.get(principal.organizationId, id) : undefined;
    if (!row) throw notFound('Webhook');
    return row;
  }

  /** Only the events this kind of organization can be a party to (the feed's audience decides which of them reach it). */
  private checkEvents(principal: Principal, events: readonly EventType[]): EventType[] {
    const allowed = WEBHOOK_EVENTS[principal.kind];
    const foreign = events.filter((e) => !allowed.includes(e));
    if (foreign.length > 0) throw invalid('events', `${foreign.join(', ')} ${foreign.length === 1 ? 'is not an event' : 'are not events'} a ${principal.kind} receives; choose from ${allowed.join(', ')}`);
    return [...events];
  }

  /**
   * The target's form, and its address: a literal, or every address the name resolves to now,
   * must be public (unless WEBHOOK_ALLOW_PRIVATE). A name that does not resolve yet is accepted:
   * each delivery resolves and checks it again before connecting.
   */
  private async checkUrl(raw: string): Promise<string> {
    try {
      const url = parseTarget(raw);
      await Promise.race([resolveTarget(url, this.config.webhooks.allowPrivate).catch((error: unknown) => {
        if (error instanceof TargetRefused) throw error;
      }), new Promise((settle) => setTimeout(settle, SAVE_RESOLVE_MS).unref())]);
      return url.toString();
    } catch (error) {
      if (error instanceof TargetRefused) throw invalid('url', `The webhook address ${error.message}`);
      throw error;
    }
  }

  private async withLog(rows: readonly DeliveryRow[]): Promise<WebhookDeliveryView[]> {
    const logs = await this.repository.attempts(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      webhookId: r.subscriptionId,
      eventId: r.eventId,
      eventType: r.eventType,
      status: r.status,
      attempts: r.attempts,
      ...(r.status === 'pending' ? { nextAttemptAt: r.nextAttemptAt.toISOString() } : {}),
      ...(r.deliveredAt ? { deliveredAt: r.deliveredAt.toISOString() } : {}),
      createdAt: r.createdAt.toISOString(),
      log: logs.get(r.id) ?? [],
    }));
  }
}

function view(row: SubscriptionRow): WebhookView {
  return { id: row.id, url: row.url, events: row.events, active: row.active, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
