import type { OrganizationKind } from '@cloudloom/persistence';

/** Who reads a stream: operators see every event whole, others only events addressed to them. */
export interface Viewer {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The payload of an event as `viewer` may see it. One event row serves every party of an order,
 * but a split order's factories compete with each other: a factory sees only its own share of
 * `order.matched` (its allocations) and of `order.cancelled` (the allocations released from it),
 * never another factory's id, line, allocation or quantity. Shaped on the way out, so replays of
 * rows written before this rule are shaped the same; a row that does not say whose an allocation
 * is shows a factory nothing of it (closed by default). `releasedByFactory` is bookkeeping for
 * this function and is never sent.
 */
export function payloadFor(type: string, payload: Record<string, unknown>, viewer: Viewer): Record<string, unknown> {
  if (type === 'order.matched') {
    const allocations = Array.isArray(payload.allocations) ? (payload.allocations as unknown[]) : [];
    if (viewer.kind !== 'factory') return payload;
    return { ...payload, allocations: allocations.filter((a) => isRecord(a) && a.factoryId === viewer.organizationId) };
  }
  if (type === 'order.cancelled') {
    const { releasedByFactory, ...rest } = payload;
    if (viewer.kind !== 'factory') return rest;
    const own = isRecord(releasedByFactory) ? releasedByFactory[viewer.organizationId] : undefined;
    return { ...rest, released: Array.isArray(own) ? own.filter((id): id is string => typeof id === 'string') : [] };
  }
  return payload;
}

/** Whether `payloadFor` may change this event's payload for this viewer (most go out as stored). */
export function shapedFor(type: string, viewer: Viewer): boolean {
  return type === 'order.cancelled' || (type === 'order.matched' && viewer.kind === 'factory');
}

/** The stored payload of `order.cancelled`: every released id for the brand, and whose each was. */
export function cancelledPayload(orderId: string, released: readonly { id: string; factoryId: string }[]): Record<string, unknown> {
  const releasedByFactory: Record<string, string[]> = {};
  for (const a of released) (releasedByFactory[a.factoryId] ??= []).push(a.id);
  return { orderId, released: released.map((a) => a.id), releasedByFactory };
}
