import type { AllocationEntity } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import { addDays } from '../core/clock';

/**
 * A reported pace is measured over at least these hours from the start of the work's first day:
 * a report in the first hours of a stage says too little to move the stages after it.
 */
const MIN_PACE_HOURS = 6;
const DAY_MS = 86_400_000;

/** How far back the observed weaving rate looks, and the shortest span it is measured over. */
const WINDOW_SECONDS = 6 * 3600;
const MIN_SPAN_SECONDS = 15 * 60;

/**
 * Forecast completion dates from what the looms actually do, for allocations under way on
 * weaving lines whose machines report. The line's observed rate (picks over the last hours,
 * per working day of `hoursPerDay`) is scaled by the share of its reporting looms running now,
 * so looms that stop move the forecast at once. Work on a line is done in start order: an
 * allocation finishes when the remaining picks of those before it and its own are woven.
 * `null` means the line weaves nothing now: no date can be promised.
 * Allocations absent from the answer have no telemetry; their plan stands.
 */
export async function forecastAllocations(m: EntityManager, allocations: readonly Pick<AllocationEntity, 'id' | 'status' | 'startDate'>[], today: string): Promise<Map<string, string | null>> {
  const underway = allocations.filter((a) => a.status === 'in_production' || (a.status === 'accepted' && a.startDate <= today));
  if (underway.length === 0) return new Map();
  const rows = await m.query<{ id: string; picks: number | null; span: number | null; reporting: number; running: number; queued: number; hoursPerDay: number }[]>(
    `WITH mine AS (SELECT id, line_id, start_date, created_at FROM allocations WHERE id = ANY($1::uuid[])),
     rate AS (
       SELECT mc.line_id, sum(r.picks)::float8 AS picks, extract(epoch FROM now() - min(r.at))::float8 AS span,
              count(DISTINCT r.machine_id)::int AS reporting,
              (SELECT count(*)::int FROM machines x WHERE x.line_id = mc.line_id AND x.state = 'running') AS running
       FROM machines mc LEFT JOIN machine_readings r ON r.machine_id = mc.id AND r.at > now() - make_interval(secs => $2)
       WHERE mc.line_id IN (SELECT line_id FROM mine) GROUP BY mc.line_id),
     queued AS (
       SELECT x.id, sum(b.demand::float8 * (b.quantity - b.produced_quantity) / b.quantity) AS picks
       FROM mine x JOIN allocations b ON b.line_id = x.line_id AND b.status IN ('accepted', 'in_production')
         AND (b.start_date, b.created_at, b.id) <= (x.start_date, x.created_at, x.id)
       GROUP BY x.id)
     SELECT x.id, rate.picks, rate.span, rate.reporting, rate.running, queued.picks AS queued, (l.spec->>'hoursPerDay')::float8 AS "hoursPerDay"
     FROM mine x JOIN rate ON rate.line_id = x.line_id JOIN queued ON queued.id = x.id JOIN lines l ON l.id = x.line_id AND l.kind = 'weaving'`,
    [underway.map((a) => a.id), WINDOW_SECONDS],
  );
  const forecasts = new Map<string, string | null>();
  for (const r of rows) {
    const span = Math.min(Math.max(r.span ?? 0, MIN_SPAN_SECONDS), WINDOW_SECONDS);
    const perDay = ((r.picks ?? 0) / span) * 3600 * r.hoursPerDay * Math.min(r.running / Math.max(r.reporting, 1), 1);
    forecasts.set(r.id, perDay > 0 ? addDays(today, Math.max(Math.ceil(r.queued / perDay) - 1, 0)) : null);
  }
  return forecasts;
}

/**
 * When work under way finishes at the pace its progress reports show: what was reported over the
 * time since its first day began (calendar hours, so a one-shift mill is forecast early rather than
 * late), the remainder at that pace. Undefined when there is no pace to go by: not running, nothing
 * reported yet, or all of it made.
 */
export function paceForecast(a: Pick<AllocationEntity, 'status' | 'quantity' | 'producedQuantity' | 'startDate'>, today: string, now: Date): string | undefined {
  if (a.status !== 'in_production' || a.producedQuantity <= 0 || a.producedQuantity >= a.quantity) return undefined;
  const hours = Math.max((now.getTime() - Date.parse(`${a.startDate}T00:00:00Z`)) / 3_600_000, MIN_PACE_HOURS);
  const daysLeft = (a.quantity - a.producedQuantity) / ((a.producedQuantity / hours) * 24);
  const intoToday = (now.getTime() - Date.parse(`${today}T00:00:00Z`)) / DAY_MS;
  return addDays(today, Math.max(Math.floor(intoToday + daysLeft), 0));
}

/**
 * The day each piece of work under way is forecast to finish, where anything says: the looms'
 * telemetry first (the live measure), else the pace of its progress reports. Work absent from
 * the answer keeps its planned end; so does work on stopped looms (the breakdown path owns that).
 */
export async function forecastWork(
  m: EntityManager, allocations: readonly Pick<AllocationEntity, 'id' | 'status' | 'quantity' | 'producedQuantity' | 'startDate'>[], today: string, now: Date,
): Promise<Map<string, string>> {
  const looms = await forecastAllocations(m, allocations, today);
  const out = new Map<string, string>();
  for (const a of allocations) {
    const day = looms.has(a.id) ? looms.get(a.id) : paceForecast(a, today, now);
    if (typeof day === 'string') out.set(a.id, day);
  }
  return out;
}
