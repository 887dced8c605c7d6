import { FABRIC_TYPES, FIBERS, GARMENT_CATEGORIES, WEAVES } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { Order } from '../types';
import { Field, money, ProblemBox } from '../ui';
import { unitPrice } from '../terms/prices';
import { TERMS_TEXT } from '../terms/text';
import { type FeatureCounts, GarmentSpecFields, parseSizes, pickedFeatures, type SamMode, SPEC_TEXT } from './GarmentSpecFields';

/** Fields this form shows errors beside (dotted as the API names them). */
const FORM_FIELDS = ['fabric.fiber', 'fabric.weave', 'fabric.widthCm', 'fabric.picksPerCm', 'fabric.gsm', 'garment.category', 'garment.fabricType', 'garment.samMinutes', 'garment.spec', 'sizes', 'quantity', 'dueDate', 'earliestStart', 'maxSplits', 'certifications', 'targetPrice'];

const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Draft {
  kind: 'fabric' | 'garment';
  fiber: string;
  weave: string;
  widthCm: string;
  picksPerCm: string;
  gsm: string;
  category: string;
  fabricType: string;
  samMinutes: string;
  samMode: SamMode;
  features: FeatureCounts;
  sizes: string;
  quantity: string;
  dueDate: string;
  earliestStart: string;
  maxSplits: string;
  certifications: string;
  targetPrice: string;
}

const initial: Draft = {
  kind: 'fabric',
  fiber: 'cotton',
  weave: 'twill',
  widthCm: '150',
  picksPerCm: '30',
  gsm: '',
  category: 'tshirt',
  fabricType: 'knit',
  samMinutes: '12',
  samMode: 'minutes',
  features: {},
  sizes: '',
  quantity: '',
  dueDate: isoIn(21),
  earliestStart: '',
  maxSplits: '',
  certifications: '',
  targetPrice: '',
};

/** The request body exactly as the API takes it; empty optional fields are left out. */
function bodyOf(d: Draft): Record<string, unknown> {
  const n = (v: string): number => Number(v);
  const optional = (field: string, v: string, f: (x: string) => unknown = n): Record<string, unknown> => (v.trim() === '' ? {} : { [field]: f(v.trim()) });
  return {
    kind: d.kind,
    ...(d.kind === 'fabric'
      ? { fabric: { fiber: d.fiber, weave: d.weave, widthCm: n(d.widthCm), picksPerCm: n(d.picksPerCm), ...optional('gsm', d.gsm) } }
      : { garment: { category: d.category, fabricType: d.fabricType, ...(d.samMode === 'spec' ? { spec: { features: pickedFeatures(d.features) } } : { samMinutes: n(d.samMinutes) }) } }),
    ...(d.kind === 'garment' && parseSizes(d.sizes) ? { sizes: parseSizes(d.sizes) } : {}),
    quantity: n(d.quantity),
    dueDate: d.dueDate,
    ...optional('earliestStart', d.earliestStart, String),
    ...optional('maxSplits', d.maxSplits),
    ...optional('certifications', d.certifications, (v) => v.split(',').map((c) => c.trim()).filter(Boolean)),
    ...optional('targetPrice', d.targetPrice),
  };
}

type Quote =
  | { feasible: true; earliestCompletion: string; slackDays: number; price: number; pricePerUnit: number; unit: string; priceCovers: string; withinTargetPrice: boolean | null; splits: number; factories: number }
  | { feasible: false; reasons: { code: string; message: string }[]; closestMiss: { coveredFraction: number; coveredQuantity: number } };

