import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { MACHINE_TYPES, type MachineType } from '@cloudloom/matching';
import { api } from '../api';
import type { FactoryLoad } from '../types';
import { type Domain, useDomain } from '../i18n/domain';
import { Empty, ProblemBox, Status } from '../ui';
import { useAction } from '../useAction';

/** What the operator narrows the heatmap to; each maps to a query parameter of GET /factories. */
export interface FactoryQuery {
  sort: 'name' | '-load' | 'load';
  city: string;
  /** '' (every line), a line kind, or `loom:<machine type>` (weaving lines of that loom). */
  machine: '' | 'weaving' | 'sewing' | 'finishing' | `loom:${MachineType}`;
  verified: 'all' | 'false';
  limit: number;
}
export const FIRST_FACTORIES: FactoryQuery = { sort: 'name', city: '', machine: '', verified: 'all', limit: 50 };

export function factoryQueryString(q: FactoryQuery): string {
  const p = new URLSearchParams({ limit: String(q.limit) });
  if (q.sort !== 'name') p.set('sort', q.sort);
  if (q.city) p.set('city', q.city);
  if (q.machine.startsWith('loom:')) {
    p.set('kind', 'weaving');
    p.set('machineType', q.machine.slice('loom:'.length));
  } else if (q.machine) p.set('kind', q.machine);
  if (q.verified !== 'all') p.set('verified', q.verified);
  return p.toString();
}

const HATCH = 'repeating-linear-gradient(45deg,#d5d9de,#d5d9de 2px,#f4f5f7 2px,#f4f5f7 4px)';
const INK = '#1f2937';
/**
 * Steps of a day's reserved share, pale when idle, deep when full, each with the ink that reads on
 * it at WCAG AA contrast (the number is in the cell, not only in a tooltip).
 */
const STEPS: readonly { below: number; background: string; color: string }[] = [
  { below: 0.1, background: '#eef7f6', color: INK },
  { below: 0.3, background: '#cdeae5', color: INK },
  { below: 0.5, background: '#9fd6c9', color: INK },
  { below: 0.7, background: '#f6d38b', color: INK },
  { below: 0.9, background: '#e8894a', color: INK },
  { below: Infinity, background: '#b42318', color: '#ffffff' },
];

/** A closed day (holiday, maintenance) or a day without a ledger row is hatched; a day below nominal capacity is outlined. */
const cellStyle = (load: number | null, open: number | null = 1): { background: string; color: string; boxShadow?: string } => {
  if (load === null || open === null || open === 0) return { background: HATCH, color: INK };
  const step = STEPS.find((s) => load < s.below) ?? STEPS[STEPS.length - 1]!;
  return { background: step.background, color: step.color, ...(open < 1 ? { boxShadow: `inset 0 0 0 2px ${INK}` } : {}) };
};

const cellText = (d: Domain, load: number | null, open: number | null): string =>
  load === null || open === null ? '' : open === 0 ? d.t('heatmap.closedShort') : d.f.num(Math.round(load * 100));

const cellTitle = (d: Domain, day: string | undefined, load: number | null, open: number | null): string =>
  `${day ?? ''}: ${load === null || open === null ? d.t('heatmap.noRow') : open === 0 ? d.t('heatmap.closed') : `${d.t('heatmap.reserved', { share: d.f.pct(load) })}${open < 1 ? d.t('heatmap.openAt', { share: d.f.pct(open) }) : ''}`}`;

/** What a line can make a day, in the mill's units with the raw ones after. */
const perDay = (t: TFunction, d: Domain, kind: 'weaving' | 'sewing' | 'finishing', capacity: number): string => {
  const c = d.capacity(kind, capacity);
  return t('heatmap.perDay', { capacity: c.mill ? `${c.mill} (${c.raw})` : c.raw });
};

