import { EVENT_TYPES, type EventType } from './events';

/** Counters and messages: both parties of an offer hear them. */
const OFFER_TERMS_EVENTS: readonly EventType[] = ['offer.countered', 'offer.counter_accepted', 'offer.counter_declined', 'offer.counter_lapsed', 'offer.message'];

/**
 * The events an organization may subscribe its webhooks to: those it can be a party to (the
 * audience rules of the feed decide, per event, whether it is). A brand hears of its orders and
 * their offers; a factory of its offers, its work and its lines; the operator of everything, the radar's alerts included.
 */
export const WEBHOOK_EVENTS: { readonly [K in 'brand' | 'factory' | 'operator']: readonly EventType[] } = {
  brand: [
    'order.posted', 'order.matched', 'order.unmatched', 'order.partial', 'order.confirmed', 'order.in_production', 'order.completed',
    'order.cancelled', 'order.expired', 'offer.created', 'offer.accepted', 'offer.rejected', 'offer.expired', 'allocation.progress',
    'allocation.replanned', 'order.awaiting_approval', 'order.price_approved', 'order.price_declined',
    ...OFFER_TERMS_EVENTS,
  ],
  factory: ['order.matched', 'order.cancelled', 'offer.created', 'offer.accepted', 'offer.rejected', 'offer.expired', 'allocation.progress', 'allocation.replanned', 'line.changed', ...OFFER_TERMS_EVENTS],
  // Every type, new ones (alert.raised, alert.cleared) included: the operator is in every audience.
  operator: EVENT_TYPES,
};

/** A subscription as the API shows it; its secret only in the answer that makes or rotates it. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly EventType[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One try at a delivery: what the receiver answered, never its body beyond a short snippet. */
export interface WebhookAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly statusCode?: number;
  readonly durationMs: number;
  /** Absent on a 2xx; else `http_status`, `timeout`, `connection`, `refused_target`, `too_large`, `dns`. */
  readonly errorClass?: string;
  readonly responseSnippet?: string;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: EventType;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt?: string;
  readonly deliveredAt?: string;
  readonly createdAt: string;
  readonly log: readonly WebhookAttempt[];
}
