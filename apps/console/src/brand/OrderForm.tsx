import { FABRIC_TYPES, FIBERS, GARMENT_CATEGORIES, WEAVES } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import { CERTIFICATIONS, useDomain } from '../i18n/domain';
import { unitPrice } from '../terms/prices';
import type { Order } from '../types';
import { DateInput, Field, FieldGroup, ProblemBox, useFieldError } from '../ui';
import { type FeatureCounts, GarmentSpecFields, parseSizes, pickedFeatures, type SamMode } from './GarmentSpecFields';

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
  certifications: string[];
  targetPrice: string;
}

const defaults: Draft = {
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
  certifications: [],
  targetPrice: '',
};

/** Where the last posted spec is kept: the next order starts from it (a merchandiser reorders the same fabric). */
const LAST_SPEC_KEY = 'cloudloom.lastOrderSpec';

/** The last spec posted in this browser, with a fresh quantity and a due date not in the past. */
function remembered(): Draft {
  try {
    const saved = JSON.parse(localStorage.getItem(LAST_SPEC_KEY) ?? 'null') as Partial<Draft> | null;
    if (!saved || typeof saved !== 'object') return defaults;
    const draft = { ...defaults, ...saved, quantity: '' };
    return draft.dueDate < isoIn(1) ? { ...draft, dueDate: defaults.dueDate, earliestStart: '' } : draft;
  } catch {
    return defaults;
  }
}

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
    ...(d.certifications.length ? { certifications: d.certifications } : {}),
    ...optional('targetPrice', d.targetPrice),
  };
}

type Quote =
  | { feasible: true; earliestCompletion: string; slackDays: number; price: number; pricePerUnit: number; unit: string; priceCovers: string; withinTargetPrice: boolean | null; splits: number; factories: number }
  | { feasible: false; reasons: { code: string; message: string }[]; closestMiss: { coveredFraction: number; coveredQuantity: number } };

function QuoteView({ quote }: { quote: Quote }): ReactNode {
  const domain = useDomain();
  const { t, f, reason } = domain;
  if (!quote.feasible) {
    return (
      <div className="quote no" data-testid="quote">
        <strong>{t('quote.noPlan')}</strong>
        <ul>{quote.reasons.map((r) => <li key={r.code} data-code={r.code}>{reason({ lines: 0, ...r })}</li>)}</ul>
        <span className="muted small">{t('quote.closest', { covered: f.pct(quote.closestMiss.coveredFraction) })}</span>
      </div>
    );
  }
  return (
    <div className="quote ok" data-testid="quote">
      <strong>{t('quote.title')}</strong>
      <div className="quote-figures">
        <span data-testid="quote-price"><span className="muted">{t('quote.price')}</span> {f.cny(quote.price)} <span className="muted small">({unitPrice(domain, quote.pricePerUnit, quote.unit)}, {t(`terms.covers.${quote.priceCovers}`)})</span></span>
        <span><span className="muted">{t('quote.readyBy')}</span> {f.day(quote.earliestCompletion)}</span>
        <span><span className="muted">{t('quote.slack')}</span> {t('quote.slackDays', { count: quote.slackDays })}</span>
        <span><span className="muted">{t('quote.on')}</span> {t('quote.spread', { lines: quote.splits, factories: quote.factories })}</span>
      </div>
      {quote.withinTargetPrice === false ? <span className="field-error">{t('quote.aboveTarget')}</span> : null}
      <span className="muted small">{t('quote.nothingReserved')}</span>
    </div>
  );
}

