import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, WEAVES } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import { CERTIFICATIONS, useDomain } from '../i18n/domain';
import type { Order } from '../types';
import { DateInput, Field, FieldGroup, ProblemBox, useFieldError } from '../ui';
import { type FeatureCounts, GarmentSpecFields, parseSizes, pickedFeatures, type SamMode } from './GarmentSpecFields';
import { type AnyQuote, QuoteView } from './QuoteView';

/** Fields this form shows errors beside (dotted as the API names them). */
const FORM_FIELDS = [
  'fabric.fiber', 'fabric.weave', 'fabric.widthCm', 'fabric.picksPerCm', 'fabric.gsm', 'garment.category', 'garment.fabricType', 'garment.samMinutes', 'garment.spec', 'sizes',
  'fabricPerPieceM', 'wastagePct', 'finishing.process', 'transitDays', 'quantity', 'dueDate', 'earliestStart', 'maxSplits', 'certifications', 'targetPrice', 'priceTolerancePct',
];

type OrderKind = 'fabric' | 'garment' | 'style';
const KINDS: readonly OrderKind[] = ['fabric', 'garment', 'style'];

const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Draft {
  kind: OrderKind;
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
  /** Style orders: meters of fabric a piece takes, the cutting loss, the finishing process ('' for none), days between stages. */
  fabricPerPieceM: string;
  wastagePct: string;
  finishing: string;
  transitDays: string;
  quantity: string;
  dueDate: string;
  earliestStart: string;
  maxSplits: string;
  certifications: string[];
  targetPrice: string;
  priceTolerancePct: string;
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
  fabricPerPieceM: '1.5',
  wastagePct: '',
  finishing: '',
  transitDays: '',
  quantity: '',
  dueDate: isoIn(21),
  earliestStart: '',
  maxSplits: '',
  certifications: [],
  targetPrice: '',
  priceTolerancePct: '',
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
  const fabric = { fiber: d.fiber, weave: d.weave, widthCm: n(d.widthCm), picksPerCm: n(d.picksPerCm), ...optional('gsm', d.gsm) };
  const garment = { category: d.category, fabricType: d.fabricType, ...(d.samMode === 'spec' ? { spec: { features: pickedFeatures(d.features) } } : { samMinutes: n(d.samMinutes) }) };
  const sizes = d.kind !== 'fabric' ? parseSizes(d.sizes) : undefined;
  return {
    kind: d.kind,
    ...(d.kind !== 'garment' ? { fabric } : {}),
    ...(d.kind !== 'fabric' ? { garment } : {}),
    ...(d.kind === 'style'
      ? { fabricPerPieceM: n(d.fabricPerPieceM), ...optional('wastagePct', d.wastagePct), ...(d.finishing ? { finishing: { process: d.finishing } } : {}), ...optional('transitDays', d.transitDays) }
      : {}),
    ...(sizes ? { sizes } : {}),
    quantity: n(d.quantity),
    dueDate: d.dueDate,
    ...optional('earliestStart', d.earliestStart, String),
    ...optional('maxSplits', d.maxSplits),
    // The style body has no certifications (the API refuses fields it does not take): the box is hidden for a style.
    ...(d.kind !== 'style' && d.certifications.length ? { certifications: d.certifications } : {}),
    ...optional('targetPrice', d.targetPrice),
    ...optional('priceTolerancePct', d.priceTolerancePct),
  };
}

/** Pieces the sizes add up to, when every size has a whole number: the sizes field says it against the quantity before anything is sent. */
function sizesSum(text: string): number | undefined {
  const sizes = parseSizes(text);
  if (!sizes) return undefined;
  const pieces = Object.values(sizes);
  return pieces.every((p) => Number.isInteger(p)) ? pieces.reduce((a, b) => a + b, 0) : undefined;
}

