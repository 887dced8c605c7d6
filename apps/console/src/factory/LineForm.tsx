import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES, type LineKind } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api } from '../api';
import type { Line } from '../types';
import { type DomainGroup, useDomain } from '../i18n/domain';
import { Field, FieldGroup, ProblemBox, useFieldError } from '../ui';
import { useAction } from '../useAction';
import { confirmRate } from '../terms/prices';
import { RateBand, useMarketBand } from '../terms/RateBand';

/** The default efficiency per kind of line (DESIGN.md §2); finishing lines have none. */
const EFFICIENCY: Record<LineKind, string | null> = { weaving: '0.85', sewing: '0.6', finishing: null };
const KINDS: readonly LineKind[] = ['weaving', 'sewing', 'finishing'];

interface Draft {
  kind: LineKind;
  name: string;
  ratePerUnit: string;
  /** Typed by the mill: the market's median no longer replaces it when the band changes. */
  rateTyped: boolean;
  priceCovers: 'processing' | 'yarn_included';
  machineType: string;
  machines: string;
  rpm: string;
  maxWidthCm: string;
  hoursPerDay: string;
  fibers: string[];
  operators: string;
  minutesPerDay: string;
  categories: string[];
  fabricTypes: string[];
  moq: string;
  efficiency: string;
  processes: string[];
  metersPerDay: string;
  minBatchM: string;
}

const initial: Draft = {
  kind: 'weaving', name: '', ratePerUnit: '', rateTyped: false, priceCovers: 'processing', machineType: 'air_jet', machines: '', rpm: '700', maxWidthCm: '190', hoursPerDay: '', fibers: [],
  operators: '', minutesPerDay: '', categories: [], fabricTypes: ['knit'], moq: '', efficiency: '', processes: ['dyeing'], metersPerDay: '', minBatchM: '',
};

function bodyOf(d: Draft): Record<string, unknown> {
  const opt = (field: string, v: string): Record<string, unknown> => (v.trim() === '' ? {} : { [field]: Number(v) });
  const common = { kind: d.kind, name: d.name.trim(), ratePerUnit: Number(d.ratePerUnit), priceCovers: d.kind === 'weaving' ? d.priceCovers : 'processing' };
  switch (d.kind) {
    case 'weaving':
      return { ...common, ...opt('efficiency', d.efficiency), machineType: d.machineType, machines: Number(d.machines), rpm: Number(d.rpm), maxWidthCm: Number(d.maxWidthCm), ...opt('hoursPerDay', d.hoursPerDay), ...(d.fibers.length ? { fibers: d.fibers } : {}) };
    case 'sewing':
      return { ...common, ...opt('efficiency', d.efficiency), operators: Number(d.operators), categories: d.categories, fabricTypes: d.fabricTypes, ...opt('minutesPerDay', d.minutesPerDay), ...opt('moq', d.moq) };
    case 'finishing':
      return { ...common, processes: d.processes, metersPerDay: Number(d.metersPerDay), maxWidthCm: Number(d.maxWidthCm), ...opt('minBatchM', d.minBatchM) };
  }
}

function Checks({ name, group, options, value, onChange }: { name: string; group: DomainGroup; options: readonly string[]; value: string[]; onChange: (v: string[]) => void }): ReactNode {
  const { word } = useDomain();
  return (
    <div className="checks">
      {options.map((o) => (
        <label key={o} className={value.includes(o) ? 'on' : ''}>
          <input type="checkbox" name={name} value={o} checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          {word(group, o)}
        </label>
      ))}
    </div>
  );
}

/**
 * Publishes a weaving, sewing or finishing line in real units; the ledger opens for the whole
 * horizon. The rate starts from the market's median for lines like it in the factory's city
 * (DESIGN.md §9), and a rate far outside the market's band is saved only once the mill confirms it.
 */
