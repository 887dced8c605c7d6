import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { Line } from '../types';
import { Field, ProblemBox } from '../ui';
import { farOutside, fences, rate as shownRate } from '../terms/prices';
import { RateBand, useMarketBand } from '../terms/RateBand';
import { TERMS_TEXT } from '../terms/text';

/** What a line's rate is counted per, by kind. */
const RATE_UNIT: Record<Line['kind'], string> = { weaving: '1,000 picks', sewing: 'minute', finishing: 'meter' };

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
    if (Object.keys(changes).length === 0) return setNote('Nothing changed.');
    const far = band ? fences(band) : null;
    if (changes.ratePerUnit !== undefined && far && farOutside(changes.ratePerUnit, band) && !window.confirm(TERMS_TEXT.band.far(shownRate(changes.ratePerUnit), shownRate(far.low), shownRate(far.high)))) return;
    void run(async () => {
      await api('PATCH', `/lines/${line.id}`, changes);
      return 'Line saved.';
    });
  };

  const setAvailability = (e: FormEvent): void => {
    e.preventDefault();
    const days = datesBetween(from, to).map((date) => ({ date, fraction: Number(fraction) }));
    void run(async () => {
      await api('PUT', `/lines/${line.id}/availability`, { days });
      return `${days.length} day${days.length === 1 ? '' : 's'} set to ${Math.round(Number(fraction) * 100)}% of capacity. Orders that no longer fit are re-planned.`;
    });
  };

  return (
    <div className="line-editor">
      <form onSubmit={save} aria-label="Edit line">
        <div className="grid3">
          <Field label="Name" error={problem?.fieldMessage('name')}>
            <input name="editName" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <div>
            <Field label={`Rate (CNY per ${RATE_UNIT[line.kind]})`} error={problem?.fieldMessage('ratePerUnit')}>
              <input name="editRate" type="number" step="any" min={0} required value={rate} onChange={(e) => setRate(e.target.value)} />
            </Field>
            <RateBand band={band} onUseMedian={(m) => setRate(String(m))} />
          </div>
          {line.kind === 'weaving' ? (
            <Field label={TERMS_TEXT.priceCovers} error={problem?.fieldMessage('priceCovers')}>
              <select name="editPriceCovers" value={covers} onChange={(e) => setCovers(e.target.value === 'yarn_included' ? 'yarn_included' : 'processing')}>
                <option value="processing">{TERMS_TEXT.covers.processing}</option>
                <option value="yarn_included">{TERMS_TEXT.covers.yarn_included}</option>
              </select>
            </Field>
          ) : null}
          <Field label="On the market">
            <select name="editActive" value={active ? 'yes' : 'no'} onChange={(e) => setActive(e.target.value === 'yes')}>
              <option value="yes">active: takes new orders</option>
              <option value="no">paused: no new orders</option>
            </select>
          </Field>
        </div>
        <div className="row end">
          <button type="submit" className="ghost" disabled={busy}>Save line</button>
        </div>
      </form>
      <form onSubmit={setAvailability} aria-label="Availability">
        <div className="grid3">
          <Field label="From" error={problem?.fieldMessage('days.0.date')}>
            <input name="from" type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="To (included)">
            <input name="to" type="date" required min={from} value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
          <Field label="Capacity those days">
            <select name="fraction" value={fraction} onChange={(e) => setFraction(e.target.value)}>
              <option value="0">closed (holiday, maintenance)</option>
              <option value="0.5">half</option>
              <option value="0.75">three quarters</option>
              <option value="1">full</option>
            </select>
          </Field>
        </div>
        <div className="row end">
          <button type="submit" className="ghost" disabled={busy}>Set availability</button>
        </div>
      </form>
      {problem ? <ProblemBox problem={problem} /> : null}
      {note ? <div className="saved" role="status">{note}</div> : null}
    </div>
  );
}
