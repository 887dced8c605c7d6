import type { QueueBackend } from '@cloudloom/platform';

/**
 * How long capacity changes of one line are gathered into one wake-up. A factory toggling a day's
 * availability many times a second (inside its rate limit) used to re-queue the line's unmatched
 * orders on every change, and another brand's fresh orders waited seconds behind them; now a line
 * wakes its orders at most once per window, at the window's end.
 */
export const WAKE_WINDOW_MS = 2_000;

/**
 * Queues the `capacity-changed` wake-up of a line, coalesced: its job id carries the window, so
 * every change within one window adds one job (BullMQ ignores an id it holds), delayed to the
 * window's end. A change arriving while a window's job already runs belongs to the next window,
 * so it is never lost.
 */
export async function enqueueCapacityWake(queues: QueueBackend, lineId: string, nowMs = Date.now()): Promise<void> {
  const window = Math.floor(nowMs / WAKE_WINDOW_MS);
  await queues.enqueue({ name: 'capacity-changed', data: { lineId, window } }, { delayMs: (window + 1) * WAKE_WINDOW_MS - nowMs });
}