/** Posts a fabric, garment or style order; an instant quote first, if the brand wants one. */
export function OrderForm({ onPosted }: { onPosted: (order: Order) => void }): ReactNode {
  const { t, word } = useDomain();
  const [draft, setDraft] = useState<Draft>(remembered);
  const [posted, setPosted] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState<'quote' | 'post'>();
  const [quote, setQuote] = useState<AnyQuote>();
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
      setQuote(await api<AnyQuote>('POST', '/quotes', bodyOf(draft)));
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

  const pieces = draft.kind !== 'fabric';
  const sum = pieces ? sizesSum(draft.sizes) : undefined;
  const fabricFields = (
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
  );
  const garmentFields = (
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
        <Field label={t('spec.sizes')} error={err('sizes')} hint={sum !== undefined && draft.quantity !== '' ? t('spec.sizesSum', { sum, quantity: draft.quantity }) : t('spec.sizesHint')}>
          <input name="sizes" value={draft.sizes} onChange={set('sizes')} placeholder="S:100, M:150, L:50" />
        </Field>
      </div>
      {draft.samMode === 'spec' ? (
        <GarmentSpecFields category={draft.category} fabricType={draft.fabricType} counts={draft.features} error={err('garment.spec')}
          onChange={(features) => { setDraft({ ...draft, features }); setQuote(undefined); }} />
      ) : null}
    </>
  );

  return (
    <form className="order-form" onSubmit={(e) => void post(e)} aria-label={t('orderForm.form')}>
      <div className="segmented" role="radiogroup" aria-label={t('orderForm.kindOfOrder')}>
        {KINDS.map((k) => (
          <label key={k} className={draft.kind === k ? 'on' : ''}>
            <input type="radio" name="kind" value={k} checked={draft.kind === k} onChange={() => { setDraft({ ...draft, kind: k }); setQuote(undefined); setProblem(undefined); }} />
            {t(`orderForm.${k}`)}
          </label>
        ))}
      </div>
      {draft.kind === 'fabric' ? fabricFields : null}
      {draft.kind === 'garment' ? garmentFields : null}
      {draft.kind === 'style' ? (
        <>
          <h3 className="form-section">{t('styleForm.garment')}</h3>
          {garmentFields}
          <h3 className="form-section">{t('styleForm.fabric')}</h3>
          {fabricFields}
          <div className="grid3">
            <Field label={t('styleForm.fabricPerPieceM')} error={err('fabricPerPieceM')} hint={t('styleForm.fabricPerPieceMHint')}>
              <input name="fabricPerPieceM" type="number" inputMode="decimal" step="any" required value={draft.fabricPerPieceM} onChange={set('fabricPerPieceM')} />
            </Field>
            <Field label={t('styleForm.wastagePct')} error={err('wastagePct')} hint={t('styleForm.wastagePctHint')}>
              <input name="wastagePct" type="number" inputMode="decimal" step="any" min={0} value={draft.wastagePct} onChange={set('wastagePct')} />
            </Field>
            <Field label={t('styleForm.finishing')} error={err('finishing.process')} hint={t('styleForm.finishingHint')}>
              <select name="finishing" value={draft.finishing} onChange={set('finishing')}>
                <option value="">{t('styleForm.noFinishing')}</option>
                {FINISHING_PROCESSES.map((p) => <option key={p} value={p}>{word('process', p)}</option>)}
              </select>
            </Field>
            <Field label={t('styleForm.transitDays')} error={err('transitDays')} hint={t('styleForm.transitDaysHint')}>
              <input name="transitDays" type="number" inputMode="numeric" min={0} max={30} value={draft.transitDays} onChange={set('transitDays')} />
            </Field>
          </div>
          <h3 className="form-section">{t('styleForm.terms')}</h3>
        </>
      ) : null}
      <div className="grid3">
        <Field label={pieces ? t('orderForm.quantityPieces') : t('orderForm.quantityMeters')} error={err('quantity')}>
          <input name="quantity" type="number" inputMode="numeric" required min={1} value={draft.quantity} onChange={set('quantity')} placeholder={pieces ? '300' : '3000'} />
        </Field>
        <Field label={t('orderForm.dueDate')} error={err('dueDate')}>
          <DateInput name="dueDate" required value={draft.dueDate} onChange={setDate('dueDate')} />
        </Field>
        <Field label={t('orderForm.earliestStart')} error={err('earliestStart')} hint={t('orderForm.earliestStartHint')}>
          <DateInput name="earliestStart" value={draft.earliestStart} onChange={setDate('earliestStart')} />
        </Field>
        <Field label={t('orderForm.maxSplits')} error={err('maxSplits')} hint={draft.kind === 'style' ? t('styleForm.maxSplitsHint') : t('orderForm.maxSplitsHint', { n: draft.kind === 'fabric' ? 3 : 2 })}>
          <input name="maxSplits" type="number" inputMode="numeric" min={1} max={10} value={draft.maxSplits} onChange={set('maxSplits')} />
        </Field>
        <Field label={t('orderForm.targetPrice')} error={err('targetPrice')} hint={draft.kind === 'style' ? t('styleForm.targetPriceHint') : t('orderForm.targetPriceHint')}>
          <input name="targetPrice" type="number" inputMode="decimal" min={0} value={draft.targetPrice} onChange={set('targetPrice')} />
        </Field>
        <Field label={t('orderForm.priceTolerancePct')} error={err('priceTolerancePct')} hint={t('orderForm.priceTolerancePctHint')}>
          <input name="priceTolerancePct" type="number" inputMode="decimal" step="any" min={0} value={draft.priceTolerancePct} onChange={set('priceTolerancePct')} />
        </Field>
      </div>
      {draft.kind !== 'style' ? (
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
      ) : null}
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
