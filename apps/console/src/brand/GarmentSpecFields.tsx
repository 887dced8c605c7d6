import { SAM_FEATURES } from '@cloudloom/matching';
import { type ReactNode, useState } from 'react';
import { api, asProblem } from '../api';
import { useDomain } from '../i18n/domain';
import { FieldGroup } from '../ui';

export type SamMode = 'minutes' | 'spec';
export type FeatureCounts = Record<string, number>;

/** "S:100, M:150" as the API's map; undefined when empty. Malformed entries are sent as written, so the API names them. */
export function parseSizes(text: string): Record<string, number> | undefined {
  const parts = text.split(/[,，;\n]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  return Object.fromEntries(parts.map((p) => {
    const [size, pieces] = p.split(/[:：=]/).map((x) => x.trim());
    return [size ?? p, Number(pieces)];
  }));
}

/** The features picked: those with a count above zero. */
export const pickedFeatures = (counts: FeatureCounts): FeatureCounts => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

interface Estimate { samMinutes: number; range: [number, number] }

/** The features pick list and its estimate (POST /sam-estimates). */
export function GarmentSpecFields({ category, fabricType, counts, onChange, error }: { category: string; fabricType: string; counts: FeatureCounts; onChange: (counts: FeatureCounts) => void; error?: string }): ReactNode {
  const { t, word } = useDomain();
  const [estimate, setEstimate] = useState<Estimate>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const ask = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      setEstimate(await api<Estimate>('POST', '/sam-estimates', { category, fabricType, features: pickedFeatures(counts) }));
    } catch (e) {
      setFailure(asProblem(e).detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FieldGroup label={t('spec.features')} error={error ?? failure}>
      <div className="feature-grid" data-testid="sam-features">
        {SAM_FEATURES.map((f) => (
          <label key={f} className="small">
            <input type="number" min={0} max={30} name={`feature-${f}`} value={counts[f] ?? 0} style={{ width: '4em' }}
              onChange={(e) => { onChange({ ...counts, [f]: Number(e.target.value) }); setEstimate(undefined); }} /> {word('feature', f)}
          </label>
        ))}
      </div>
      <div className="row">
        <button type="button" className="ghost" disabled={busy} onClick={() => void ask()}>{busy ? t('spec.estimating') : t('spec.estimate')}</button>
        {estimate ? <span data-testid="sam-estimate">{t('spec.estimated', { sam: estimate.samMinutes, low: estimate.range[0], high: estimate.range[1] })}</span> : null}
      </div>
    </FieldGroup>
  );
}