function QuoteView({ quote }: { quote: Quote }): ReactNode {
  if (!quote.feasible) {
    return (
      <div className="quote no" data-testid="quote">
        <strong>No plan if posted now</strong>
        <ul>{quote.reasons.map((r) => <li key={r.code}><code>{r.code}</code> {r.message}</li>)}</ul>
        <span className="muted small">The best plan covers {Math.round(quote.closestMiss.coveredFraction * 100)}% by the due date. Posted anyway, the order waits and is tried again when capacity appears.</span>
      </div>
    );
  }
  return (
    <div className="quote ok" data-testid="quote">
      <strong>Instant quote</strong>
      <div className="quote-figures">
        <span data-testid="quote-price"><span className="muted">price</span> {money(quote.price)} <span className="muted small">({unitPrice(quote.pricePerUnit, quote.unit)}, {TERMS_TEXT.covers[quote.priceCovers] ?? quote.priceCovers})</span></span>
        <span><span className="muted">ready by</span> {quote.earliestCompletion}</span>
        <span><span className="muted">slack</span> {quote.slackDays} day{quote.slackDays === 1 ? '' : 's'}</span>
        <span><span className="muted">on</span> {quote.splits} line{quote.splits === 1 ? '' : 's'}, {quote.factories} factor{quote.factories === 1 ? 'y' : 'ies'}</span>
      </div>
      {quote.withinTargetPrice === false ? <span className="field-error">Above your target price.</span> : null}
      <span className="muted small">Nothing is reserved until you post the order; capacity may be taken meanwhile.</span>
    </div>
  );
}

