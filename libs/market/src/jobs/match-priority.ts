import { daysBetween } from '../core/clock';

/** BullMQ priority from due-date slack: an order due sooner is matched first (1 = highest). */
export function matchPriority(today: string, dueDate: string): number {
  return Math.min(Math.max(daysBetween(today, dueDate), 0), 2_000) + 1;
}