/** Posts a fabric or garment order; an instant quote first, if the brand wants one. */
export function OrderForm({ onPosted }: { onPosted: (order: Order) => void }): ReactNode {
  const { t, word } = useDomain();
  const [draft, setDraft] = useState<Draft>(remembered);
  const [posted, setPosted] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState<'quote' | 'post'>();
  const [quote, setQuote] = useState<Quote>();
  // One key per draft: a retry after a lost response returns the first order instead of a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft({ ...draft, [field]: e.target.value });
    setQuote(undefined);
    setPosted(false);
  };
  const setDate = (field: 'dueDate' | 'earliestStart') => (value: string): void => set(field)({ target: { value } });
  const err = useFieldError(problem);

  const askQuote = async (): Promise<void> => {
    setBusy('quote');
    setProblem(undefined);
    try {
      setQuote(await api<Quote>('POST', '/quotes', bodyOf(draft)));
    } catch (error) {
      const p = asProblem(error);
      setProblem(p.status === 404 ? Object.assign(p, { detail: t('orderForm.quotesUnavailable') }) : p);
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
      // The spec stays for the next order (and the next visit); only the quantity starts empty.
      const next = { ...draft, quantity: '' };
      localStorage.setItem(LAST_SPEC_KEY, JSON.stringify(next));
      setDraft(next);
      setPosted(true);
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
    <form className="order-form" onSubmit={(e) => void post(e)} aria-label={t('orderForm.form')}>
      <div className="segmented" role="radiogroup" aria-label={t('orderForm.kindOfOrder')}>
        {(['fabric', 'garment'] as const).map((k) => (
          <label key={k} className={draft.kind === k ? 'on' : ''}>
            <input type="radio" name="kind" value={k} checked={draft.kind === k} onChange={() => { setDraft({ ...draft, kind: k }); setQuote(undefined); setProblem(undefined); }} />
            {k === 'fabric' ? t('orderForm.fabric') : t('orderForm.garment')}
          </label>
        ))}
      </div>
      {draft.kind === 'fabric' ? (
        <div className="grid3">
          <Field label={t('orderForm.fiber')} error={err('fabric.fiber')}>
            <select name="fiber" value={draft.fiber} onChange={set('fiber')}>{FIBERS.map((f) => <option key={f} value={f}>{word('fiber', f)}</option>)}</select>
          </Field>
          <Field label={t('orderForm.weave')} error={err('fabric.weave')}>
            <select name="weave" value={draft.weave} onChange={set('weave')}>{WEAVES.map((w) => <option key={w} value={w}>{word('weave', w)}</option>)}</select>
          </Field>
          <Field label={t('orderForm.widthCm')} error={err('fabric.widthCm')}>
            <input name="widthCm" type="number" inputMode="numeric" required value={draft.widthCm} onChange={set('widthCm')} />
          </Field>
          <Field label={t('orderForm.picksPerCm')} error={err('fabric.picksPerCm')} hint={t('orderForm.picksPerCmHint')}>
            <input name="picksPerCm" type="number" inputMode="decimal" step="any" required value={draft.picksPerCm} onChange={set('picksPerCm')} />
          </Field>
          <Field label={t('orderForm.gsm')} error={err('fabric.gsm')} hint={t('common.optional')}>
            <input name="gsm" type="number" inputMode="numeric" value={draft.gsm} onChange={set('gsm')} />
          </Field>
        </div>
      ) : (
        <>
        <div className="grid3">
          <Field label={t('orderForm.category')} error={err('garment.category')}>
            <select name="category" value={draft.category} onChange={set('category')}>{GARMENT_CATEGORIES.map((c) => <option key={c} value={c}>{word('category', c)}</option>)}</select>
          </Field>
          <Field label={t('orderForm.fabricType')} error={err('garment.fabricType')}>
            <select name="fabricType" value={draft.fabricType} onChange={set('fabricType')}>{FABRIC_TYPES.map((f) => <option key={f} value={f}>{word('fabricType', f)}</option>)}</select>
          </Field>
          <Field label={t('spec.samMode')}>
            <select name="samMode" value={draft.samMode} onChange={(e) => { setDraft({ ...draft, samMode: e.target.value as SamMode }); setQuote(undefined); }}>
              <option value="minutes">{t('spec.samKnown')}</option>
              <option value="spec">{t('spec.samFromSpec')}</option>
            </select>
          </Field>
          {draft.samMode === 'minutes' ? (
            <Field label={t('orderForm.samMinutes')} error={err('garment.samMinutes')}>
              <input name="samMinutes" type="number" inputMode="decimal" step="any" required value={draft.samMinutes} onChange={set('samMinutes')} />
            </Field>
          ) : null}
          <Field label={t('spec.sizes')} error={err('sizes')} hint={t('spec.sizesHint')}>
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
        <Field label={draft.kind === 'fabric' ? t('orderForm.quantityMeters') : t('orderForm.quantityPieces')} error={err('quantity')}>
          <input name="quantity" type="number" inputMode="numeric" required min={1} value={draft.quantity} onChange={set('quantity')} placeholder="3000" />
        </Field>
        <Field label={t('orderForm.dueDate')} error={err('dueDate')}>
          <DateInput name="dueDate" required value={draft.dueDate} onChange={setDate('dueDate')} />
        </Field>
        <Field label={t('orderForm.earliestStart')} error={err('earliestStart')} hint={t('orderForm.earliestStartHint')}>
          <DateInput name="earliestStart" value={draft.earliestStart} onChange={setDate('earliestStart')} />
        </Field>
        <Field label={t('orderForm.maxSplits')} error={err('maxSplits')} hint={t('orderForm.maxSplitsHint', { n: draft.kind === 'fabric' ? 3 : 2 })}>
          <input name="maxSplits" type="number" inputMode="numeric" min={1} max={10} value={draft.maxSplits} onChange={set('maxSplits')} />
        </Field>
        <Field label={t('orderForm.targetPrice')} error={err('targetPrice')} hint={t('orderForm.targetPriceHint')}>
          <input name="targetPrice" type="number" inputMode="decimal" min={0} value={draft.targetPrice} onChange={set('targetPrice')} />
        </Field>
      </div>
      <FieldGroup label={t('orderForm.certifications')} error={err('certifications')} hint={t('orderForm.certificationsHint')}>
        <div className="checks">
          {CERTIFICATIONS.map((c) => (
            <label key={c} className={draft.certifications.includes(c) ? 'on' : ''} title={word('certification', c)}>
              <input type="checkbox" name="certifications" value={c} checked={draft.certifications.includes(c)}
                onChange={(e) => { setDraft({ ...draft, certifications: e.target.checked ? [...draft.certifications, c] : draft.certifications.filter((x) => x !== c) }); setQuote(undefined); }} />
              {c}
            </label>
          ))}
        </div>
      </FieldGroup>
      {problem ? <ProblemBox problem={problem} inline={FORM_FIELDS} /> : null}
      {quote ? <QuoteView quote={quote} /> : null}
      {posted && !problem ? <div className="saved" role="status" data-testid="order-posted">{t('orderForm.posted')}</div> : null}
      <div className="row end">
        <button type="button" className="ghost" disabled={busy !== undefined || draft.quantity === ''} onClick={() => void askQuote()}>
          {busy === 'quote' ? t('orderForm.quoting') : t('orderForm.quote')}
        </button>
        <button type="submit" className="primary" disabled={busy !== undefined}>
          {busy === 'post' ? t('orderForm.posting') : t('orderForm.post')}
        </button>
      </div>
    </form>
  );
}

async function fetchPost(body: Record<string, unknown>, idempotencyKey: string): Promise<Order> {
  return api<Order>('POST', '/orders', body, undefined, { 'idempotency-key': idempotencyKey });
}
