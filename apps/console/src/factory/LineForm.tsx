import { FABRIC_TYPES, FIBERS, GARMENT_CATEGORIES, MACHINE_TYPES } from '@cloudloom/matching';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import type { Line } from '../types';
import { Field, ProblemBox } from '../ui';
import { useAction } from '../useAction';

interface Draft {
  kind: 'weaving' | 'sewing';
  name: string;
  ratePerUnit: string;
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
}

const initial: Draft = {
  kind: 'weaving', name: '', ratePerUnit: '0.012', machineType: 'air_jet', machines: '', rpm: '700', maxWidthCm: '190', hoursPerDay: '', fibers: [],
  operators: '', minutesPerDay: '', categories: [], fabricTypes: ['knit'], moq: '', efficiency: '',
};

function bodyOf(d: Draft): Record<string, unknown> {
  const opt = (field: string, v: string): Record<string, unknown> => (v.trim() === '' ? {} : { [field]: Number(v) });
  const common = { kind: d.kind, name: d.name.trim(), ratePerUnit: Number(d.ratePerUnit), ...opt('efficiency', d.efficiency) };
  return d.kind === 'weaving'
    ? { ...common, machineType: d.machineType, machines: Number(d.machines), rpm: Number(d.rpm), maxWidthCm: Number(d.maxWidthCm), ...opt('hoursPerDay', d.hoursPerDay), ...(d.fibers.length ? { fibers: d.fibers } : {}) }
    : { ...common, operators: Number(d.operators), categories: d.categories, fabricTypes: d.fabricTypes, ...opt('minutesPerDay', d.minutesPerDay), ...opt('moq', d.moq) };
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

/** Publishes a weaving or sewing line in real units; the ledger opens for the whole horizon. */
export function LineForm({ onCreated }: { onCreated: (line: Line) => void }): ReactNode {
  const [d, setD] = useState<Draft>(initial);
  const { busy, problem, run } = useAction();
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [field]: e.target.value });
  const err = (f: string): string | undefined => problem?.fieldMessage(f);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    await run(async () => {
      const line = await api<Line>('POST', '/lines', bodyOf(d));
      setD({ ...initial, kind: d.kind });
      onCreated(line);
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="New line">
      <div className="segmented" role="radiogroup" aria-label="Kind of line">
        {(['weaving', 'sewing'] as const).map((k) => (
          <label key={k} className={d.kind === k ? 'on' : ''}>
            <input type="radio" name="lineKind" value={k} checked={d.kind === k} onChange={() => setD({ ...d, kind: k })} />
            {k === 'weaving' ? 'Weaving (looms)' : 'Sewing (operators)'}
          </label>
        ))}
      </div>
      <div className="grid3">
        <Field label="Name" error={err('name')}>
          <input name="lineName" required maxLength={120} value={d.name} onChange={set('name')} placeholder={d.kind === 'weaving' ? 'Hall A air-jets' : 'Line 2 knits'} />
        </Field>
        <Field label={d.kind === 'weaving' ? 'Rate (CNY per 1,000 picks)' : 'Rate (CNY per standard minute)'} error={err('ratePerUnit')}>
          <input name="ratePerUnit" type="number" step="any" min={0} required value={d.ratePerUnit} onChange={set('ratePerUnit')} />
        </Field>
        <Field label="Efficiency (0–1)" error={err('efficiency')} hint={`default ${d.kind === 'weaving' ? '0.85' : '0.6'}`}>
          <input name="efficiency" type="number" step="any" min={0.05} max={1} value={d.efficiency} onChange={set('efficiency')} />
        </Field>
        {d.kind === 'weaving' ? (
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
      {d.kind === 'weaving' ? (
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
      {problem ? <ProblemBox problem={problem} inline={['name', 'ratePerUnit', 'efficiency', 'machineType', 'machines', 'rpm', 'maxWidthCm', 'hoursPerDay', 'operators', 'minutesPerDay', 'moq', 'fibers', 'categories', 'fabricTypes']} /> : null}
      <div className="row end">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add line'}</button>
      </div>
    </form>
  );
}
