import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import type { AlertList, CapacityForecast } from '../types';
import { type Domain, useDomain } from '../i18n/domain';
import { Card, Empty, Loading, ProblemBox, useResource } from '../ui';
import { Trends } from './Trends';

interface ClusterView {
  /** `<cluster> · <kind>`, as the API names them (the key, and the subject its alerts start with). */
  name: string;
  cluster: string;
  kind: 'weaving' | 'sewing';
  mills: number;
  lines: number;
  machines: number;
  leadTimeDays: number | null;
  mix: { segment: string; lines: number }[];
  unit: 'picks' | 'minutes';
  days: { date: string; capacity: number; booked: number; demand: number }[];
}

/**
 * The forecast's rows folded per cluster (weaving and sewing apart: their units differ), with the
 * cluster's own counts (`clusters`: a sewing line sews several categories, so its rows overlap).
 */
function clustersOf(forecast: CapacityForecast): ClusterView[] {
  const byName = new Map<string, ClusterView>();
  const sides = new Map(forecast.clusters.map((c) => [`${c.cluster} · ${c.kind}`, c]));
  for (const row of forecast.items) {
    const key = `${row.cluster} · ${row.kind}`;
    const side = sides.get(key);
    const c = byName.get(key) ?? {
      name: key, cluster: row.cluster, kind: row.kind, mills: side?.mills ?? 0, lines: side?.lines ?? 0, machines: side?.machines ?? 0, leadTimeDays: side?.leadTimeDays ?? null,
      mix: [], unit: row.unit, days: row.days.map((d) => ({ date: d.date, capacity: 0, booked: 0, demand: 0 })),
    };
    c.mix.push({ segment: row.segment, lines: row.lines });
    row.days.forEach((d, i) => {
      c.days[i]!.capacity += d.capacity;
      c.days[i]!.booked += d.booked;
      c.days[i]!.demand += d.demand;
    });
    byName.set(key, c);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * An alert in the person's language, from the figures the API gives beside its English summary
 * (an alert raised before the API gave them keeps its summary until the next sweep refreshes it).
 */
function alertText(d: Domain, a: AlertList['items'][number]): string {
  const p = a.params as Readonly<Record<string, string | number | null>> | undefined;
  if (!p) return a.summary;
  const num = (k: string): number => Number(p[k] ?? 0);
  const text = (k: string): string => String(p[k] ?? '');
  switch (a.kind) {
    case 'booked':
      return d.t('radar.alertText.booked', { cluster: text('cluster'), days: d.f.num(num('days')), threshold: d.f.pct(num('threshold')), peak: d.f.pct(num('peak')), from: d.f.day(text('from')) });
    case 'reason-rising':
      return d.t('radar.alertText.reasonRising', {
        orders: d.f.num(num('orders')), reason: d.word('reason', text('code')), minutes: d.f.num(num('windowMinutes')), expected: d.f.num(num('expected'), 1), factor: d.f.num(num('factor'), 1), min: d.f.num(num('minOrders')),
      });
    case 'looms-down': {
      const figures = { cluster: text('cluster'), down: d.f.num(num('down')), machines: d.f.num(num('machines')), share: d.f.pct(num('share')), floor: d.f.pct(num('floor')) };
      const sentence = p.baseline === null || p.baseline === undefined
        ? d.t('radar.alertText.loomsDownNew', figures)
        : d.t('radar.alertText.loomsDown', { ...figures, baseline: d.f.pct(num('baseline')), rise: d.f.num(Math.round(num('rise') * 100)) });
      return p.since ? `${sentence}${d.t('radar.alertText.loomsDownSince', { since: d.f.dateTime(text('since')) })}` : sentence;
    }
    case 'stranded':
      return d.t('radar.alertText.stranded', { orders: d.f.num(num('orders')) });
  }
}

/** The operator's radar: the trends, then one card per cluster and kind. Strings: the `radar` keys of the i18n catalogs. */
export function Radar(): ReactNode {
  const d = useDomain();
  const { t, f, word } = d;
  const forecast = useResource(() => api<CapacityForecast>('GET', '/market/forecast?days=14'), []);
  const alerts = useResource(() => api<AlertList>('GET', '/alerts'), []);
  if (forecast.error) return <ProblemBox problem={forecast.error} onRetry={forecast.reload} />;
  if (!forecast.data) return <Loading rows={3} label={t('radar.loading')} />;
  const open = (alerts.data?.items ?? []).filter((a) => a.clearedAt === null);
  const clusters = clustersOf(forecast.data);
  const scale = (unit: string): number => (unit === 'picks' ? 1e6 : 1e3);
  const marketAlerts = open.filter((a) => !clusters.some((c) => c.name.startsWith(`${a.subject} ·`)));
  return (
    <div data-testid="radar">
      <Trends />
      {marketAlerts.length ? (
        <Card title={t('radar.marketAlerts')}>
          <ul>{marketAlerts.map((a) => <li key={a.alertId} data-testid="alert">{alertText(d, a)}</li>)}</ul>
        </Card>
      ) : null}
      {clusters.length === 0 ? <Empty title={t('radar.none')} /> : null}
      <div className="charts">
        {clusters.map((c) => {
          const week = c.days.slice(0, 7);
          const cap = week.reduce((s, d) => s + d.capacity, 0);
          const mine = open.filter((a) => c.name.startsWith(`${a.subject} ·`));
          return (
            <Card key={c.name} title={`${c.cluster === 'unknown' ? t('radar.unknownCluster') : c.cluster} · ${word('lineKind', c.kind)}`}>
              <div data-testid="cluster" data-cluster={c.name}>
                <div className="small" data-testid="cluster-size">
                  <strong>{f.num(c.mills)}</strong> {t('radar.mills')} · <strong>{f.num(c.lines)}</strong> {t('radar.lines')} · <strong>{f.num(c.machines)}</strong> {c.kind === 'weaving' ? t('radar.looms') : t('radar.operators')}
                </div>
                <div className="muted small">{t('radar.mix')}: {c.mix.map((m) => `${t(`domain.machineType.${m.segment}`, { defaultValue: word('category', m.segment) })} ${m.lines}`).join(', ')}</div>
                <div className="small" data-testid="lead-time">{t('radar.leadTime')}: {c.leadTimeDays === null ? <span className="muted">{t('radar.noLeadTime')}</span> : <strong>{t('radar.leadDays', { days: c.leadTimeDays })}</strong>}</div>
                <div className="small">{t('radar.loadAhead')}: <strong>{f.pct(cap > 0 ? week.reduce((s, d) => s + d.booked, 0) / cap : null)}</strong></div>
                <div className="small">{t('radar.alerts')}: {mine.length ? mine.map((a) => <div key={a.alertId} data-testid="alert" className="problem">{alertText(d, a)}</div>) : <span className="muted">{t('radar.noAlerts')}</span>}</div>
                <div className="caption muted small">{c.unit === 'picks' ? t('radar.chartPicks') : t('radar.chartMinutes')}</div>
                <ResponsiveContainer width="100%" height={180}>
                  <LineChart data={c.days.map((d) => ({ date: d.date.slice(5), booked: d.booked / scale(c.unit), capacity: d.capacity / scale(c.unit), demand: d.demand / scale(c.unit) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="date" fontSize={11} />
                    <YAxis fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Line type="linear" dataKey="capacity" name={t('radar.capacity')} stroke="#94a3b8" dot={false} isAnimationActive={false} />
                    <Line type="linear" dataKey="booked" name={t('radar.booked')} stroke="#2563eb" dot={false} isAnimationActive={false} />
                    <Line type="linear" dataKey="demand" name={t('radar.demand')} stroke="#f59e0b" strokeDasharray="4 2" dot={false} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </Card>
          );
        })}
      </div>
    </div>
  );
}
