import { type ReactNode, useState } from 'react';
import type { Allocation, OfferMessage } from '@cloudloom/contracts';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { useCan } from '../roles';
import { ProblemBox, useResource } from '../ui';
import { useAction } from '../useAction';

type Side = 'brand' | 'factory';

/**
 * An offer's counter (DESIGN.md §9): the factory sends one while the offer is open; the brand
 * accepts or declines it. The answer comes back as the allocation, so the page reloads.
 */
export function CounterPanel({ offer, side, onChanged }: { offer: Allocation; side: Side; onChanged: () => void }): ReactNode {
  const { t } = useDomain();
  const { busy, problem, run } = useAction();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const [price, setPrice] = useState('');
  const [endDate, setEndDate] = useState('');
  const [note, setNote] = useState('');
  const counter = offer.counter;
  const post = (path: string, body: unknown): Promise<void> => run(async () => {
    await api('POST', path, body);
    setOpen(false);
    onChanged();
  });

  if (side === 'factory') {
    if (offer.status !== 'offered' || !can('answerOffers')) return counter ? <CounterLine counter={counter} /> : null;
    if (counter?.status === 'open') return <div className="muted small" data-testid="counter">{t('terms.waiting')}: <CounterLine counter={counter} /></div>;
    return open ? (
      <form className="row" data-testid="counter-form" onSubmit={(e) => {
        e.preventDefault();
        void post(`/offers/${offer.id}/counter`, { ...(price ? { price: Number(price) } : {}), ...(endDate ? { endDate } : {}), ...(note ? { note } : {}) });
      }}>
        <input name="price" type="number" min="0.01" step="0.01" aria-label={t('terms.counterPrice')} placeholder={t('terms.counterPrice')} value={price} onChange={(e) => setPrice(e.target.value)} />
        <input name="endDate" type="date" aria-label={t('terms.counterEndDate')} min={offer.endDate} value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        <input name="note" aria-label={t('terms.counterNote')} placeholder={t('terms.counterNote')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>{t('terms.sendCounter')}</button>
        <button type="button" className="ghost" onClick={() => setOpen(false)}>{t('terms.back')}</button>
        {problem ? <ProblemBox problem={problem} inline={['price', 'endDate', 'note']} /> : null}
      </form>
    ) : (
      <>
        {counter ? <CounterLine counter={counter} /> : null}
        <button type="button" className="ghost" onClick={() => setOpen(true)}>{t('terms.counterOffer')}</button>
      </>
    );
  }

  if (!counter) return null;
  return (
    <div className="counter" data-testid="counter" data-status={counter.status}>
      <CounterLine counter={counter} />
      {counter.status === 'open' && offer.status === 'offered' && can('changeOrder') ? (
        <span className="row end">
          <button type="button" className="ghost" disabled={busy} onClick={() => void post(`/offers/${offer.id}/counter/decline`, {})}>{t('terms.decline')}</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void post(`/offers/${offer.id}/counter/accept`, {})}>{t('terms.accept')}</button>
        </span>
      ) : null}
      {problem ? <ProblemBox problem={problem} /> : null}
    </div>
  );
}

function CounterLine({ counter }: { counter: NonNullable<Allocation['counter']> }): ReactNode {
  const { t, f } = useDomain();
  const price = f.cny(counter.price ?? counter.offerPrice, 2);
  return (
    <span className="small">
      <strong>{t('terms.counter')}</strong> {counter.endDate ? t('terms.askedBy', { price, date: f.day(counter.endDate) }) : t('terms.asked', { price })}
      {counter.note ? <> · “{counter.note}”</> : null} · {t(`terms.status.${counter.status}`, { defaultValue: counter.status })}
      {counter.acceptedBy === 'tolerance' ? <> · {t('terms.byTolerance')}</> : null}
    </span>
  );
}

/** The offer's conversation between its brand and its factory; it opens on demand and loads then. */
export function OfferMessages({ offer, side }: { offer: Allocation; side: Side }): ReactNode {
  const { t } = useDomain();
  const [shown, setShown] = useState(false);
  return (
    <div className="offer-messages">
      <button type="button" className="ghost small" onClick={() => setShown(!shown)}>{shown ? t('terms.hideMessages') : t('terms.messages')}</button>
      {shown ? <Conversation offer={offer} side={side} /> : null}
    </div>
  );
}

function Conversation({ offer, side }: { offer: Allocation; side: Side }): ReactNode {
  const { t, f } = useDomain();
  const messages = useResource(() => api<{ items: OfferMessage[] }>('GET', `/offers/${offer.id}/messages`), [offer.id]);
  const { busy, problem, run } = useAction();
  const can = useCan();
  const [body, setBody] = useState('');
  const writes = can(side === 'brand' ? 'changeOrder' : 'answerOffers') && ['offered', 'accepted', 'in_production', 'produced'].includes(offer.status);
  return (
    <div data-testid="conversation">
      {messages.error ? <ProblemBox problem={messages.error} onRetry={messages.reload} /> : null}
      {messages.data?.items.length === 0 ? <div className="muted small">{t('terms.noMessages')}</div> : null}
      <ul className="messages">
        {messages.data?.items.map((m) => (
          <li key={m.id} data-from={m.from}>
            <span className="muted small">{m.from === side ? t('terms.you') : m.from === 'brand' ? t('terms.brand') : t('terms.factory')} · {f.dateTime(m.createdAt)}</span>
            <div>{m.body}</div>
          </li>
        ))}
      </ul>
      {writes ? (
        <form className="row" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api('POST', `/offers/${offer.id}/messages`, { body });
            setBody('');
            messages.reload();
          });
        }}>
          <textarea name="body" aria-label={t('terms.messageLabel')} required maxLength={2000} rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
          <button type="submit" className="primary" disabled={busy}>{t('terms.send')}</button>
        </form>
      ) : null}
      {problem ? <ProblemBox problem={problem} inline={['body']} /> : null}
    </div>
  );
}
