import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES, type LineKind } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api } from '../api';
import type { Line } from '../types';
import { Field, ProblemBox } from '../ui';
import { useAction } from '../useAction';
import { farOutside, fences, rate } from '../terms/prices';
import { RateBand, useMarketBand } from '../terms/RateBand';
import { TERMS_TEXT } from '../terms/text';

/** This page's words per kind of line, in one place for the i18n pass (中文 beside English). */
const KIND_TEXT: Record<LineKind, { choice: string; placeholder: string; rate: string; efficiency: string | null }> = {
  weaving: { choice: 'Weaving (looms) 织造', placeholder: 'Hall A air-jets', rate: 'Rate (CNY per 1,000 picks)', efficiency: '0.85' },
  sewing: { choice: 'Sewing (operators) 缝制', placeholder: 'Line 2 knits', rate: 'Rate (CNY per standard minute)', efficiency: '0.6' },
  finishing: { choice: 'Finishing (dyeing, printing) 染整', placeholder: 'Dye range 1', rate: 'Rate (CNY per meter)', efficiency: null },
};
const FINISHING_TEXT = {
  processes: 'Processes 工艺', metersPerDay: 'Meters per day 日产米数', minBatchM: 'Minimum batch (m) 起染米数', minBatchHint: 'default 0',
  maxWidthCm: 'Stenter max width (cm) 定型门幅',
};
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

