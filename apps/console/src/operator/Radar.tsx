import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import type { AlertList, CapacityForecast } from '../types';
import { Card, Empty, Loading, num, pct, ProblemBox, useResource } from '../ui';
import { Trends } from './Trends';

/** Every user-visible string of the radar page, in one place for the i18n pass (English · 中文). */
const T = {
  title: 'Cluster panorama · 集群全景',
  none: 'No verified factory with an active line yet',
  mills: 'mills · 工厂',
  looms: 'looms · 织机',
  operators: 'operators · 工人',
  leadTime: 'typical lead time · 典型交期',
  days: (n: number) => `${n} days · ${n} 天`,
  noLeadTime: 'no work placed yet · 暂无成交',
  lines: 'lines · 产线',
  mix: 'machine mix · 机型',
  loadAhead: 'booked, next 7 days · 未来7天负荷',
  alerts: 'alerts · 预警',
  noAlerts: 'no open alert',
  marketAlerts: 'Market alerts · 市场预警',
  booked: 'booked · 已订',
  capacity: 'capacity · 产能',
  demand: 'forecast demand · 预测需求',
  chart: (unit: string) => `per day, in ${unit === 'picks' ? 'million picks' : 'thousand minutes'}`,
  loading: 'Loading the radar',
} as const;

interface ClusterView {
  name: string;
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
      name: key, kind: row.kind, mills: side?.mills ?? 0, lines: side?.lines ?? 0, machines: side?.machines ?? 0, leadTimeDays: side?.leadTimeDays ?? null,
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

export function Radar(): ReactNode {
  const forecast = useResource(() => api<CapacityForecast>('GET', '/market/forecast?days=14'), []);
  const alerts = useResource(() => api<AlertList>('GET', '/alerts'), []);
  if (forecast.error) return <ProblemBox problem={forecast.error} onRetry={forecast.reload} />;
  if (!forecast.data) return <Loading rows={3} label={T.loading} />;
  const open = (alerts.data?.items ?? []).filter((a) => a.clearedAt === null);
  const clusters = clustersOf(forecast.data);
  const scale = (unit: string): number => (unit === 'picks' ? 1e6 : 1e3);
  const marketAlerts = open.filter((a) => !clusters.some((c) => c.name.startsWith(`${a.subject} ·`)));
  return (
    <div data-testid="radar">
      <Trends />
      {marketAlerts.length ? (
        <Card title={T.marketAlerts}>
          <ul>{marketAlerts.map((a) => <li key={a.alertId} data-testid="alert">{a.summary}</li>)}</ul>
        </Card>
      ) : null}
      {clusters.length === 0 ? <Empty title={T.none} /> : null}
      <div className="charts">
        {clusters.map((c) => {
          const week = c.days.slice(0, 7);
          const cap = week.reduce((s, d) => s + d.capacity, 0);
          const mine = open.filter((a) => c.name.startsWith(`${a.subject} ·`));
          return (
            <Card key={c.name} title={c.name}>
              <div data-testid="cluster" data-cluster={c.name}>
                <div className="small" data-testid="cluster-size">
                  <strong>{num(c.mills)}</strong> {T.mills} · <strong>{num(c.lines)}</strong> {T.lines} · <strong>{num(c.machines)}</strong> {c.kind === 'weaving' ? T.looms : T.operators}
                </div>
                <div className="muted small">{T.mix}: {c.mix.map((m) => `${m.segment.replace('_', '-')} ${m.lines}`).join(', ')}</div>
                <div className="small" data-testid="lead-time">{T.leadTime}: {c.leadTimeDays === null ? <span className="muted">{T.noLeadTime}</span> : <strong>{T.days(c.leadTimeDays)}</strong>}</div>
                <div className="small">{T.loadAhead}: <strong>{pct(cap > 0 ? week.reduce((s, d) => s + d.booked, 0) / cap : null)}</strong></div>
                <div className="small">{T.alerts}: {mine.length ? mine.map((a) => <div key={a.alertId} data-testid="alert" className="problem">{a.summary}</div>) : <span className="muted">{T.noAlerts}</span>}</div>
                <div className="caption muted small">{T.chart(c.unit)}</div>
                <ResponsiveContainer width="100%" height={180}>
                  <LineChart data={c.days.map((d) => ({ date: d.date.slice(5), booked: d.booked / scale(c.unit), capacity: d.capacity / scale(c.unit), demand: d.demand / scale(c.unit) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="date" fontSize={11} />
                    <YAxis fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Line type="linear" dataKey="capacity" name={T.capacity} stroke="#94a3b8" dot={false} isAnimationActive={false} />
                    <Line type="linear" dataKey="booked" name={T.booked} stroke="#2563eb" dot={false} isAnimationActive={false} />
                    <Line type="linear" dataKey="demand" name={T.demand} stroke="#f59e0b" strokeDasharray="4 2" dot={false} isAnimationActive={false} />
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