export function LineForm({ city, onCreated }: { city: string | null; onCreated: (line: Line) => void }): ReactNode {
  const [d, setD] = useState<Draft>(initial);
  const domain = useDomain();
  const { t, word } = domain;
  const { busy, problem, run } = useAction();
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [field]: e.target.value });
  const err = useFieldError(problem);
  const band = useMarketBand({ kind: d.kind, machineType: d.machineType, category: d.categories[0], process: d.processes[0], city });
  const median = band?.median ?? null;
  // Until the mill types its own rate, the rate follows the market's median for what the form describes.
  useEffect(() => {
    if (median !== null) setD((x) => (x.rateTyped ? x : { ...x, ratePerUnit: String(median) }));
  }, [median]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!confirmRate(domain, Number(d.ratePerUnit), band)) return;
    await run(async () => {
      const line = await api<Line>('POST', '/lines', bodyOf(d));
      setD({ ...initial, kind: d.kind, ratePerUnit: median === null ? '' : String(median) });
      onCreated(line);
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('lineForm.form')}>
      <div className="segmented" role="radiogroup" aria-label={t('lineForm.kindOfLine')}>
        {KINDS.map((k) => (
          <label key={k} className={d.kind === k ? 'on' : ''}>
            <input type="radio" name="lineKind" value={k} checked={d.kind === k} onChange={() => setD({ ...d, kind: k })} />
            {t(`lineForm.kind.${k}`)}
          </label>
        ))}
      </div>
      <div className="grid3">
        <Field label={t('lineForm.name')} error={err('name')}>
          <input name="lineName" required maxLength={120} value={d.name} onChange={set('name')} placeholder={t(`lineForm.placeholder.${d.kind}`)} />
        </Field>
        <div>
          <Field label={t('lineForm.rate', { unit: t(`units.ratePer.${d.kind}`) })} error={err('ratePerUnit')}>
            <input name="ratePerUnit" type="number" step="any" min={0} required value={d.ratePerUnit} onChange={(e) => setD({ ...d, ratePerUnit: e.target.value, rateTyped: true })} />
          </Field>
          <RateBand band={band} value={d.ratePerUnit} onUseMedian={(m) => setD({ ...d, ratePerUnit: String(m), rateTyped: false })} />
        </div>
        {d.kind === 'weaving' ? (
          <Field label={t('terms.priceCovers')} error={err('priceCovers')} hint={t('terms.priceCoversHint')}>
            <select name="priceCovers" value={d.priceCovers} onChange={(e) => setD({ ...d, priceCovers: e.target.value === 'yarn_included' ? 'yarn_included' : 'processing' })}>
              <option value="processing">{t('terms.covers.processing')}</option>
              <option value="yarn_included">{t('terms.covers.yarn_included')}</option>
            </select>
          </Field>
        ) : null}
        {EFFICIENCY[d.kind] === null ? null : (
          <Field label={t('lineForm.efficiency')} error={err('efficiency')} hint={t('lineForm.defaultValue', { value: EFFICIENCY[d.kind] ?? '' })}>
            <input name="efficiency" type="number" step="any" min={0.05} max={1} value={d.efficiency} onChange={set('efficiency')} />
          </Field>
        )}
        {d.kind === 'finishing' ? (
          <>
            <Field label={t('lineForm.metersPerDay')} error={err('metersPerDay')}>
              <input name="metersPerDay" type="number" min={1} required value={d.metersPerDay} onChange={set('metersPerDay')} placeholder="6000" />
            </Field>
            <Field label={t('lineForm.minBatchM')} error={err('minBatchM')} hint={t('lineForm.defaultValue', { value: 0 })}>
              <input name="minBatchM" type="number" min={0} value={d.minBatchM} onChange={set('minBatchM')} />
            </Field>
            <Field label={t('lineForm.stenterWidth')} error={err('maxWidthCm')}>
              <input name="maxWidthCm" type="number" min={50} required value={d.maxWidthCm} onChange={set('maxWidthCm')} />
            </Field>
          </>
        ) : d.kind === 'weaving' ? (
          <>
            <Field label={t('lineForm.machineType')} error={err('machineType')}>
              <select name="machineType" value={d.machineType} onChange={set('machineType')}>{MACHINE_TYPES.map((m) => <option key={m} value={m}>{word('machineType', m)}</option>)}</select>
            </Field>
            <Field label={t('lineForm.looms')} error={err('machines')}>
              <input name="machines" type="number" min={1} required value={d.machines} onChange={set('machines')} placeholder="48" />
            </Field>
            <Field label={t('lineForm.rpm')} error={err('rpm')}>
              <input name="rpm" type="number" min={50} required value={d.rpm} onChange={set('rpm')} />
            </Field>
            <Field label={t('lineForm.maxWidthCm')} error={err('maxWidthCm')}>
              <input name="maxWidthCm" type="number" min={50} required value={d.maxWidthCm} onChange={set('maxWidthCm')} />
            </Field>
            <Field label={t('lineForm.hoursPerDay')} error={err('hoursPerDay')} hint={t('lineForm.defaultValue', { value: 22 })}>
              <input name="hoursPerDay" type="number" step="any" min={1} max={24} value={d.hoursPerDay} onChange={set('hoursPerDay')} />
            </Field>
          </>
        ) : (
          <>
            <Field label={t('lineForm.operators')} error={err('operators')}>
              <input name="operators" type="number" min={1} required value={d.operators} onChange={set('operators')} placeholder="30" />
            </Field>
            <Field label={t('lineForm.minutesPerDay')} error={err('minutesPerDay')} hint={t('lineForm.defaultValue', { value: 480 })}>
              <input name="minutesPerDay" type="number" min={60} value={d.minutesPerDay} onChange={set('minutesPerDay')} />
            </Field>
            <Field label={t('lineForm.moq')} error={err('moq')} hint={t('lineForm.defaultValue', { value: 0 })}>
              <input name="moq" type="number" min={0} value={d.moq} onChange={set('moq')} />
            </Field>
          </>
        )}
      </div>
      {d.kind === 'finishing' ? (
        <FieldGroup label={t('lineForm.processes')} error={err('processes')}>
          <Checks name="processes" group="process" options={FINISHING_PROCESSES} value={d.processes} onChange={(processes) => setD({ ...d, processes })} />
        </FieldGroup>
      ) : d.kind === 'weaving' ? (
        <FieldGroup label={t('lineForm.fibers')} error={err('fibers')} hint={t('lineForm.fibersHint')}>
          <Checks name="fibers" group="fiber" options={FIBERS} value={d.fibers} onChange={(fibers) => setD({ ...d, fibers })} />
        </FieldGroup>
      ) : (
        <>
          <FieldGroup label={t('lineForm.categories')} error={err('categories')}>
            <Checks name="categories" group="category" options={GARMENT_CATEGORIES} value={d.categories} onChange={(categories) => setD({ ...d, categories })} />
          </FieldGroup>
          <FieldGroup label={t('lineForm.fabricTypes')} error={err('fabricTypes')}>
            <Checks name="fabricTypes" group="fabricType" options={FABRIC_TYPES} value={d.fabricTypes} onChange={(fabricTypes) => setD({ ...d, fabricTypes })} />
          </FieldGroup>
        </>
      )}
      {problem ? <ProblemBox problem={problem} inline={['name', 'ratePerUnit', 'priceCovers', 'efficiency', 'machineType', 'machines', 'rpm', 'maxWidthCm', 'hoursPerDay', 'operators', 'minutesPerDay', 'moq', 'fibers', 'categories', 'fabricTypes', 'processes', 'metersPerDay', 'minBatchM']} /> : null}
      <div className="row end">
        <button type="submit" className="primary" disabled={busy}>{busy ? t('lineForm.adding') : t('lineForm.add')}</button>
      </div>
    </form>
  );
}
