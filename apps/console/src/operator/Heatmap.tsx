import type { ReactNode } from 'react';
import { api } from '../api';
import type { FactoryLoad } from '../types';
import type { TFunction } from 'i18next';
import { type Domain, useDomain } from '../i18n/domain';
import { Empty, ProblemBox, Status } from '../ui';
import { useAction } from '../useAction';

const HATCH = 'repeating-linear-gradient(45deg,#d5d9de,#d5d9de 2px,#f4f5f7 2px,#f4f5f7 4px)';

/**
 * Colour for a day's reserved share: pale when idle, deep when full. A closed day (holiday,
 * maintenance) or a day without a ledger row is hatched; a day below nominal capacity is outlined.
 */
const cellStyle = (load: number | null, open: number | null = 1): { background: string; boxShadow?: string } =>
  load === null || open === null || open === 0
    ? { background: HATCH }
    : { background: `hsl(${174 - load * 150} ${40 + load * 45}% ${96 - load * 52}%)`, ...(open < 1 ? { boxShadow: 'inset 0 0 0 1.5px #94a3b8' } : {}) };

const cellTitle = (d: Domain, day: string | undefined, load: number | null, open: number | null): string =>
  `${day ?? ''}: ${load === null || open === null ? d.t('heatmap.noRow') : open === 0 ? d.t('heatmap.closed') : `${d.t('heatmap.reserved', { share: d.f.pct(load) })}${open < 1 ? d.t('heatmap.openAt', { share: d.f.pct(open) }) : ''}`}`;

/** What a line can make a day, in the mill's units with the raw ones after. */
const perDay = (t: TFunction, d: Domain, kind: 'weaving' | 'sewing' | 'finishing', capacity: number): string => {
  const c = d.capacity(kind, capacity);
  return t('heatmap.perDay', { capacity: c.mill ? `${c.mill} (${c.raw})` : c.raw });
};

function FactoryRow({ factory, days, onChanged }: { factory: FactoryLoad; days: string[]; onChanged: () => void }): ReactNode {
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
    <div className="factory" data-testid="factory">
      <div className="factory-head">
        <div>
          <strong>{factory.name}</strong>
          <span className="muted small"> {[factory.city, factory.province].filter(Boolean).join(', ')}{factory.certifications.length ? ` · ${factory.certifications.join(', ')}` : ''}{factory.autoAccept ? t('heatmap.autoAccept') : ''}</span>
        </div>
        <div className="row">
          {factory.verified ? <Status value="verified" /> : <button type="button" className="primary small" disabled={busy} onClick={() => void verify()}>{t('heatmap.verify')}</button>}
        </div>
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {factory.lines.length === 0 ? <div className="muted small">{t('heatmap.noLines')}</div> : null}
      {factory.lines.map((line) => (
        <div className="heat-row" key={line.id}>
          <span className="heat-label" title={perDay(t, d, line.kind, line.dailyCapacity)}>
            {line.name} <span className="muted small">{line.kind === 'weaving' ? word('machineType', line.machineType) : word('lineKind', line.kind)}</span>
          </span>
          <span className="heat-cells">
            {line.load.map((l, i) => (
              <span key={days[i]} className="heat-cell" style={cellStyle(l, line.open[i] ?? null)} title={cellTitle(d, days[i], l, line.open[i] ?? null)} />
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}

/** Every factory's lines with the next 30 days' reserved share: where the market has room. */
export function Heatmap({ data, onChanged }: { data: { days: string[]; items: FactoryLoad[] }; onChanged: () => void }): ReactNode {
  const { t } = useDomain();
  if (data.items.length === 0) return <Empty title={t('heatmap.none')}>{t('heatmap.noneHint')}</Empty>;
  return (
    <div className="heatmap">
      <div className="heat-legend muted small">
        <span>{data.days[0]}</span>
        <span className="legend-scale">
          {t('heatmap.idle')}
          {[0, 0.25, 0.5, 0.75, 1].map((v) => <span key={v} className="heat-cell" style={cellStyle(v)} />)}
          {t('heatmap.full')}
          <span className="heat-cell" style={cellStyle(0.1, 0.5)} /> {t('heatmap.reduced')}
          <span className="heat-cell" style={cellStyle(0, 0)} /> {t('heatmap.closed')}
        </span>
        <span>{data.days.at(-1)}</span>
      </div>
      {data.items.map((f) => <FactoryRow key={f.id} factory={f} days={data.days} onChanged={onChanged} />)}
    </div>
  );
}