function Checks({ name, options, value, onChange }: { name: string; options: readonly string[]; value: string[]; onChange: (v: string[]) => void }): ReactNode {
  return (
    <div className="checks">
      {options.map((o) => (
        <label key={o} className={value.includes(o) ? 'on' : ''}>
          <input type="checkbox" name={name} value={o} checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          {o.replace('_', ' ')}
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
  const { busy, problem, run } = useAction();
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [field]: e.target.value });
  const err = (f: string): string | undefined => problem?.fieldMessage(f);
  const band = useMarketBand({ kind: d.kind, machineType: d.machineType, category: d.categories[0], process: d.processes[0], city });
  const median = band?.median ?? null;
  // Until the mill types its own rate, the rate follows the market's median for what the form describes.
  useEffect(() => {
    if (median !== null) setD((x) => (x.rateTyped ? x : { ...x, ratePerUnit: String(median) }));
  }, [median]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const typed = Number(d.ratePerUnit);
    const far = band ? fences(band) : null;
    if (far && farOutside(typed, band) && !window.confirm(TERMS_TEXT.band.far(rate(typed), rate(far.low), rate(far.high)))) return;
    await run(async () => {
      const line = await api<Line>('POST', '/lines', bodyOf(d));
      setD({ ...initial, kind: d.kind, ratePerUnit: median === null ? '' : String(median) });
      onCreated(line);
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="New line">
      <div className="segmented" role="radiogroup" aria-label="Kind of line">
        {KINDS.map((k) => (
          <label key={k} className={d.kind === k ? 'on' : ''}>
            <input type="radio" name="lineKind" value={k} checked={d.kind === k} onChange={() => setD({ ...d, kind: k })} />
            {KIND_TEXT[k].choice}
          </label>
        ))}
      </div>
      <div className="grid3">
        <Field label="Name" error={err('name')}>
          <input name="lineName" required maxLength={120} value={d.name} onChange={set('name')} placeholder={KIND_TEXT[d.kind].placeholder} />
        </Field>
        <div>
          <Field label={KIND_TEXT[d.kind].rate} error={err('ratePerUnit')}>
            <input name="ratePerUnit" type="number" step="any" min={0} required value={d.ratePerUnit} onChange={(e) => setD({ ...d, ratePerUnit: e.target.value, rateTyped: true })} />
          </Field>
          {/* Beside the field, not in its label: the band is not the field's name. */}
          <RateBand band={band} onUseMedian={(m) => setD({ ...d, ratePerUnit: String(m), rateTyped: false })} />
          {d.ratePerUnit.trim() !== '' && farOutside(Number(d.ratePerUnit), band) ? <div className="field-error small" data-testid="rate-far">{TERMS_TEXT.band.farShort}</div> : null}
        </div>
        {d.kind === 'weaving' ? (
          <Field label={TERMS_TEXT.priceCovers} error={err('priceCovers')} hint={TERMS_TEXT.priceCoversHint}>
            <select name="priceCovers" value={d.priceCovers} onChange={(e) => setD({ ...d, priceCovers: e.target.value === 'yarn_included' ? 'yarn_included' : 'processing' })}>
              <option value="processing">{TERMS_TEXT.covers.processing}</option>
              <option value="yarn_included">{TERMS_TEXT.covers.yarn_included}</option>
            </select>
          </Field>
        ) : null}
        {KIND_TEXT[d.kind].efficiency === null ? null : (
          <Field label="Efficiency (0–1)" error={err('efficiency')} hint={`default ${KIND_TEXT[d.kind].efficiency ?? ''}`}>
            <input name="efficiency" type="number" step="any" min={0.05} max={1} value={d.efficiency} onChange={set('efficiency')} />
          </Field>
        )}
        {d.kind === 'finishing' ? (
          <>
            <Field label={FINISHING_TEXT.metersPerDay} error={err('metersPerDay')}>
              <input name="metersPerDay" type="number" min={1} required value={d.metersPerDay} onChange={set('metersPerDay')} placeholder="6000" />
            </Field>
            <Field label={FINISHING_TEXT.minBatchM} error={err('minBatchM')} hint={FINISHING_TEXT.minBatchHint}>
              <input name="minBatchM" type="number" min={0} value={d.minBatchM} onChange={set('minBatchM')} />
            </Field>
            <Field label={FINISHING_TEXT.maxWidthCm} error={err('maxWidthCm')}>
              <input name="maxWidthCm" type="number" min={50} required value={d.maxWidthCm} onChange={set('maxWidthCm')} />
            </Field>
          </>
        ) : d.kind === 'weaving' ? (
          <>
            <Field label="Machine type" error={err('machineType')}>
              <select name="machineType" value={d.machineType} onChange={set('machineType')}>{MACHINE_TYPES.map((m) => <option key={m} value={m}>{m.replace('_', ' ')}</option>)}</select>
            </Field>
            <Field label="Looms" error={err('machines')}>
              <input name="machines" type="number" min={1} required value={d.machines} onChange={set('machines')} placeholder="48" />
            </Field>
            <Field label="Speed (rpm)" error={err('rpm')}>
              <input name="rpm" type="number" min={50} required value={d.rpm} onChange={set('rpm')} />
            </Field>
            <Field label="Max width (cm)" error={err('maxWidthCm')}>
              <input name="maxWidthCm" type="number" min={50} required value={d.maxWidthCm} onChange={set('maxWidthCm')} />
            </Field>
            <Field label="Hours per day" error={err('hoursPerDay')} hint="default 22">
              <input name="hoursPerDay" type="number" step="any" min={1} max={24} value={d.hoursPerDay} onChange={set('hoursPerDay')} />
            </Field>
          </>
        ) : (
          <>
            <Field label="Operators" error={err('operators')}>
              <input name="operators" type="number" min={1} required value={d.operators} onChange={set('operators')} placeholder="30" />
            </Field>
            <Field label="Minutes per day" error={err('minutesPerDay')} hint="default 480">
              <input name="minutesPerDay" type="number" min={60} value={d.minutesPerDay} onChange={set('minutesPerDay')} />
            </Field>
            <Field label="Minimum pieces (MOQ)" error={err('moq')} hint="default 0">
              <input name="moq" type="number" min={0} value={d.moq} onChange={set('moq')} />
            </Field>
          </>
        )}
      </div>
      {d.kind === 'finishing' ? (
        <Field label={FINISHING_TEXT.processes} error={err('processes')}>
          <Checks name="processes" options={FINISHING_PROCESSES} value={d.processes} onChange={(processes) => setD({ ...d, processes })} />
        </Field>
      ) : d.kind === 'weaving' ? (
        <Field label="Fibres" error={err('fibers')} hint="leave empty for everything the machine can weave">
          <Checks name="fibers" options={FIBERS} value={d.fibers} onChange={(fibers) => setD({ ...d, fibers })} />
        </Field>
      ) : (
        <>
          <Field label="Categories" error={err('categories')}>
            <Checks name="categories" options={GARMENT_CATEGORIES} value={d.categories} onChange={(categories) => setD({ ...d, categories })} />
          </Field>
          <Field label="Fabric types" error={err('fabricTypes')}>
            <Checks name="fabricTypes" options={FABRIC_TYPES} value={d.fabricTypes} onChange={(fabricTypes) => setD({ ...d, fabricTypes })} />
          </Field>
        </>
      )}
      {problem ? <ProblemBox problem={problem} inline={['name', 'ratePerUnit', 'priceCovers', 'efficiency', 'machineType', 'machines', 'rpm', 'maxWidthCm', 'hoursPerDay', 'operators', 'minutesPerDay', 'moq', 'fibers', 'categories', 'fabricTypes', 'processes', 'metersPerDay', 'minBatchM']} /> : null}
      <div className="row end">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add line'}</button>
      </div>
    </form>
  );
}
