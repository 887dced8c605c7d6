import type { ReactNode } from 'react';
import type { Stats } from '../types';
import { Bars, Card, Empty, num, pct, seconds } from '../ui';

/** A bucket bound as people say it: 250 ms, 5 s, 5 min, 1 h. */
const bound = (v: number): string => (v < 1 ? `${Math.round(v * 1000)} ms` : v < 60 ? `${v} s` : v < 3600 ? `${v / 60} min` : `${v / 3600} h`);

const ORDER_STATUSES = ['pending', 'matching', 'proposed', 'confirmed', 'in_production', 'completed', 'unmatched', 'partial', 'cancelled', 'expired'];

function Kpi({ label, value, note }: { label: string; value: string; note?: string }): ReactNode {
  return (
    <div className="kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {note ? <span className="kpi-note">{note}</span> : null}
    </div>
  );
}

/** The market's health at a glance: speed, fill, acceptance, and where capacity is booked. */
export function Kpis({ stats }: { stats: Stats }): ReactNode {
  const answered = ['accepted', 'in_production', 'produced', 'rejected', 'expired'].reduce((s, k) => s + (stats.offers.byStatus[k] ?? 0), 0);
  return (
    <>
      <div className="kpis" data-testid="kpis">
        <Kpi label="Time to match p50" value={seconds(stats.timeToMatch.p50Seconds)} note={`${num(stats.timeToMatch.count)} order${stats.timeToMatch.count === 1 ? '' : 's'} matched`} />
        <Kpi label="Time to match p95" value={seconds(stats.timeToMatch.p95Seconds)} />
        <Kpi label="Fill rate" value={pct(stats.fillRate)} note="orders with a plan, of those decided" />
        <Kpi label="Offer acceptance" value={pct(stats.offers.acceptanceRate)} note={`${num(answered)} offer${answered === 1 ? '' : 's'} answered`} />
        <Kpi label="Orders" value={num(stats.orders.total)} note={`${num(stats.orders.byStatus.unmatched ?? 0)} unmatched`} />
        <Kpi label="Small mills' share 小厂份额" value={pct(stats.fairness.smallMillValueShare)} note={`of processing value; ${pct(stats.fairness.smallMillOrderShare)} of orders; ${num(stats.fairness.smallMills)} of ${num(stats.fairness.factories)} mills are small`} />
        <Kpi label="Gini of work 基尼系数" value={stats.fairness.gini === null ? '—' : stats.fairness.gini.toFixed(2)} note="0 even, towards 1 concentrated" />
      </div>
      <div className="charts">
        <Card title="Time to match">
          {stats.timeToMatch.count === 0 ? (
            <Empty title="No matches yet" />
          ) : (
            <Bars
              rows={stats.timeToMatch.histogram.map((b, i, all) => ({
                key: b.le === null ? `> ${bound(all[i - 1]?.le ?? 0)}` : `≤ ${bound(b.le)}`,
                value: b.count,
              }))}
              format={num}
            />
          )}
        </Card>
        <Card title="Orders by status">
          <Bars rows={ORDER_STATUSES.filter((s) => stats.orders.byStatus[s]).map((s) => ({ key: s.replace('_', ' '), value: stats.orders.byStatus[s] ?? 0 }))} format={num} />
        </Card>
        <Card title="Utilization by machine">
          <div className="caption muted small">reserved share of capacity, next {stats.utilization.days} days</div>
          <Bars rows={stats.utilization.byMachineType.map((u) => ({ key: u.key.replace('_', '-'), value: u.ratio }))} max={1} />
        </Card>
        <Card title="Utilization by cluster">
          <div className="caption muted small">busiest first, next {stats.utilization.days} days</div>
          <Bars rows={[...stats.utilization.byCluster].sort((a, b) => b.ratio - a.ratio || a.key.localeCompare(b.key)).map((u) => ({ key: u.key, value: u.ratio }))} max={1} />
        </Card>
      </div>
    </>
  );
}
