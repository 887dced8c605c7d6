import type { ReactNode } from 'react';
import { api } from '../api';
import { Card, Empty, Loading, num, ProblemBox, useResource } from '../ui';
import { TERMS_TEXT } from './text';

const T = TERMS_TEXT.reasons;

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
  const sums = useResource(() => api<{ items: RejectReasonCount[] }>('GET', '/market/reject-reasons?limit=50'), []);
  return (
    <Card title={T.sumsTitle}>
      {sums.error ? <ProblemBox problem={sums.error} onRetry={sums.reload} /> : null}
      {sums.loading && !sums.data ? <Loading rows={2} /> : null}
      {sums.data && sums.data.items.length === 0 ? <Empty title={T.none} /> : null}
      {sums.data && sums.data.items.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="reject-reason-sums">
            <thead>
              <tr><th>{T.factory}</th><th>{T.reason}</th><th className="num">{T.count}</th></tr>
            </thead>
            <tbody>
              {sums.data.items.map((r) => (
                <tr key={`${r.factoryId}-${r.code}`} data-code={r.code}>
                  <td>{r.factoryName}</td>
                  <td>{T.code[r.code] ?? r.code} <code className="muted small">{r.code}</code></td>
                  <td className="num">{num(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
