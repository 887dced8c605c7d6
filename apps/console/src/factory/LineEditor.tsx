import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { Line } from '../types';
import { useDomain } from '../i18n/domain';
import { DateInput, Field, ProblemBox, useFieldError } from '../ui';
import { confirmRate } from '../terms/prices';
import { RateBand, useMarketBand } from '../terms/RateBand';

const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Every date from `from` to `to`, both included (UTC calendar days, as the ledger counts them). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length <= 366; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Edits a line's name, rate (against the market's band, as the line form prices a new line), what
 * the rate covers and its state, and its availability for a run of days (holidays, maintenance).
 */
export function LineEditor({ line, city, onSaved }: { line: Line; city: string | null; onSaved: () => void }): ReactNode {
  const domain = useDomain();
  const { t, f } = domain;
  const [name, setName] = useState(line.name);
  const [rate, setRate] = useState(String(line.ratePerUnit));
  const [covers, setCovers] = useState(line.priceCovers);
  const band = useMarketBand({ kind: line.kind, machineType: line.machineType, category: line.categories?.[0], process: line.processes?.[0], city });
  const [active, setActive] = useState(line.active);
  const [from, setFrom] = useState(isoIn(1));
  const [to, setTo] = useState(isoIn(1));
  const [fraction, setFraction] = useState('0');
  const [problem, setProblem] = useState<ApiProblem>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const err = useFieldError(problem);

  const run = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    setNote(undefined);
    try {
      setNote(await work());
      onSaved();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent): void => {
    e.preventDefault();
    const changes = {
      ...(name.trim() !== line.name ? { name: name.trim() } : {}),
      ...(Number(rate) !== line.ratePerUnit ? { ratePerUnit: Number(rate) } : {}),
      ...(covers !== line.priceCovers ? { priceCovers: covers } : {}),
      ...(active !== line.active ? { active } : {}),
    };
    if (Object.keys(changes).length === 0) return setNote(t('lineEditor.nothingChanged'));
    if (changes.ratePerUnit !== undefined && !confirmRate(domain, changes.ratePerUnit, band)) return;
    void run(async () => {
      await api('PATCH', `/lines/${line.id}`, changes);
      return t('lineEditor.saved');
    });
  };

  const setAvailability = (e: FormEvent): void => {
    e.preventDefault();
    const days = datesBetween(from, to).map((date) => ({ date, fraction: Number(fraction) }));
    void run(async () => {
      await api('PUT', `/lines/${line.id}/availability`, { days });
      return t('lineEditor.availabilitySet', { days: days.length, share: f.pct(Number(fraction)) });
    });
  };

  return (
    <div className="line-editor">
      <form onSubmit={save} aria-label={t('lineEditor.form')}>
        <div className="grid3">
          <Field label={t('lineEditor.name')} error={err('name')}>
            <input name="editName" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <div>
            <Field label={t('lineEditor.rate', { unit: t(`units.ratePer.${line.kind}`) })} error={err('ratePerUnit')}>
              <input name="editRate" type="number" step="any" min={0} required value={rate} onChange={(e) => setRate(e.target.value)} />
            </Field>
            <RateBand band={band} value={rate} onUseMedian={(m) => setRate(String(m))} />
          </div>
          {line.kind === 'weaving' ? (
            <Field label={t('terms.priceCovers')} error={err('priceCovers')}>
              <select name="editPriceCovers" value={covers} onChange={(e) => setCovers(e.target.value === 'yarn_included' ? 'yarn_included' : 'processing')}>
                <option value="processing">{t('terms.covers.processing')}</option>
                <option value="yarn_included">{t('terms.covers.yarn_included')}</option>
              </select>
            </Field>
          ) : null}
          <Field label={t('lineEditor.onMarket')}>
            <select name="editActive" value={active ? 'yes' : 'no'} onChange={(e) => setActive(e.target.value === 'yes')}>
              <option value="yes">{t('lineEditor.active')}</option>
              <option value="no">{t('lineEditor.paused')}</option>
            </select>
          </Field>
        </div>
        <div className="row end">
          <button type="submit" className="ghost" disabled={busy}>{t('lineEditor.save')}</button>
        </div>
      </form>
      <form onSubmit={setAvailability} aria-label={t('lineEditor.availabilityForm')}>
        <div className="grid3">
          <Field label={t('lineEditor.from')} error={err('days.0.date')}>
            <DateInput name="from" required value={from} onChange={setFrom} />
          </Field>
          <Field label={t('lineEditor.to')}>
            <DateInput name="to" required min={from} value={to} onChange={setTo} />
          </Field>
          <Field label={t('lineEditor.capacity')}>
            <select name="fraction" value={fraction} onChange={(e) => setFraction(e.target.value)}>
              <option value="0">{t('lineEditor.closed')}</option>
              <option value="0.5">{t('lineEditor.half')}</option>
              <option value="0.75">{t('lineEditor.threeQuarters')}</option>
              <option value="1">{t('lineEditor.full')}</option>
            </select>
          </Field>
        </div>
        <div className="row end">
          <button type="submit" className="ghost" disabled={busy}>{t('lineEditor.setAvailability')}</button>
        </div>
      </form>
      {problem ? <ProblemBox problem={problem} /> : null}
      {note ? <div className="saved" role="status">{note}</div> : null}
    </div>
  );
}
