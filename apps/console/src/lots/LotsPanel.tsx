import { type ReactNode, useState } from 'react';
import type { Lot, LotList } from '@cloudloom/contracts';
import { api, apiBlob, type ApiProblem, asProblem } from '../api';
import { useDomain } from '../i18n/domain';
import { Field, ProblemBox, useFieldError, useResource } from '../ui';

/** What each kind of line makes (the server's rule; the form offers only these). */
const KINDS_OF_LINE: Record<string, readonly string[]> = { weaving: ['roll'], finishing: ['batch'], sewing: ['bundle', 'carton'] };

/** The PDF needs the key in a header, so it is fetched and opened as a blob rather than linked. */
async function openLabels(allocationId: string): Promise<void> {
  window.open(URL.createObjectURL(await apiBlob(`/allocations/${allocationId}/labels.pdf`)), '_blank', 'noopener');
}

/**
 * An allocation's lots: listed to its factory and its brand, each opening its chain; the factory
 * also records lots and prints the labels.
 */
export function LotsPanel({ allocationId, quantity, unit, lineKind, canRecord, onRecorded }: { allocationId: string; quantity: number; unit: string; lineKind: string | undefined; canRecord: boolean; onRecorded?: () => void }): ReactNode {
  const { t, f, word } = useDomain();
  const lots = useResource(() => api<LotList>('GET', `/allocations/${allocationId}/lots?limit=500`), [allocationId]);
  const kinds = KINDS_OF_LINE[lineKind ?? ''] ?? [];
  const [kind, setKind] = useState(kinds[0] ?? 'roll');
  const [amount, setAmount] = useState('');
  const [inputs, setInputs] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const err = useFieldError(problem);
  const record = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      const named = inputs.split(/[\s,]+/).filter((s) => s !== '');
      await api<Lot>('POST', `/allocations/${allocationId}/lots`, { kind, quantity: Number(amount), ...(named.length ? { inputs: named } : {}) });
      setAmount('');
      setInputs('');
      lots.reload();
      onRecorded?.();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const print = (): void => void openLabels(allocationId).catch((e: unknown) => setProblem(asProblem(e)));
  return (
    <div className="lots" data-testid="lots">
      {lots.error ? <ProblemBox problem={lots.error} onRetry={lots.reload} /> : null}
      {lots.data ? <div className="muted small">{t('lots.counted', { n: f.num(lots.data.countedQuantity), of: f.num(quantity), unit })}</div> : null}
      {lots.data && lots.data.items.length === 0 ? <div className="muted small">{t('lots.none')}</div> : null}
      <ul className="lot-list">
        {(lots.data?.items ?? []).map((l) => (
          <li key={l.identifier} data-testid="lot">
            <a href={`/id/${l.identifier}`} className="mono">{l.identifier}</a> · {word('lotKind', l.kind)} · {f.num(l.quantity)} {l.unit}
            {l.inputs.length > 0 ? <span className="muted small"> ← {l.inputs.length}</span> : null}
          </li>
        ))}
      </ul>
      {canRecord ? (
        <form className="row wrap" aria-label={t('lots.recordForm')} onSubmit={(e) => { e.preventDefault(); void record(); }}>
          <Field label={t('lots.kind')} error={err('kind')}>
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              {kinds.map((k) => <option key={k} value={k}>{word('lotKind', k)}</option>)}
            </select>
          </Field>
          <Field label={t('lots.quantity')} error={err('quantity')}>
            <input type="number" min={1} value={amount} onChange={(e) => setAmount(e.target.value)} className="narrow" required />
          </Field>
          {kind !== 'roll' ? (
            <Field label={t('lots.inputs')} error={problem?.errors.filter((x) => x.field.startsWith('inputs')).map((x) => x.message).join('; ') || undefined}>
              <textarea value={inputs} onChange={(e) => setInputs(e.target.value)} rows={2} />
            </Field>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>{t('lots.record')}</button>
          <button type="button" className="ghost" onClick={print} disabled={!lots.data?.items.length}>{t('lots.printLabels')}</button>
        </form>
      ) : (
        <button type="button" className="ghost" onClick={print} disabled={!lots.data?.items.length}>{t('lots.printLabels')}</button>
      )}
      {problem && !problem.errors.length ? <ProblemBox problem={problem} /> : null}
    </div>
  );
}
