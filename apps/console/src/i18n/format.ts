import { useTranslation } from 'react-i18next';
import { type Language, languageOf } from './languages';

/**
 * Every number, date and amount the console shows goes through here, so one screen never mixes
 * formats: dates as 2026-12-07 in both languages, times 24 h in the person's own time zone,
 * numbers and CNY grouped as the language writes them.
 */
export interface Format {
  readonly language: Language;
  /** A calendar date the API sends as YYYY-MM-DD (due dates, ledger days): shown as sent, never shifted by a zone. */
  day: (isoDate: string) => string;
  /** A calendar date's weekday, short (周一, Mon): the heatmap's day axis. */
  weekday: (isoDate: string) => string;
  /** An instant, as 2026-12-07 14:05 in the person's time zone. */
  dateTime: (iso: string | number) => string;
  /** An instant's time alone, 24 h with seconds (the event feed). */
  time: (iso: string | number) => string;
  num: (v: number, fractionDigits?: number) => string;
  /** CNY with ¥, whole yuan unless asked for fen. */
  cny: (v: number, fractionDigits?: number) => string;
  pct: (v: number | null | undefined) => string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Year, month, day, hour, minute, second of an instant in the given zone (the browser's when undefined). */
function partsOf(at: Date, timeZone: string | undefined): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Intl formatters are slow to make: one per locale and options. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}
const numberFormat = (locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat => memo(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => memo(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));

/** The formats of one language; `timeZone` is for tests (the console uses the browser's zone). */
export function formatFor(language: Language, timeZone?: string): Format {
  const locale = language;
  return {
    language,
    day: (isoDate) => isoDate.slice(0, 10),
    // In UTC: the date is a calendar day, not an instant, so no zone may move it to the day before.
    weekday: (isoDate) => dateFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)),
    dateTime: (iso) => {
      const p = partsOf(new Date(iso), timeZone);
      return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
    },
    time: (iso) => {
      const p = partsOf(new Date(iso), timeZone);
      return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
    },
    num: (v, fractionDigits = 0) => numberFormat(locale, { maximumFractionDigits: fractionDigits }).format(v),
    cny: (v, fractionDigits = 0) => numberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(v),
    pct: (v) => (v === null || v === undefined ? '—' : numberFormat(locale, { style: 'percent', maximumFractionDigits: v > 0 && v < 0.1 ? 1 : 0 }).format(v)),
  };
}

/** The formats of the language the page is in; re-renders when the person switches. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  return formatFor(languageOf(i18n.language));
}
