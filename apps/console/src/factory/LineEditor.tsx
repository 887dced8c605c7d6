import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { Line } from '../types';
import { useDomain } from '../i18n/domain';
import { DateInput, Field, ProblemBox, useFieldError } from '../ui';

const isoIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Every date from `from` to `to`, both included (UTC calendar days, as the ledger counts them). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length <= 366; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Edits a line's name, rate and state, and its availability for a run of days (holidays, maintenance). */
export function LineEditor({ line, onSaved }: { line: Line; onSaved: () => void }): ReactNode {
  const { t, f } = useDomain();
  const [name, setName] = useState(line.name);
  const [rate, setRate] = useState(String(line.ratePerUnit));
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
      ...(active !== line.active ? { active } : {}),
    };
    if (Object.keys(changes).length === 0) return setNote(t('lineEditor.nothingChanged'));
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
          <Field label={t('lineEditor.rate', { unit: t(`units.ratePer.${line.kind}`) })} error={err('ratePerUnit')}>
            <input name="editRate" type="number" step="any" min={0} required value={rate} onChange={(e) => setRate(e.target.value)} />
          </Field>
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
