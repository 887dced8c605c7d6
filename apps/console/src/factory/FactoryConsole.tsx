import { type ReactNode, useState } from 'react';
import { allCounterparties, api, type ApiProblem, asProblem } from '../api';
import { usePollWhenOffline } from '../brand/BrandConsole';
import { useLiveFeed } from '../live';
import type { Allocation, FactoryCounterparties, Line, Organization, Page } from '../types';
import { unitPrice } from '../terms/prices';
import { TERMS_TEXT } from '../terms/text';
import { Card, Countdown, Empty, FeedBadge, Loading, money, num, ProblemBox, shortId, Status, useResource, useThrottled } from '../ui';
import { LotsPanel } from '../lots/LotsPanel';
import { LOT_TEXT } from '../lots/text';
import { LineEditor } from './LineEditor';
import { LineForm } from './LineForm';
import { WebhooksCard } from '../webhooks/WebhooksCard';
import { PeopleCard } from '../people/PeopleCard';
import { useCan } from '../roles';

const IN_HAND = new Set(['accepted', 'in_production']);

function OfferCard({ offer, unit, line, about, onChanged }: { offer: Allocation; unit: string; line: string; about: string; onChanged: () => void }): ReactNode {
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const can = useCan();
  const [reason, setReason] = useState('');
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
          <strong>{num(offer.quantity)} {unit}</strong> on <strong>{line}</strong>
          <div>{about}</div>
          <div className="muted small">{unit === 'm' ? 'weaving' : 'sewing'} {offer.startDate} → {offer.endDate} · you earn {money(offer.price)} ({unitPrice(offer.pricePerUnit, offer.unit)}, {TERMS_TEXT.covers[offer.priceCovers]}) · order {shortId(offer.orderId)}</div>
        </div>
        {offer.expiresAt ? <Countdown until={offer.expiresAt} /> : null}
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {!can('answerOffers') ? null : rejecting ? (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void act(`/offers/${offer.id}/reject`, { reason }); }}>
          <input name="reason" aria-label="Reason for rejecting" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why not? e.g. looms booked for a repeat order" />
          <button type="submit" className="danger" disabled={busy}>Reject</button>
          <button type="button" className="ghost" onClick={() => setRejecting(false)}>Back</button>
        </form>
      ) : (
        <div className="row end">
          <button type="button" className="ghost" disabled={busy} onClick={() => setRejecting(true)}>Reject…</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void act(`/offers/${offer.id}/accept`, undefined)}>{busy ? 'Accepting…' : 'Accept'}</button>
        </div>
      )}
    </li>
  );
}

function ProgressRow({ allocation, unit, line, lineKind, about, onChanged }: { allocation: Allocation; unit: string; line: string; lineKind: string | undefined; about: string; onChanged: () => void }): ReactNode {
  const [value, setValue] = useState(String(allocation.producedQuantity));
  const [showLots, setShowLots] = useState(false);
  const canRecord = useCan()('recordProduction');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const report = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api('POST', `/allocations/${allocation.id}/progress`, { producedQuantity: Number(value) });
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
          <strong>{num(allocation.quantity)} {unit}</strong> on <strong>{line}</strong>
          <div>{about}</div>
          <div className="muted small">{allocation.startDate} → {allocation.endDate} · {money(allocation.price)} ({unitPrice(allocation.pricePerUnit, allocation.unit)}) · order {shortId(allocation.orderId)}</div>
        </div>
        <Status value={allocation.status} />
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void report(); }}>
        <span className="progress wide"><span style={{ width: `${Math.min(100, (allocation.producedQuantity / allocation.quantity) * 100)}%` }} /></span>
        {canRecord ? <input name="producedQuantity" aria-label="Produced so far" type="number" min={0} max={allocation.quantity} value={value} onChange={(e) => setValue(e.target.value)} className="narrow" /> : null}
        <span className="muted small">{canRecord ? '' : `${num(allocation.producedQuantity)} `}of {num(allocation.quantity)} {unit}</span>
        {canRecord ? <button type="submit" className="ghost" disabled={busy}>Report progress</button> : null}
        <button type="button" className="ghost" aria-expanded={showLots} onClick={() => setShowLots(!showLots)}>{showLots ? LOT_TEXT.hideLots : LOT_TEXT.showLots}</button>
      </form>
      {problem ? <ProblemBox problem={problem} /> : null}
      {showLots ? <LotsPanel allocationId={allocation.id} quantity={allocation.quantity} unit={unit} lineKind={lineKind} canRecord={canRecord} onRecorded={onChanged} /> : null}
    </li>
  );
}

