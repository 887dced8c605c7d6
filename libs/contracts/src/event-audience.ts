import type { EventPayloads, EventType } from './events';

/**
 * What an event row stores where it differs from what the feed sends. `order.cancelled` keeps
 * whose each released allocation was, so each factory can be sent only its own; this field is
 * never sent. Rows written before it existed lack it.
 */
export type StoredEventPayloads = Omit<EventPayloads, 'order.cancelled'> & {
  'order.cancelled': EventPayloads['order.cancelled'] & { readonly releasedByFactory?: Readonly<Record<string, readonly string[]>> };
};

/** Who reads a feed: the operator sees every event whole, others the events addressed to them. */
export interface Viewer {
  readonly organizationId: string;
  readonly kind: 'brand' | 'factory' | 'operator';
}

/**
 * The payload of an event as `viewer` may see it. One event row serves every party of an order,
 * but a split order's factories compete with each other: a factory sees only its own share of
 * `order.matched` (its allocations) and of `order.cancelled` (the allocations released from it),
 * never another factory's id, line, allocation or quantity. Applied on the way out, so replays
 * of rows written before this rule are shaped the same; a row that does not say whose an
 * allocation was shows a factory none (closed by default).
 */
export function payloadFor<T extends EventType>(type: T, stored: StoredEventPayloads[T], viewer: Viewer): EventPayloads[T];
export function payloadFor(type: EventType, stored: StoredEventPayloads[EventType], viewer: Viewer): EventPayloads[EventType] {
  if (type === 'order.matched' && viewer.kind === 'factory') {
    const matched = stored as EventPayloads['order.matched'];
    return { ...matched, allocations: matched.allocations.filter((a) => a.factoryId === viewer.organizationId) };
  }
  if (type === 'order.cancelled') {
    const { releasedByFactory, ...sent } = stored as StoredEventPayloads['order.cancelled'];
    if (viewer.kind !== 'factory') return sent;
    return { ...sent, released: releasedByFactory?.[viewer.organizationId] ?? [] };
  }
  return stored;
}

/** Whether `payloadFor` may change this type's payload for this viewer (most go out as stored). */
export function shapedFor(type: EventType, viewer: Viewer): boolean {
  return type === 'order.cancelled' || (type === 'order.matched' && viewer.kind === 'factory');
}

/** The stored payload of `order.cancelled`: every released id for the brand, and whose each was. */
export function cancelledPayload(orderId: string, released: readonly { id: string; factoryId: string }[]): StoredEventPayloads['order.cancelled'] {
  const releasedByFactory: Record<string, string[]> = {};
  for (const a of released) (releasedByFactory[a.factoryId] ??= []).push(a.id);
  return { orderId, released: released.map((a) => a.id), releasedByFactory };
}
