import { type ReactNode, useState } from 'react';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { Loading, ProblemBox, shortId, useResource } from '../ui';

/** GET /lines/{id}/calendar, as the console reads it. */
interface CalendarDay {
  date: string;
  capacity: number;
  booked: number;
  free: number;
  closed: boolean;
  work: { allocationId: string; orderId: string; status: string; units: number }[];
}
interface Calendar {
  unit: string;
  dailyCapacity: number;
  days: CalendarDay[];
}

const WEEKS = 4;
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const today = (): string => new Date().toISOString().slice(0, 10);

/** A line's next four weeks, a day per cell: closed, or booked of capacity with the orders on it, and free. */
export function LineCalendar({ lineId, lineName }: { lineId: string; lineName: string }): ReactNode {
  const { t, f, word } = useDomain();
  const [from, setFrom] = useState(today);
  const to = addDays(from, WEEKS * 7 - 1);
  const calendar = useResource(() => api<Calendar>('GET', `/lines/${lineId}/calendar?from=${from}&to=${to}`), [lineId, from]);
  const [open, setOpen] = useState<string>();
  return (
    <section className="line-calendar" aria-label={t('calendar.title', { line: lineName })} data-testid="line-calendar">
      <div className="row">
        <button type="button" className="ghost small" onClick={() => setFrom(addDays(from, -WEEKS * 7))}>{t('calendar.earlier')}</button>
        <span className="muted small">{f.day(from)} – {f.day(to)}</span>
        <button type="button" className="ghost small" onClick={() => setFrom(addDays(from, WEEKS * 7))}>{t('calendar.later')}</button>
      </div>
      {calendar.error ? <ProblemBox problem={calendar.error} onRetry={calendar.reload} /> : null}
      {!calendar.data && calendar.loading ? <Loading rows={2} label={t('calendar.loading')} /> : null}
      {calendar.data ? (
        <ol className="calendar-grid">
          {calendar.data.days.map((d) => (
            <li key={d.date} data-testid="calendar-day" data-date={d.date} data-closed={d.closed} className={d.closed ? 'closed' : d.booked > 0 ? 'booked' : 'free'}>
              <button type="button" className="ghost" aria-expanded={open === d.date} onClick={() => setOpen(open === d.date ? undefined : d.date)}>
                <span className="small">{f.day(d.date)}</span>
                {d.closed ? (
                  <span className="small">{t('calendar.closed')}</span>
                ) : (
                  <>
                    <span className="progress" title={t('calendar.bookedOf', { booked: f.num(d.booked), capacity: f.num(d.capacity) })}><span style={{ width: f.pct(d.capacity ? d.booked / d.capacity : 0) }} /></span>
                    <span className="muted small">{t('calendar.free', { pct: f.pct(d.capacity ? d.free / d.capacity : 0) })}</span>
                  </>
                )}
              </button>
              {open === d.date ? (
                <div className="calendar-work small">
                  <strong>{t('calendar.work')}</strong>
                  {d.work.length === 0 ? <div className="muted">{t('calendar.noWork')}</div> : null}
                  <ul>
                    {d.work.map((w) => (
                      <li key={w.allocationId}>
                        <code>{shortId(w.orderId)}</code> · {word('status', w.status)} · {t('calendar.share', { pct: f.pct(d.capacity ? w.units / d.capacity : 0) })}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