/** A factory's console: offers to answer before they expire, work in hand, lines. */
export function FactoryConsole({ me, apiKey }: { me: Organization; apiKey: string | undefined }): ReactNode {
  const offers = useResource(() => api<Page<Allocation>>('GET', '/offers'), []);
  const lines = useResource(() => api<Page<Line>>('GET', '/lines'), []);
  const parties = useResource(() => allCounterparties<FactoryCounterparties>(), []);
  const about = (orderId: string): string => {
    const order = parties.data?.orders.find((o) => o.id === orderId);
    if (!order) return '';
    const brand = parties.data?.brands.find((b) => b.id === order.brandId)?.name ?? 'a brand';
    const f = order.spec.fabric;
    const g = order.spec.garment;
    const what = f ? `${f.fiber} ${f.weave}, ${f.widthCm} cm, ${f.picksPerCm} picks/cm` : g ? `${g.category}, ${g.fabricType}, ${g.samMinutes} SAM` : order.kind;
    return `${what} for ${brand} · due ${order.dueDate}`;
  };
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string>();
  const reload = useThrottled(() => {
    offers.reload();
    parties.reload();
  }, 1000);
  const feed = useLiveFeed(apiKey, reload);
  const can = useCan();
  usePollWhenOffline(feed, offers.reload);
  const unitOf = (lineId: string): string => (lines.data?.items.find((l) => l.id === lineId)?.kind === 'sewing' ? 'pcs' : 'm');
  const lineName = (lineId: string): string => lines.data?.items.find((l) => l.id === lineId)?.name ?? `line ${shortId(lineId)}`;
  const open = (offers.data?.items ?? []).filter((o) => o.status === 'offered');
  const inHand = (offers.data?.items ?? []).filter((o) => IN_HAND.has(o.status));
  const lineCount = lines.data?.items.length ?? 0;

  return (
    <div className="layout-factory">
      {!me.verified ? <div className="notice">Your factory is waiting for an operator to verify it; until then no orders are dispatched to it.</div> : null}
      <Card title="Offers waiting for you" actions={<FeedBadge state={feed} />}>
        {offers.error ? <ProblemBox problem={offers.error} onRetry={offers.reload} /> : null}
        {offers.loading && !offers.data ? <Loading rows={2} label="Loading offers" /> : null}
        {offers.data && open.length === 0 ? (
          <Empty title="No open offers">{lineCount === 0 ? 'Add a line below; orders that fit it are offered here.' : 'New offers appear here the moment the matcher picks one of your lines.'}</Empty>
        ) : null}
        <ul className="offers">{open.map((o) => <OfferCard key={o.id} offer={o} unit={unitOf(o.lineId)} line={lineName(o.lineId)} about={about(o.orderId)} onChanged={reload} />)}</ul>
      </Card>
      <Card title="Work in hand">
        {offers.data && inHand.length === 0 ? <Empty title="Nothing in production">Accepted offers show here; report progress as you go.</Empty> : null}
        <ul className="offers">{inHand.map((o) => <ProgressRow key={o.id} allocation={o} unit={unitOf(o.lineId)} line={lineName(o.lineId)} lineKind={lines.data?.items.find((l) => l.id === o.lineId)?.kind} about={about(o.orderId)} onChanged={reload} />)}</ul>
      </Card>
      <Card title="Lines" actions={can('editLines') ? <button type="button" className={adding ? 'ghost' : 'primary'} onClick={() => setAdding(!adding)}>{adding ? 'Close' : 'Add line'}</button> : null}>
        {adding ? <LineForm city={me.city} onCreated={() => { setAdding(false); lines.reload(); }} /> : null}
        {lines.error ? <ProblemBox problem={lines.error} onRetry={lines.reload} /> : null}
        {lines.loading && !lines.data ? <Loading rows={2} label="Loading lines" /> : null}
        {lines.data && lineCount === 0 && !adding ? <Empty title="No lines yet">Publish your looms or sewing lines so orders can be matched to them.</Empty> : null}
        {lineCount > 0 ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>Line</th><th>Machines</th><th className="num">Daily capacity</th><th className="num">Rate</th><th>Status</th><th /></tr></thead>
              <tbody>
                {lines.data!.items.flatMap((l) => [
                  <tr key={l.id} data-testid="line">
                    <td data-label="Line"><strong>{l.name}</strong> <code className="muted">{shortId(l.id)}</code></td>
                    <td data-label="Machines">{l.kind === 'weaving' ? `${num(l.machines ?? 0)} × ${l.machineType?.replace('_', ' ')} @ ${l.rpm} rpm, ≤ ${l.maxWidthCm} cm` : l.kind === 'finishing' ? `${(l.processes ?? []).join(', ')} · ${num(l.metersPerDay ?? 0)} m/day, ≤ ${l.maxWidthCm} cm` : `${num(l.operators ?? 0)} operators · ${(l.categories ?? []).join(', ')}`}</td>
                    <td data-label="Daily capacity" className="num">{num(l.dailyCapacity)} {l.capacityUnit}</td>
                    <td data-label="Rate" className="num">¥{l.ratePerUnit}<div className="muted small">{TERMS_TEXT.covers[l.priceCovers]}</div></td>
                    <td data-label="Status"><Status value={l.active ? 'active' : 'paused'} /></td>
                    <td className="num">
                      {can('editLines') ? <button type="button" className="ghost small" aria-expanded={editing === l.id} onClick={() => setEditing(editing === l.id ? undefined : l.id)}>{editing === l.id ? 'Close' : 'Edit'}</button> : null}
                    </td>
                  </tr>,
                  ...(editing === l.id
                    ? [
                        <tr key={`${l.id}-edit`} className="editor-row">
                          <td colSpan={6}><LineEditor line={l} city={me.city} onSaved={lines.reload} /></td>
                        </tr>,
                      ]
                    : []),
                ])}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      {can('manageWebhooks') ? <WebhooksCard kind={me.kind} /> : null}
      {can('managePeople') ? <PeopleCard kind={me.kind} /> : null}
    </div>
  );
}
