import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiProblem, asProblem } from './api';
import { useFormat } from './i18n/format';
import { localizeFieldError, problemTitle } from './i18n/problem';

/** Loads data and reloads on demand; keeps the last good data while reloading. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: ApiProblem | undefined; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiProblem>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loader.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(asProblem(e));
        setLoading(false);
      },
    );
  }, []);
  useEffect(reload, deps);
  return { data, error, loading, reload };
}

/**
 * Calls `fn` at most once per `ms`: the first call runs at once, calls inside the window run once
 * at its end. A busy market sends many events a second; pages refresh a few times a second at most.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | undefined }>({ last: 0, timer: undefined });
  useEffect(() => () => clearTimeout(state.current.timer), []);
  return useCallback(() => {
    const s = state.current;
    if (s.timer !== undefined) return;
    const run = (): void => {
      s.timer = undefined;
      s.last = Date.now();
      latest.current();
    };
    const wait = s.last + ms - Date.now();
    if (wait <= 0) run();
    else s.timer = setTimeout(run, wait);
  }, [ms]);
}

/** A problem document for people. Field errors a form already shows beside its fields are only counted here. */
export function ProblemBox({ problem, onRetry, inline }: { problem: ApiProblem; onRetry?: () => void; inline?: readonly string[] }): ReactNode {
  const { t, i18n } = useTranslation();
  const exists = (key: string): boolean => i18n.exists(key);
  const elsewhere = problem.errors.filter((e) => !inline?.includes(e.field));
  const beside = problem.errors.length - elsewhere.length;
  const title = problemTitle(t, exists, problem.status, problem.title);
  return (
    <div className="problem" role="alert" data-status={problem.status}>
      <strong>{title}</strong>
      {beside > 0 ? (
        <span> — {t('common.correctFields', { count: beside })}</span>
      ) : problem.status === 0 && problem.title === 'Network error' ? (
        <span> — {t('common.networkDetail')}</span>
      ) : problem.detail && problem.detail !== problem.title ? (
        <span> — {problem.detail}</span>
      ) : null}
      {elsewhere.length > 0 ? (
        <ul>
          {elsewhere.map((e) => (
            <li key={`${e.field}:${e.message}`} data-field={e.field}>
              {localizeFieldError(t, exists, e.field, e.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {problem.requestId ? <div className="muted small">{t('common.requestId', { id: problem.requestId })}</div> : null}
      {onRetry ? (
        <button type="button" className="link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** A field's error from a problem document, in the person's language (see i18n/problem.ts). */
export function useFieldError(problem: ApiProblem | undefined): (field: string) => string | undefined {
  const { t, i18n } = useTranslation();
  return (field) => {
    const messages = problem?.errors.filter((e) => e.field === field).map((e) => localizeFieldError(t, (k) => i18n.exists(k), e.field, e.message));
    return messages?.length ? messages.join('; ') : undefined;
  };
}

export function Loading({ rows = 3, label }: { rows?: number; label?: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-busy="true" aria-label={label ?? t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" />
      ))}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }): ReactNode {
  return (
    <section className={`card ${className ?? ''}`}>
      {title || actions ? (
        <header className="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Status({ value }: { value: string }): ReactNode {
  const { t } = useTranslation();
  return <span className={`status status-${value}`} data-value={value}>{t(`domain.status.${value}`, { defaultValue: value.replace(/_/g, ' ') })}</span>;
}

export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: ReactNode }): ReactNode {
  return (
    <label className={`field ${error ? 'has-error' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

/**
 * A group of inputs (checkboxes, radios, several numbers) under one caption: a fieldset with a
 * legend, so the caption names the group without being the label of its first box.
 */
export function FieldGroup({ label, error, hint, children, className }: { label: string; error?: string | undefined; hint?: string; children: ReactNode; className?: string }): ReactNode {
  return (
    <fieldset className={`field group ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <legend className="field-label">{label}</legend>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </fieldset>
  );
}

/**
 * A calendar date typed as 2026-12-07 in every language: a browser's own date input shows the
 * operating system's order (12/07/2026 on an English machine), which misleads next to the
 * console's dates.
 */
export function DateInput({ name, value, onChange, required, min }: { name: string; value: string; onChange: (value: string) => void; required?: boolean; min?: string }): ReactNode {
  return (
    <input name={name} type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" placeholder="YYYY-MM-DD" maxLength={10} autoComplete="off"
      required={required} value={value} data-min={min} onChange={(e) => onChange(e.target.value)} />
  );
}

/** Horizontal bars, one per row; values are shares 0..1 unless `format` says otherwise. */
export function Bars({ rows, format, max }: { rows: { key: string; value: number; note?: string }[]; format?: (v: number) => string; max?: number }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const show = format ?? f.pct;
  if (rows.length === 0) return <Empty title={t('common.nothingToChart')} />;
  const top = max ?? Math.max(...rows.map((r) => r.value), 1e-9);
  return (
    <div className="bars">
      {rows.map((r) => (
        <div className="bar-row" key={r.key}>
          <span className="bar-label">{r.key}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${Math.min(100, (r.value / top) * 100)}%` }} />
          </span>
          <span className="bar-value">
            {show(r.value)}
            {r.note ? <span className="muted small"> {r.note}</span> : null}
          </span>
        </div>
      ))}
    </div>
  );
}

export const seconds = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 1 ? `${Math.round(v * 1000)} ms` : v < 120 ? `${v.toFixed(1)} s` : `${Math.round(v / 60)} min`);
export const shortId = (id: string): string => id.slice(0, 8);

/** Seconds left until `iso`, ticking once a second. */
export function Countdown({ until }: { until: string }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const urgent = left < 300;
  return (
    <span className={`countdown ${urgent ? 'urgent' : ''}`} title={t('common.expires', { at: f.dateTime(until) })}>
      {left === 0 ? t('common.expired') : t('common.left', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` })}
    </span>
  );
}

export function FeedBadge({ state }: { state: 'connecting' | 'live' | 'reconnecting' | 'offline' }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className={`feed feed-${state}`} data-testid="feed-state" data-state={state} title={state === 'offline' ? t('feed.offlineHint') : undefined}>
      <span className="dot" />
      {t(`feed.${state}`)}
    </span>
  );
}