/** Posts a fabric or garment order; an instant quote first, if the brand wants one. */
export function OrderForm({ onPosted }: { onPosted: (order: Order) => void }): ReactNode {
  const [draft, setDraft] = useState<Draft>(initial);
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState<'quote' | 'post'>();
  const [quote, setQuote] = useState<Quote>();
  // One key per draft: a retry after a lost response returns the first order instead of a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft({ ...draft, [field]: e.target.value });
    setQuote(undefined);
  };
  const err = (field: string): string | undefined => problem?.fieldMessage(field);

  const askQuote = async (): Promise<void> => {
    setBusy('quote');
    setProblem(undefined);
    try {
      setQuote(await api<Quote>('POST', '/quotes', bodyOf(draft)));
    } catch (error) {
      const p = asProblem(error);
      setProblem(p.status === 404 ? Object.assign(p, { detail: 'Instant quotes are not available on this server yet; you can still post the order.' }) : p);
    } finally {
      setBusy(undefined);
    }
  };

  const post = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy('post');
    setProblem(undefined);
    try {
      const order = await fetchPost(bodyOf(draft), idempotencyKey);
      setDraft({ ...initial, kind: draft.kind });
      setQuote(undefined);
      setIdempotencyKey(crypto.randomUUID());
      onPosted(order);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <form className="order-form" onSubmit={(e) => void post(e)} aria-label="New order">
      <div className="segmented" role="radiogroup" aria-label="Kind of order">
        {(['fabric', 'garment'] as const).map((k) => (
          <label key={k} className={draft.kind === k ? 'on' : ''}>
            <input type="radio" name="kind" value={k} checked={draft.kind === k} onChange={() => { setDraft({ ...draft, kind: k }); setQuote(undefined); setProblem(undefined); }} />
            {k === 'fabric' ? 'Fabric (meters)' : 'Garments (pieces)'}
          </label>
        ))}
      </div>
      {draft.kind === 'fabric' ? (
        <div className="grid3">
          <Field label="Fibre" error={err('fabric.fiber')}>
            <select name="fiber" value={draft.fiber} onChange={set('fiber')}>{FIBERS.map((f) => <option key={f}>{f}</option>)}</select>
          </Field>
          <Field label="Weave" error={err('fabric.weave')}>
            <select name="weave" value={draft.weave} onChange={set('weave')}>{WEAVES.map((w) => <option key={w}>{w}</option>)}</select>
          </Field>
          <Field label="Width (cm)" error={err('fabric.widthCm')}>
            <input name="widthCm" type="number" inputMode="numeric" required value={draft.widthCm} onChange={set('widthCm')} />
          </Field>
          <Field label="Picks per cm" error={err('fabric.picksPerCm')} hint="weft density">
            <input name="picksPerCm" type="number" inputMode="decimal" step="any" required value={draft.picksPerCm} onChange={set('picksPerCm')} />
          </Field>
          <Field label="Weight (g/m²)" error={err('fabric.gsm')} hint="optional">
            <input name="gsm" type="number" inputMode="numeric" value={draft.gsm} onChange={set('gsm')} />
          </Field>
        </div>
      ) : (
        <>
        <div className="grid3">
          <Field label="Category" error={err('garment.category')}>
            <select name="category" value={draft.category} onChange={set('category')}>{GARMENT_CATEGORIES.map((c) => <option key={c}>{c}</option>)}</select>
          </Field>
          <Field label="Fabric type" error={err('garment.fabricType')}>
            <select name="fabricType" value={draft.fabricType} onChange={set('fabricType')}>{FABRIC_TYPES.map((f) => <option key={f}>{f}</option>)}</select>
          </Field>
          <Field label={SPEC_TEXT.samMode}>
            <select name="samMode" value={draft.samMode} onChange={(e) => { setDraft({ ...draft, samMode: e.target.value as SamMode }); setQuote(undefined); }}>
              <option value="minutes">{SPEC_TEXT.samKnown}</option>
              <option value="spec">{SPEC_TEXT.samFromSpec}</option>
            </select>
          </Field>
          {draft.samMode === 'minutes' ? (
            <Field label="Standard minutes per piece" error={err('garment.samMinutes')}>
              <input name="samMinutes" type="number" inputMode="decimal" step="any" required value={draft.samMinutes} onChange={set('samMinutes')} />
            </Field>
          ) : null}
          <Field label={SPEC_TEXT.sizes} error={err('sizes')} hint={SPEC_TEXT.sizesHint}>
            <input name="sizes" value={draft.sizes} onChange={set('sizes')} placeholder="S:100, M:150, L:50" />
          </Field>
        </div>
        {draft.samMode === 'spec' ? (
          <GarmentSpecFields category={draft.category} fabricType={draft.fabricType} counts={draft.features} error={err('garment.spec')}
            onChange={(features) => { setDraft({ ...draft, features }); setQuote(undefined); }} />
        ) : null}
        </>
      )}
      <div className="grid3">
        <Field label={draft.kind === 'fabric' ? 'Quantity (meters)' : 'Quantity (pieces)'} error={err('quantity')}>
          <input name="quantity" type="number" inputMode="numeric" required min={1} value={draft.quantity} onChange={set('quantity')} placeholder="3000" />
        </Field>
        <Field label="Due date" error={err('dueDate')}>
          <input name="dueDate" type="date" required value={draft.dueDate} onChange={set('dueDate')} />
        </Field>
        <Field label="Earliest start" error={err('earliestStart')} hint="default tomorrow">
          <input name="earliestStart" type="date" value={draft.earliestStart} onChange={set('earliestStart')} />
        </Field>
        <Field label="Max splits" error={err('maxSplits')} hint={`default ${draft.kind === 'fabric' ? 3 : 2}`}>
          <input name="maxSplits" type="number" inputMode="numeric" min={1} max={10} value={draft.maxSplits} onChange={set('maxSplits')} />
        </Field>
        <Field label="Certifications" error={err('certifications')} hint="comma-separated, e.g. OEKO-TEX, GRS">
          <input name="certifications" value={draft.certifications} onChange={set('certifications')} />
        </Field>
        <Field label="Target price (CNY)" error={err('targetPrice')} hint="optional, whole order">
          <input name="targetPrice" type="number" inputMode="decimal" min={0} value={draft.targetPrice} onChange={set('targetPrice')} />
        </Field>
      </div>
      {problem ? <ProblemBox problem={problem} inline={FORM_FIELDS} /> : null}
      {quote ? <QuoteView quote={quote} /> : null}
      <div className="row end">
        <button type="button" className="ghost" disabled={busy !== undefined || draft.quantity === ''} onClick={() => void askQuote()}>
          {busy === 'quote' ? 'Quoting…' : 'Get instant quote'}
        </button>
        <button type="submit" className="primary" disabled={busy !== undefined}>
          {busy === 'post' ? 'Posting…' : 'Post order'}
        </button>
      </div>
    </form>
  );
}

async function fetchPost(body: Record<string, unknown>, idempotencyKey: string): Promise<Order> {
  return api<Order>('POST', '/orders', body, undefined, { 'idempotency-key': idempotencyKey });
}