const isWeekend = (day: string): boolean => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** Sort, city and line or loom: what the operator narrows the heatmap to. */
export function HeatmapFilters({ value, cities, onChange }: { value: FactoryQuery; cities: readonly string[]; onChange: (next: FactoryQuery) => void }): ReactNode {
  const { t, word } = useDomain();
  const change = (patch: Partial<FactoryQuery>): void => onChange({ ...value, ...patch, limit: FIRST_FACTORIES.limit });
  return (
    <div className="heat-filters">
      <select aria-label={t('heatmap.sort')} value={value.sort} onChange={(e) => change({ sort: e.target.value as FactoryQuery['sort'] })}>
        <option value="name">{t('heatmap.sortName')}</option>
        <option value="-load">{t('heatmap.sortBusiest')}</option>
        <option value="load">{t('heatmap.sortFreest')}</option>
      </select>
      <select aria-label={t('heatmap.city')} value={value.city} onChange={(e) => change({ city: e.target.value })}>
        <option value="">{t('heatmap.allCities')}</option>
        {cities.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
      <select aria-label={t('heatmap.machine')} value={value.machine} onChange={(e) => change({ machine: e.target.value as FactoryQuery['machine'] })}>
        <option value="">{t('heatmap.allMachines')}</option>
        <option value="weaving">{t('heatmap.allLooms')}</option>
        {MACHINE_TYPES.map((m) => <option key={m} value={`loom:${m}`}>{t('heatmap.loom', { machine: word('machineType', m) })}</option>)}
        <option value="sewing">{word('lineKind', 'sewing')}</option>
        <option value="finishing">{word('lineKind', 'finishing')}</option>
      </select>
    </div>
  );
}

function FactoryRows({ factory, days, onChanged }: { factory: FactoryLoad; days: string[]; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, word } = d;
  const { busy, problem, run } = useAction();
  const verify = async (): Promise<void> => {
    await run(async () => {
      await api('POST', `/factories/${factory.id}/verify`, {});
      onChanged();
    });
  };
  return (
    <tbody className="factory" data-testid="factory" data-factory-id={factory.id}>
      <tr className="heat-factory">
        <th scope="colgroup" colSpan={days.length + 1}>
          {/* Sticky to the region's left edge, so the name stays in view while the days scroll sideways. */}
          <div className="factory-head">
            <strong>{factory.name}</strong>
            <span className="muted small">{[factory.city, factory.province].filter(Boolean).join(', ')}{factory.certifications.length ? ` · ${factory.certifications.map((c) => word('certification', c)).join(', ')}` : ''}{factory.autoAccept ? t('heatmap.autoAccept') : ''}</span>
            <span className="small" data-testid="factory-load">{factory.load === null ? t('heatmap.noLoad') : t('heatmap.load', { share: d.f.pct(factory.load) })}</span>
            {factory.verified ? <Status value="verified" /> : <button type="button" className="primary small" disabled={busy} onClick={() => void verify()}>{t('heatmap.verify')}</button>}
          </div>
          {problem ? <ProblemBox problem={problem} /> : null}
          {factory.lines.length === 0 ? <div className="muted small">{t('heatmap.noLines')}</div> : null}
        </th>
      </tr>
      {factory.lines.map((line) => (
        <tr key={line.id} data-testid="heat-line" data-line-id={line.id}>
          <th scope="row" className="heat-label" title={perDay(t, d, line.kind, line.dailyCapacity)}>
            {line.name} <span className="muted small">{line.kind === 'weaving' ? word('machineType', line.machineType) : word('lineKind', line.kind)}</span>
          </th>
          {line.load.map((l, i) => {
            const open = line.open[i] ?? null;
            return (
              <td key={days[i]} className="heat-cell" data-day={days[i]} style={cellStyle(l, open)} title={cellTitle(d, days[i], l, open)}>
                {cellText(d, l, open)}
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  );
}

/**
 * Every factory's lines with the next 30 days' reserved share, the number in each cell: where the
 * market has room. A region of fixed height that scrolls both ways, its day axis and line names kept in view.
 */
export function Heatmap({ data, filtered, onChanged }: { data: { days: string[]; items: FactoryLoad[] }; filtered: boolean; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  if (data.items.length === 0) return filtered ? <Empty title={t('heatmap.noMatch')} /> : <Empty title={t('heatmap.none')}>{t('heatmap.noneHint')}</Empty>;
  return (
    <div className="heatmap">
      <div className="heat-legend muted small">
        <span>{t('heatmap.cellUnit')}</span>
        <span className="legend-scale">
          {t('heatmap.idle')}
          {[0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => <span key={v} className="heat-cell" style={cellStyle(v)}>{cellText(d, v, 1)}</span>)}
          {t('heatmap.full')}
          <span className="heat-cell" style={cellStyle(0.1, 0.5)}>{cellText(d, 0.1, 0.5)}</span> {t('heatmap.reduced')}
          <span className="heat-cell" style={cellStyle(0, 0)}>{cellText(d, 0, 0)}</span> {t('heatmap.closed')}
        </span>
      </div>
      {/* Focusable, so a keyboard can scroll it too. */}
      <div className="heat-scroll" role="region" aria-label={t('heatmap.region')} tabIndex={0}>
        <table className="heat-table">
          <thead>
            <tr>
              <th scope="col" className="heat-label">{t('heatmap.line')}</th>
              {data.days.map((day) => (
                <th key={day} scope="col" className={isWeekend(day) ? 'heat-day weekend' : 'heat-day'} data-testid="heat-day" data-day={day} title={f.day(day)}>
                  <span>{f.day(day).slice(5)}</span>
                  <span>{f.weekday(day)}</span>
                </th>
              ))}
            </tr>
          </thead>
          {data.items.map((factory) => <FactoryRows key={factory.id} factory={factory} days={data.days} onChanged={onChanged} />)}
        </table>
      </div>
    </div>
  );
}
