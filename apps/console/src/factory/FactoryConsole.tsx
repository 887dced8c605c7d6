import { CounterPanel, OfferMessages } from '../terms/OfferTerms';
import { type ReactNode, useState } from 'react';
import { allCounterparties, api, type ApiProblem, asProblem } from '../api';
import { usePollWhenOffline } from '../brand/BrandConsole';
import { useLiveFeed } from '../live';
import type { Allocation, FactoryCounterparties, Line, Organization, Page } from '../types';
import { REJECT_REASON_CODES, useDomain } from '../i18n/domain';
import { Card, Countdown, Empty, FeedBadge, Field, Loading, ProblemBox, shortId, Status, useResource, useThrottled } from '../ui';
import { LotsPanel } from '../lots/LotsPanel';
import { LineEditor } from './LineEditor';
import { unitPrice } from '../terms/prices';
import { LineForm } from './LineForm';
import { useCan } from '../roles';
import { LineCalendar } from '../calendar/LineCalendar';
import { FactoryProfile } from '../profile/FactoryProfile';
import { BulkAcceptBar, PickOffer } from './BulkAccept';
import { SpreadsheetImport } from '../imports/SpreadsheetImport';

const IN_HAND = new Set(['accepted', 'in_production']);

function OfferCard({ offer, kind, line, about, onChanged, picked, onPick }: { offer: Allocation; kind: string; line: string; about: string; onChanged: () => void; picked: ReadonlySet<string>; /** absent: nothing to pick (fewer than two offers shown) */ onPick: ((ids: ReadonlySet<string>) => void) | undefined }): ReactNode {
  const d = useDomain();
  const { t, f, word } = d;
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const can = useCan();
  const [reasonCode, setReasonCode] = useState<string>(REJECT_REASON_CODES[0]);
  const [note, setNote] = useState('');
  const act = async (path: string, body: unknown): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api('POST', path, body);
      onChanged();
    } catch (error) {
      setProblem(asProblem(error));
      onChanged();
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="offer" data-testid="offer" data-offer-id={offer.id}>
      <div className="offer-main">
        <div>
          {can('answerOffers') && onPick ? <PickOffer id={offer.id} picked={picked} onPick={onPick} label={t('bulkAccept.pick', { order: shortId(offer.orderId) })} /> : null}
          <strong>{t('factory.onLine', { quantity: d.quantity(offer.quantity, kind === 'sewing' ? 'garment' : 'fabric'), line })}</strong>
          <div>{about}</div>
          <div className="muted small">{t('factory.offerMeta', { stage: word('lineKind', kind), start: f.day(offer.startDate), end: f.day(offer.endDate), price: `${f.cny(offer.price)} (${unitPrice(d, offer.pricePerUnit, offer.unit)}, ${t(`terms.covers.${offer.priceCovers}`)})`, id: shortId(offer.orderId) })}</div>
        </div>
        {offer.expiresAt ? <Countdown until={offer.expiresAt} /> : null}
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
      <CounterPanel offer={offer} side="factory" onChanged={onChanged} />
      <OfferMessages offer={offer} side="factory" />
      {!can('answerOffers') ? null : rejecting ? (
        <form className="reject-form" onSubmit={(e) => { e.preventDefault(); void act(`/offers/${offer.id}/reject`, { reasonCode, ...(note.trim() ? { note: note.trim() } : {}) }); }}>
          <Field label={t('factory.reason')}>
            <select name="reasonCode" value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
              {REJECT_REASON_CODES.map((c) => <option key={c} value={c}>{word('rejectReason', c)}</option>)}
            </select>
          </Field>
          <Field label={t('factory.note')}>
            <input name="note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <div className="row end">
            <button type="button" className="ghost" onClick={() => setRejecting(false)}>{t('factory.back')}</button>
            <button type="submit" className="danger" disabled={busy}>{t('factory.reject')}</button>
          </div>
        </form>
      ) : (
        <div className="row end">
          <button type="button" className="ghost" disabled={busy} onClick={() => setRejecting(true)}>{t('factory.rejectMore')}</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void act(`/offers/${offer.id}/accept`, undefined)}>{busy ? t('factory.accepting') : t('factory.accept')}</button>
        </div>
      )}
    </li>
  );
}

