import { type ReactNode, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import type { MarketHistory } from '../types';
import { useDomain } from '../i18n/domain';
import { Card, Empty, Loading, ProblemBox, useResource } from '../ui';


const COLOURS = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#0ea5e9', '#84cc16', '#f97316'];
const percent = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10);

/** Folds the rollups into one row per bucket, with one column per reason and per cluster. */
function rowsOf(history: MarketHistory): { rows: Record<string, number | string | null>[]; reasons: string[]; clusters: string[] } {
  const label = (at: string): string => (history.granularity === 'hour' ? at.slice(5, 13).replace('T', ' ') + 'h' : at.slice(5, 10));
  const reasons = [...new Set(history.buckets.flatMap((b) => b.unmatched.map((u) => u.reason)))].sort();
  const clusters = [...new Set(history.segments.map((s) => s.cluster))].sort();
  const rows = history.buckets.map((b) => {
    const row: Record<string, number | string | null> = {
      at: label(b.at),
      fillRate: percent(b.fillRate),
      acceptance: percent(b.acceptance),
      timeToMatch: b.meanTimeToMatchSeconds === null ? null : Math.round(b.meanTimeToMatchSeconds / 6) / 10,
    };
    for (const r of reasons) row[`reason:${r}`] = b.unmatched.find((u) => u.reason === r)?.orders ?? 0;
    for (const c of clusters) {
      const points = history.segments.filter((s) => s.cluster === c).flatMap((s) => s.points.filter((p) => p.at === b.at));
      const capacity = points.reduce((s, p) => s + p.capacity7d, 0);
      const reporting = points.reduce((s, p) => s + p.loomsReporting, 0);
      row[`load:${c}`] = capacity > 0 ? percent(points.reduce((s, p) => s + p.booked7d, 0) / capacity) : null;
      row[`down:${c}`] = reporting > 0 ? percent(points.reduce((s, p) => s + p.loomsDown, 0) / reporting) : null;
    }
    return row;
  });
  return { rows, reasons, clusters };
}

function Chart({ title, testId, children }: { title: string; testId: string; children: ReactNode }): ReactNode {
  return (
    <div data-testid={testId} className="trend">
      <div className="caption muted small">{title}</div>
      <ResponsiveContainer width="100%" height={180}>{children}</ResponsiveContainer>
    </div>
  );
}

/** The radar's history (GET /market/history): trends over the last hours or days, from the rollups. */
export function Trends(): ReactNode {
  const { t, word } = useDomain();
  const [granularity, setGranularity] = useState<'hour' | 'day'>('hour');
  const history = useResource(() => api<MarketHistory>('GET', `/market/history?granularity=${granularity}`), [granularity]);
  const toggle = (
    <div role="group">
      {(['hour', 'day'] as const).map((g) => (
        <button key={g} type="button" className={g === granularity ? 'primary' : 'ghost'} aria-pressed={g === granularity} onClick={() => setGranularity(g)}>
          {g === 'hour' ? t('trends.hours') : t('trends.days')}
        </button>
      ))}
    </div>
  );
  let body: ReactNode;
  if (history.error) body = <ProblemBox problem={history.error} onRetry={history.reload} />;
  else if (!history.data) body = <Loading rows={2} label={t('trends.loading')} />;
  else if (history.data.buckets.length === 0) body = <Empty title={t('trends.none')} />;
  else {
    const { rows, reasons, clusters } = rowsOf(history.data);
    // One line per cluster; called, not mounted, as recharts reads its <Line> children directly.
    const perCluster = (prefix: 'load' | 'down'): ReactNode[] =>
      clusters.map((c, i) => <Line key={c} type="linear" dataKey={`${prefix}:${c}`} name={c} stroke={COLOURS[i % COLOURS.length]} connectNulls isAnimationActive={false} />);
    const axes = (
      <>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="at" fontSize={11} />
        <YAxis fontSize={11} />
        <Tooltip />
        <Legend />
      </>
    );
    body = (
      <div className="charts" data-testid="trends" data-granularity={history.data.granularity} data-buckets={history.data.buckets.length}>
        <Chart title={t('trends.rates')} testId="trend-rates">
          <LineChart data={rows}>
            {axes}
            <Line type="linear" dataKey="fillRate" name={t('trends.fillRate')} stroke={COLOURS[0]} connectNulls isAnimationActive={false} />
            <Line type="linear" dataKey="acceptance" name={t('trends.acceptance')} stroke={COLOURS[2]} connectNulls isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title={t('trends.timeToMatch')} testId="trend-time">
          <LineChart data={rows}>
            {axes}
            <Line type="linear" dataKey="timeToMatch" name={t('trends.minutes')} stroke={COLOURS[1]} connectNulls isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title={t('trends.unmatched')} testId="trend-unmatched">
          <BarChart data={rows}>
            {axes}
            {reasons.map((r, i) => <Bar key={r} dataKey={`reason:${r}`} name={word('reason', r)} stackId="unmatched" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />)}
          </BarChart>
        </Chart>
        <Chart title={t('trends.load')} testId="trend-load">
          <LineChart data={rows}>
            {axes}
            {perCluster('load')}
          </LineChart>
        </Chart>
        <Chart title={t('trends.loomsDown')} testId="trend-looms-down">
          <LineChart data={rows}>
            {axes}
            {perCluster('down')}
          </LineChart>
        </Chart>
      </div>
    );
  }
  return (
    <Card title={t('trends.title')} actions={toggle}>
      {body}
    </Card>
  );
}
