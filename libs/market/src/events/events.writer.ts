import { Injectable } from '@nestjs/common';
import type { EventType, StoredEventPayloads } from '@cloudloom/contracts';
import type { EntityManager } from 'typeorm';
import { currentActor } from '../core/actor';

/**
 * An event about to be written: its type and payload as `@cloudloom/contracts` defines them, so
 * what the server writes is what the console and every feed reader read (through `payloadFor`,
 * which shapes a stored payload for each viewer).
 */
export type DomainEvent = {
  readonly [T in EventType]: {
    readonly type: T;
    readonly orderId?: string;
    /** Organizations that may see the event; operators see all. */
    readonly audience: readonly string[];
    readonly payload: StoredEventPayloads[T];
  };
}[EventType];

/**
 * The INSERT of events given as one JSON parameter (see `eventsParameter`): one round trip for
 * any number of events. Exposed so a statement that makes a change can write its events in the
 * same statement (a data-modifying WITH), which is atomic without a transaction of its own.
 * `where` filters the events by the columns of `x` (say, only those of orders a statement kept).
 */
export function insertEvents(parameter: string, where?: string): string {
  return `INSERT INTO events (type, order_id, audience, payload, actor) SELECT x.type, x.order_id, ARRAY(SELECT jsonb_array_elements_text(x.audience))::uuid[], x.payload, x.actor
       FROM jsonb_to_recordset(${parameter}::jsonb) AS x(type text, order_id uuid, audience jsonb, payload jsonb, actor text)${where ? ` WHERE ${where}` : ''}`;
}

/**
 * The INSERT of the events a SELECT of (type, order_id, audience, payload) makes: the events
 * table's columns written once. The request's actor is added as a literal: it is one of the
 * shapes `Actor` allows (checked here and by the column's CHECK), never text a caller chose.
 */
export function insertEventsFrom(select: string): string {
  const actor = currentActor();
  if (actor !== null && !ACTOR.test(actor)) throw new Error('malformed actor');
  return `INSERT INTO events (type, order_id, audience, payload, actor) SELECT s.*, ${actor === null ? 'NULL::text' : `'${actor}'`} FROM (${select}) AS s`;
}

const ACTOR = /^(?:(?:person|key):[0-9a-f-]{36}|operator)$/;

/** The events as one JSON parameter, each with the actor of the request writing them (none for the platform's own work). */
export function eventsParameter(events: readonly DomainEvent[]): string {
  const actor = currentActor();
  return JSON.stringify(events.map((e) => ({ type: e.type, order_id: e.orderId ?? null, audience: [...new Set(e.audience)], payload: e.payload, actor })));
}

/** Appends events inside the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class EventsWriter {
  async append(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(insertEvents('$1'), [eventsParameter(events)]);
  }
}
