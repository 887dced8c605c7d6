import { type EventType, payloadFor, shapedFor, type StoredEventPayloads, type Viewer } from '@cloudloom/contracts';
import type { Response } from 'express';
import type { EventsFeed, FeedEvent } from './events.feed';

/** Events read from the table per page while a stream catches up. */
export const REPLAY_PAGE = 500;
/** Live events held for a stream that is busy writing; past this it catches up from the table instead. */
const MAX_QUEUED = 2_000;
/** A backstop: ids remembered to drop the feed's re-reads are pruned far sooner (see `remember`). */
const RECENT_IDS = 10_000;
/** A client that reads nothing this long is let go, so a stalled socket does not hold its slot forever. */
export const STALL_MS = 60_000;
const HEARTBEAT_MS = 15_000;

/**
 * One `GET /events` stream with flow control. The events table is the feed: a stream that is
 * behind (a replay from Last-Event-ID, or a client too slow for the live events) reads it page by
 * page, and writes the next page only once the socket has taken the last one ('drain'). So a
 * stream holds at most one page, a bounded queue of live events and a bounded set of recent ids,
 * whatever the table holds and however slowly the client reads; and every await is followed by a
 * check that the client is still there, so a closed socket stops the work at once.
 */
export class FeedStream {
  private sent: bigint;
  private readonly recent = new Set<string>();
  private queue: FeedEvent[] = [];
  /** The poll floor of the oldest batch in `queue`: every queued id is above it. */
  private queueFloor: bigint | undefined;
  /** Reading from the table: a replay, or a live queue that overflowed. */
  private catchingUp = true;
  private closed = false;
  /** Set while the stream waits for live events; the poller and finish() call it. */
  private wake: (() => void) | undefined;
  /** Set while the stream waits for 'drain'; only finish() calls it (new events must not hurry a full socket). */
  private unblock: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: Response,
    private readonly feed: EventsFeed,
    private readonly viewer: Viewer,
    /** Events up to here are not sent: the client has them (Last-Event-ID) or asked only for new ones. */
    private readonly start: bigint,
    private readonly onClose: () => void,
  ) {
    this.sent = start;
    res.on('close', () => this.finish());
    this.heartbeat = setInterval(() => {
      // A socket still full needs no keep-alive; writing more would only grow its buffer.
      if (!this.res.writableNeedDrain) this.res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
  }

  /** The feed's poller calls this with every new batch, on every stream. */
  readonly onLive = (events: readonly FeedEvent[], floor: bigint): void => {
    if (this.closed) return;
    const before = this.queue.length;
    for (const e of events) if (this.visible(e)) this.queue.push(e);
    if (this.queue.length > before) this.queueFloor ??= floor;
    if (this.queue.length > MAX_QUEUED) {
      // The table has them all: catch up from there rather than hold an unbounded backlog.
      this.queue = [];
      this.queueFloor = undefined;
      this.catchingUp = true;
    }
    this.wake?.();
  };

  /** Ends the stream from the server's side (a revoked key, shutdown). */
  end(): void {
    if (this.closed) return;
    // A socket with unsent data would wait for a client that may never read: drop it outright.
    if (this.res.writableNeedDrain) this.res.destroy();
    else this.res.end();
    this.finish();
  }

  /** Writes until the client leaves or the stream is ended. */
  async run(): Promise<void> {
    while (!this.closed) {
      if (this.catchingUp) await this.nextPage();
      else if (this.queue.length > 0) this.writeQueue();
      else {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await this.drained();
    }
  }

  /** One page from the table. Its own function, so the page is garbage while the socket drains. */
  private async nextPage(): Promise<void> {
    const page = await this.feed.replay(this.sent, this.viewer.kind === 'operator' ? undefined : this.viewer.organizationId, REPLAY_PAGE, () => this.closed);
    if (this.closed) return;
    this.write(page);
    if (page.length < REPLAY_PAGE) this.catchingUp = false;
  }

  private writeQueue(): void {
    const batch = this.queue;
    this.queue = [];
    this.write(batch);
    this.queueFloor = undefined;
  }

  private visible(e: FeedEvent): boolean {
    return BigInt(e.id) > this.start && (this.viewer.kind === 'operator' || e.audience.includes(this.viewer.organizationId));
  }

  /** The events not sent yet, as one chunk: one write per page, not one per event. */
  private write(events: readonly FeedEvent[]): void {
    const floor = this.pruneRecent();
    let chunk = '';
    for (const e of events) {
      if (!this.visible(e) || this.recent.has(e.id)) continue;
      const id = BigInt(e.id);
      if (id > this.sent) this.sent = id;
      // Only an id above the floor can come again from the poller; older ones need no memory.
      if (id > floor) this.recent.add(e.id);
      // The stored JSON text goes out as it is unless this viewer sees a part of it: a replay of
      // thousands of events then parses and rebuilds nothing.
      const type = e.type as EventType;
      const payload = shapedFor(type, this.viewer) ? JSON.stringify(payloadFor(type, JSON.parse(e.payload) as StoredEventPayloads[EventType], this.viewer)) : e.payload;
      const data = `{"id":"${e.id}","type":${JSON.stringify(e.type)},"orderId":${JSON.stringify(e.orderId)},"payload":${payload},"createdAt":"${e.createdAt.toISOString()}"}`;
      chunk += `id: ${e.id}\nevent: ${e.type}\ndata: ${data}\n\n`;
    }
    if (this.recent.size > RECENT_IDS) for (const old of [...this.recent].slice(0, RECENT_IDS / 2)) this.recent.delete(old);
    if (chunk !== '') this.res.write(chunk);
  }

  /**
   * Forgets the ids no poll can bring again: those at or below the floor of the oldest queued
   * batch, or of the feed's next poll when nothing is queued. Returns that floor.
   */
  private pruneRecent(): bigint {
    const floor = this.queueFloor ?? this.feed.floor ?? this.sent;
    for (const id of this.recent) if (BigInt(id) <= floor) this.recent.delete(id);
    return floor;
  }

  /** Resolves when the socket has room again, or the stream is closed; a client stalled too long is let go. */
  private drained(): Promise<void> {
    if (!this.res.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const stall = setTimeout(() => this.end(), STALL_MS);
      const done = (): void => {
        clearTimeout(stall);
        this.res.off('drain', done);
        this.unblock = undefined;
        resolve();
      };
      this.res.once('drain', done);
      this.unblock = done;
    });
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.queue = [];
    this.recent.clear();
    this.wake?.();
    this.unblock?.();
    this.onClose();
  }
}