function ProgressRow({ allocation, unit, line, lineKind, about, onChanged }: { allocation: Allocation; unit: string; line: string; lineKind: string | undefined; about: string; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  const [saved, setSaved] = useState<string>();
  const [value, setValue] = useState(String(allocation.producedQuantity));
  const [showLots, setShowLots] = useState(false);
  const canRecord = useCan()('recordProduction');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const report = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    setSaved(undefined);
    try {
      await api('POST', `/allocations/${allocation.id}/progress`, { producedQuantity: Number(value) });
      setSaved(t('factory.progressSaved', { produced: f.num(Number(value)), quantity: `${f.num(allocation.quantity)} ${unit}` }));
      onChanged();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="offer" data-testid="work" data-status={allocation.status}>
      <div className="offer-main">
        <div>
          <strong>{t('factory.onLine', { quantity: `${f.num(allocation.quantity)} ${unit}`, line })}</strong>
          <div>{about}</div>
          <div className="muted small">{t('factory.workMeta', { start: f.day(allocation.startDate), end: f.day(allocation.endDate), price: `${f.cny(allocation.price)} (${unitPrice(d, allocation.pricePerUnit, allocation.unit)})`, id: shortId(allocation.orderId) })}</div>
        </div>
        <Status value={allocation.status} />
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void report(); }}>
        <span className="progress wide"><span style={{ width: `${Math.min(100, (allocation.producedQuantity / allocation.quantity) * 100)}%` }} /></span>
        {canRecord ? <input name="producedQuantity" aria-label={t('factory.producedSoFar')} type="number" min={0} max={allocation.quantity} value={value} onChange={(e) => { setValue(e.target.value); setSaved(undefined); }} className="narrow" /> : null}
        <span className="muted small">{canRecord ? '' : `${f.num(allocation.producedQuantity)} `}{t('factory.ofQuantity', { quantity: `${f.num(allocation.quantity)} ${unit}` })}</span>
        {canRecord ? <button type="submit" className="ghost" disabled={busy}>{t('factory.reportProgress')}</button> : null}
        <button type="button" className="ghost" aria-expanded={showLots} onClick={() => setShowLots(!showLots)}>{showLots ? t('lots.hideLots') : t('lots.showLots')}</button>
      </form>
      {saved ? <div className="saved" role="status" data-testid="progress-saved">{saved}</div> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {showLots ? <LotsPanel allocationId={allocation.id} quantity={allocation.quantity} unit={unit} lineKind={lineKind} canRecord={canRecord} onRecorded={onChanged} /> : null}
    </li>
  );
}

/** A factory's console: its workbench (offers, work in hand, lines) and its profile, one tab each. */
export function FactoryConsole({ me: signedIn, apiKey }: { me: Organization; apiKey: string | undefined }): ReactNode {
  const { t } = useDomain();
  const [view, setView] = useState<'work' | 'profile'>('work');
  // The profile page saves through PATCH /me, which answers the organization as it now is.
  const [me, setMe] = useState(signedIn);
  return (
    <>
      <nav className="subnav">
        <div className="chips" role="tablist" aria-label={t('factoryProfile.views')}>
          <button type="button" role="tab" aria-selected={view === 'work'} onClick={() => setView('work')}>{t('factoryProfile.tabWork')}</button>
          <button type="button" role="tab" aria-selected={view === 'profile'} onClick={() => setView('profile')}>{t('factoryProfile.tabProfile')}</button>
        </div>
      </nav>
      {view === 'work' ? <Workbench me={me} apiKey={apiKey} /> : <FactoryProfile me={me} onSaved={setMe} />}
    </>
  );
}

