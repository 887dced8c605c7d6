import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiProblem, asProblem } from './api';

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

/** A problem document for people. Field errors a form already shows beside its fields are only counted here. */
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
  const elsewhere = problem.errors.filter((e) => !inline?.includes(e.field));
  const beside = problem.errors.length - elsewhere.length;
  return (
    <div className="problem" role="alert">
      <strong>{problem.title}</strong>
      {beside > 0 ? (
        <span> — please correct the {beside === 1 ? 'field' : `${beside} fields`} marked above.</span>
      ) : problem.detail && problem.detail !== problem.title ? (
        <span> — {problem.detail}</span>
      ) : null}
      {elsewhere.length > 0 ? (
        <ul>
          {elsewhere.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem.requestId ? <div className="muted small">request id {problem.requestId}</div> : null}
      {onRetry ? (
        <button type="button" className="link" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ rows = 3, label = 'Loading' }: { rows?: number; label?: string }): ReactNode {
  return (
    <div className="loading" aria-busy="true" aria-label={label}>
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
  return <span className={`status status-${value}`}>{value.replace('_', ' ')}</span>;
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

/** Horizontal bars, one per row; values are shares 0..1 unless `format` says otherwise. */
export function Bars({ rows, format = pct, max }: { rows: { key: string; value: number; note?: string }[]; format?: (v: number) => string; max?: number }): ReactNode {
  if (rows.length === 0) return <Empty title="Nothing to chart yet" />;
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
            {format(r.value)}
            {r.note ? <span className="muted small"> {r.note}</span> : null}
          </span>
        </div>
      ))}
    </div>
  );
}

export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`);
export const seconds = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 1 ? `${Math.round(v * 1000)} ms` : v < 120 ? `${v.toFixed(1)} s` : `${Math.round(v / 60)} min`);
export const num = (v: number): string => v.toLocaleString('en-US');
export const money = (v: number): string => `¥${v.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
export const shortId = (id: string): string => id.slice(0, 8);
export const when = (iso: string): string => new Date(iso).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Seconds left until `iso`, ticking once a second. */
export function Countdown({ until }: { until: string }): ReactNode {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const urgent = left < 300;
  return (
    <span className={`countdown ${urgent ? 'urgent' : ''}`} title={`expires ${new Date(until).toLocaleString()}`}>
      {left === 0 ? 'expired' : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`}
    </span>
  );
}

export function FeedBadge({ state }: { state: 'connecting' | 'live' | 'reconnecting' | 'offline' }): ReactNode {
  const text = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', offline: 'live updates off' }[state];
  return (
    <span className={`feed feed-${state}`} data-testid="feed-state" title={state === 'offline' ? 'The live feed is unavailable; the page refreshes every 10 seconds instead.' : undefined}>
      <span className="dot" />
      {text}
    </span>
  );
}
