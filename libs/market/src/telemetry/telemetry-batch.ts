import { DomainError, type FieldError } from '@cloudloom/platform';
import { MACHINE_STATES, type MachineState } from '@cloudloom/persistence';

export const MAX_READINGS = 5000;
/** A gateway's clock may run a little ahead; a reading further in the future would pin a machine's state. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
const MAX_PICKS = 1_000_000_000;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;

/**
 * An ISO 8601 instant as milliseconds, or NaN. Strict: `Date.parse` rolls impossible dates over
 * (`2026-02-30` became 2 March), so every field is checked against the calendar first.
 */
export function parseInstant(text: unknown): number {
  const m = typeof text === 'string' ? ISO_INSTANT.exec(text) : null;
  if (!m) return NaN;
  // Absent parts (seconds, a `Z` offset) are 0.
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1, 9).map((f) => Number(f ?? 0)) as [number, number, number, number, number, number, number, number];
  // setUTCFullYear, not Date.UTC: that one reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return NaN;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return NaN;
  return Date.parse(m[0]);
}
const EXTERNAL_ID = /^[\x21-\x7e]{1,100}$/;
const READING_KEYS = new Set(['machineId', 'at', 'state', 'picks']);

export interface Reading {
  readonly machineId: string;
  readonly at: Date;
  readonly state: MachineState;
  readonly picks: number | null;
}

/**
 * Checks a gateway's batch in one pass. Thousands of readings go beyond the generic input
 * limits (2,000 values) and class-validator's per-object cost, so this route reads its body
 * itself and is at least as strict: exact keys, types, bounds; every bad field is named by index.
 */
export function parseTelemetryBatch(body: unknown, now: Date, maxAgeDays: number): Reading[] {
  const fail = (errors: FieldError[]): DomainError => new DomainError('VALIDATION_FAILED', `Invalid request: ${errors.slice(0, 5).map((e) => e.field).join(', ')}`, errors.slice(0, 100));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail([{ field: 'body', message: 'must be a JSON object' }]);
  const extra = Object.keys(body).filter((k) => k !== 'readings');
  if (extra.length > 0) throw fail(extra.map((field) => ({ field, message: 'is not allowed' })));
  const list = (body as { readings?: unknown }).readings;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_READINGS) {
    throw fail([{ field: 'readings', message: `must be a list of 1 to ${MAX_READINGS} readings` }]);
  }
  const errors: FieldError[] = [];
  const readings: Reading[] = [];
  const latest = now.getTime() + MAX_CLOCK_SKEW_MS;
  // Older readings would only land in days the retention drops (a year-0001 reading was stored).
  const oldest = now.getTime() - maxAgeDays * DAY_MS;
  list.forEach((item: unknown, i) => {
    const at = `readings.${i}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void errors.push({ field: at, message: 'must be an object' });
    const r = item as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!READING_KEYS.has(key)) errors.push({ field: `${at}.${key.slice(0, 40)}`, message: 'is not allowed' });
    const { machineId, state, picks } = r;
    if (typeof machineId !== 'string' || !EXTERNAL_ID.test(machineId)) errors.push({ field: `${at}.machineId`, message: 'must be an external id of 1-100 visible ASCII characters' });
    const time = parseInstant(r.at);
    if (Number.isNaN(time)) errors.push({ field: `${at}.at`, message: 'must be a real date and time in ISO 8601 with a time zone' });
    else if (time > latest) errors.push({ field: `${at}.at`, message: 'must not be in the future' });
    else if (time < oldest) errors.push({ field: `${at}.at`, message: `must not be older than ${maxAgeDays} day${maxAgeDays === 1 ? '' : 's'} (the telemetry retention)` });
    if (typeof state !== 'string' || !(MACHINE_STATES as readonly string[]).includes(state)) errors.push({ field: `${at}.state`, message: `must be one of ${MACHINE_STATES.join(', ')}` });
    if (picks !== undefined && (typeof picks !== 'number' || !Number.isInteger(picks) || picks < 0 || picks > MAX_PICKS)) {
      errors.push({ field: `${at}.picks`, message: `must be an integer from 0 to ${MAX_PICKS}` });
    }
    if (errors.length === 0) readings.push({ machineId: machineId as string, at: new Date(time), state: state as MachineState, picks: (picks as number | undefined) ?? null });
  });
  if (errors.length > 0) throw fail(errors);
  return readings;
}
