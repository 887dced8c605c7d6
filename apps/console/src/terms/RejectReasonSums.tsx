import type { ReactNode } from 'react';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { Card, Empty, Loading, ProblemBox, useResource } from '../ui';

interface RejectReasonCount {
  factoryId: string;
  factoryName: string;
  code: string;
  count: number;
}

/**
 * Rejections summed per factory and reason code (`GET /market/reject-reasons`), the most first:
 * a mill that keeps answering PRICE is priced below its costs; one that answers NO_CAPACITY
 * publishes capacity it does not have.
 */
export function RejectReasonSums(): ReactNode {
  const { t, f, word } = useDomain();
  const sums = useResource(() => api<{ items: RejectReasonCount[] }>('GET', '/market/reject-reasons?limit=50'), []);
  return (
    <Card title={t('terms.reasons.sumsTitle')}>
      {sums.error ? <ProblemBox problem={sums.error} onRetry={sums.reload} /> : null}
      {sums.loading && !sums.data ? <Loading rows={2} /> : null}
      {sums.data && sums.data.items.length === 0 ? <Empty title={t('terms.reasons.none')} /> : null}
      {sums.data && sums.data.items.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="reject-reason-sums">
            <thead>
              <tr><th>{t('terms.reasons.factory')}</th><th>{t('terms.reasons.reason')}</th><th className="num">{t('terms.reasons.count')}</th></tr>
            </thead>
            <tbody>
              {sums.data.items.map((r) => (
                <tr key={`${r.factoryId}-${r.code}`} data-code={r.code}>
                  <td>{r.factoryName}</td>
                  <td>{word('rejectReason', r.code)}</td>
                  <td className="num">{f.num(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
