import { daysBetween } from '../core/clock';

/** BullMQ priority from due-date slack: an order due sooner is matched first (1 = highest). */
export function matchPriority(today: string, dueDate: string): number {
  return Math.min(Math.max(daysBetween(today, dueDate), 0), 2_000) + 1;
}

/** The largest `matchPriority`: whatever their due dates, woken orders come after it. */
const LOWEST_FRESH = 2_001;

/**
 * Orders woken by new capacity had their plan already and may well stay unmatched: they queue
 * behind every order posted or released (their priorities are all higher), soonest due first,
 * so a wake-up of thousands never holds up another brand's new order.
 */
export function wakePriority(today: string, dueDate: string): number {
  return LOWEST_FRESH + matchPriority(today, dueDate);
}