/** Offers to answer before they expire, work in hand, lines. */
function Workbench({ me, apiKey }: { me: Organization; apiKey: string | undefined }): ReactNode {
  const offers = useResource(() => api<Page<Allocation>>('GET', '/offers'), []);
  // The queue in the server's order, the offer expiring soonest first, of one line when asked.
  const [queueLine, setQueueLine] = useState('');
  const queue = useResource(() => api<Page<Allocation>>('GET', `/offers?status=offered${queueLine ? `&lineId=${queueLine}` : ''}`), [queueLine]);
  // Offers picked for a bulk accept; a pick of an offer no longer shown does not count.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [calendarOf, setCalendarOf] = useState<string>();
  const lines = useResource(() => api<Page<Line>>('GET', '/lines'), []);
  const d = useDomain();
  const { t, f, word } = d;
  const parties = useResource(() => allCounterparties<FactoryCounterparties>(), []);
  const about = (orderId: string): string => {
    const order = parties.data?.orders.find((o) => o.id === orderId);
    if (!order) return '';
    const brand = parties.data?.brands.find((b) => b.id === order.brandId)?.name ?? t('factory.aBrand');
    return t('factory.about', { what: d.spec(order.spec, order.kind), brand, due: f.day(order.dueDate) });
  };
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<string>();
  const reload = useThrottled(() => {
    offers.reload();
    queue.reload();
    parties.reload();
  }, 1000);
  const feed = useLiveFeed(apiKey, reload);
  const can = useCan();
  usePollWhenOffline(feed, reload);
  const kindOf = (lineId: string): string => lines.data?.items.find((l) => l.id === lineId)?.kind ?? 'weaving';
  const unitOf = (lineId: string): string => t(kindOf(lineId) === 'sewing' ? 'units.pcs' : 'units.m');
  const lineName = (lineId: string): string => lines.data?.items.find((l) => l.id === lineId)?.name ?? t('factory.lineId', { id: shortId(lineId) });
  // Most urgent first (the server's order): the offer about to expire is the one to answer now.
  const open = queue.data?.items ?? [];
  const inHand = (offers.data?.items ?? []).filter((o) => IN_HAND.has(o.status));
  const lineCount = lines.data?.items.length ?? 0;

  return (
    <div className="layout-factory">
      {!me.verified ? <div className="notice">{t('factory.notVerified')}</div> : null}
      <Card
        title={t('factory.offers')}
        actions={
          <div className="row">
            {lineCount > 1 ? (
              <select aria-label={t('calendar.byLine')} value={queueLine} onChange={(e) => setQueueLine(e.target.value)}>
                <option value="">{t('calendar.allLines')}</option>
                {lines.data!.items.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
              </select>
            ) : null}
            <FeedBadge state={feed} />
          </div>
        }
      >
        {queue.error ? <ProblemBox problem={queue.error} onRetry={queue.reload} /> : null}
        {queue.loading && !queue.data ? <Loading rows={2} label={t('factory.loadingOffers')} /> : null}
        {queue.data && open.length === 0 ? (
          <Empty title={t('factory.noOffers')}>{lineCount === 0 ? t('factory.noOffersNoLines') : t('factory.noOffersHint')}</Empty>
        ) : null}
        <ul className="offers">{open.map((o) => <OfferCard key={o.id} offer={o} kind={kindOf(o.lineId)} line={lineName(o.lineId)} about={about(o.orderId)} onChanged={reload} picked={picked} onPick={open.length > 1 ? setPicked : undefined} />)}</ul>
        {can('answerOffers') ? <BulkAcceptBar open={open} picked={picked} onPick={setPicked} lineName={queueLine ? lineName(queueLine) : undefined} onAccepted={reload} /> : null}
      </Card>
      <Card title={t('factory.workInHand')}>
        {offers.data && inHand.length === 0 ? <Empty title={t('factory.nothingInProduction')}>{t('factory.nothingInProductionHint')}</Empty> : null}
        <ul className="offers">{inHand.map((o) => <ProgressRow key={o.id} allocation={o} unit={unitOf(o.lineId)} line={lineName(o.lineId)} lineKind={lines.data?.items.find((l) => l.id === o.lineId)?.kind} about={about(o.orderId)} onChanged={reload} />)}</ul>
      </Card>
      <Card
        title={t('factory.lines')}
        actions={can('editLines') ? (
          <div className="row">
            <button type="button" className="ghost" aria-expanded={importing} onClick={() => setImporting(!importing)}>{t('imports.lines.title')}</button>
            <button type="button" className={adding ? 'ghost' : 'primary'} onClick={() => setAdding(!adding)}>{adding ? t('common.close') : t('factory.addLine')}</button>
          </div>
        ) : null}
      >
        {importing ? <SpreadsheetImport target="lines" onImported={lines.reload} /> : null}
        {adding ? <LineForm city={me.city} onCreated={() => { setAdding(false); lines.reload(); }} /> : null}
        {lines.error ? <ProblemBox problem={lines.error} onRetry={lines.reload} /> : null}
        {lines.loading && !lines.data ? <Loading rows={2} label={t('factory.loadingLines')} /> : null}
        {lines.data && lineCount === 0 && !adding ? <Empty title={t('factory.noLines')}>{t('factory.noLinesHint')}</Empty> : null}
        {lineCount > 0 ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>{t('factory.line')}</th><th>{t('factory.machines')}</th><th className="num">{t('factory.dailyCapacity')}</th><th className="num">{t('factory.rate')}</th><th>{t('factory.status')}</th><th><span className="visually-hidden">{t('common.edit')}</span></th></tr></thead>
              <tbody>
                {lines.data!.items.flatMap((l) => {
                  const capacity = d.capacity(l.kind, l.dailyCapacity);
                  return [
                  <tr key={l.id} data-testid="line">
                    <td data-label={t('factory.line')}><strong>{l.name}</strong> <code className="muted">{shortId(l.id)}</code></td>
                    <td data-label={t('factory.machines')}>{l.kind === 'weaving'
                      ? t('factory.weavingMachines', { count: l.machines ?? 0, machine: word('machineType', l.machineType ?? ''), rpm: f.num(l.rpm ?? 0), width: f.num(l.maxWidthCm ?? 0) })
                      : l.kind === 'finishing'
                        ? t('factory.finishingMachines', { processes: (l.processes ?? []).map((p) => word('process', p)).join(t('common.listSeparator')), meters: f.num(l.metersPerDay ?? 0), width: f.num(l.maxWidthCm ?? 0) })
                        : t('factory.sewingMachines', { count: l.operators ?? 0, categories: (l.categories ?? []).map((c) => word('category', c)).join(t('common.listSeparator')) })}</td>
                    <td data-label={t('factory.dailyCapacity')} className="num" data-testid="line-capacity">
                      {capacity.mill ? <><strong>{capacity.mill}</strong><div className="muted small">{capacity.raw}</div></> : capacity.raw}
                    </td>
                    <td data-label={t('factory.rate')} className="num">{f.cny(l.ratePerUnit, 3)} <span className="muted small">{t(`units.ratePer.${l.kind}`)}</span><div className="muted small">{t(`terms.covers.${l.priceCovers}`)}</div></td>
                    <td data-label={t('factory.status')}><Status value={l.active ? 'active' : 'paused'} /></td>
                    <td className="num">
                      <button type="button" className="ghost small" aria-expanded={calendarOf === l.id} onClick={() => setCalendarOf(calendarOf === l.id ? undefined : l.id)}>{calendarOf === l.id ? t('calendar.close') : t('calendar.open')}</button>
                      {can('editLines') ? <button type="button" className="ghost small" aria-expanded={editing === l.id} onClick={() => setEditing(editing === l.id ? undefined : l.id)}>{editing === l.id ? t('common.close') : t('common.edit')}</button> : null}
                    </td>
                  </tr>,
                  ...(calendarOf === l.id
                    ? [
                        <tr key={`${l.id}-calendar`} className="editor-row">
                          <td colSpan={6}><LineCalendar lineId={l.id} lineName={l.name} /></td>
                        </tr>,
                      ]
                    : []),
                  ...(editing === l.id
                    ? [
                        <tr key={`${l.id}-edit`} className="editor-row">
                          <td colSpan={6}><LineEditor line={l} city={me.city} onSaved={lines.reload} /></td>
                        </tr>,
                      ]
                    : []),
                  ];
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
