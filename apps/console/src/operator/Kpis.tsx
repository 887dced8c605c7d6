import type { ReactNode } from 'react';
import type { Stats } from '../types';
import { ORDER_STATUSES, useDomain } from '../i18n/domain';
import { Bars, Card, Empty, seconds } from '../ui';

/** A bucket bound as people say it: 250 ms, 5 s, 5 min, 1 h. */
const bound = (v: number): string => (v < 1 ? `${Math.round(v * 1000)} ms` : v < 60 ? `${v} s` : v < 3600 ? `${v / 60} min` : `${v / 3600} h`);


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
  const { t, f, word } = useDomain();
  const num = (v: number): string => f.num(v);
  const answered = ['accepted', 'in_production', 'produced', 'rejected', 'expired'].reduce((s, k) => s + (stats.offers.byStatus[k] ?? 0), 0);
  return (
    <>
      <div className="kpis" data-testid="kpis">
        <Kpi label={t('kpi.p50')} value={seconds(stats.timeToMatch.p50Seconds)} note={t('kpi.matched', { count: stats.timeToMatch.count })} />
        <Kpi label={t('kpi.p95')} value={seconds(stats.timeToMatch.p95Seconds)} />
        <Kpi label={t('kpi.fillRate')} value={f.pct(stats.fillRate)} note={t('kpi.fillRateNote')} />
        <Kpi label={t('kpi.acceptance')} value={f.pct(stats.offers.acceptanceRate)} note={t('kpi.answered', { count: answered })} />
        <Kpi label={t('kpi.orders')} value={num(stats.orders.total)} note={t('kpi.unmatched', { count: stats.orders.byStatus.unmatched ?? 0 })} />
        <Kpi label={t('kpi.smallShare')} value={f.pct(stats.fairness.smallMillValueShare)} note={t('kpi.smallShareNote', { orders: f.pct(stats.fairness.smallMillOrderShare), small: num(stats.fairness.smallMills), mills: num(stats.fairness.factories) })} />
        <Kpi label={t('kpi.gini')} value={stats.fairness.gini === null ? '—' : f.num(stats.fairness.gini, 2)} note={t('kpi.giniNote')} />
      </div>
      <div className="charts">
        <Card title={t('kpi.timeToMatch')}>
          {stats.timeToMatch.count === 0 ? (
            <Empty title={t('kpi.noMatches')} />
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
        <Card title={t('kpi.byStatus')}>
          <Bars rows={ORDER_STATUSES.filter((s) => stats.orders.byStatus[s]).map((s) => ({ key: word('status', s), value: stats.orders.byStatus[s] ?? 0 }))} format={num} />
        </Card>
        <Card title={t('kpi.byMachine')}>
          <div className="caption muted small">{t('kpi.byMachineNote', { days: stats.utilization.days })}</div>
          <Bars rows={stats.utilization.byMachineType.map((u) => ({ key: word('machineType', u.key), value: u.ratio }))} max={1} />
        </Card>
        <Card title={t('kpi.byCluster')}>
          <div className="caption muted small">{t('kpi.byClusterNote', { days: stats.utilization.days })}</div>
          <Bars rows={[...stats.utilization.byCluster].sort((a, b) => b.ratio - a.ratio || a.key.localeCompare(b.key)).map((u) => ({ key: u.key, value: u.ratio }))} max={1} />
        </Card>
      </div>
    </>
  );
}
