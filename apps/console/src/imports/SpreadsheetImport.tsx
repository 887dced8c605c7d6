import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportPreviewBody, ImportRow, ImportRowError } from '@cloudloom/contracts';
import { api, type ApiProblem, apiBlob, asProblem } from '../api';
import { type Domain, useDomain } from '../i18n/domain';
import { localizeFieldError } from '../i18n/problem';
import { ProblemBox } from '../ui';

type Target = 'orders' | 'lines';
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A row's error in the person's language: the code worded by the catalog, naming the column as the file has it. */
function useRowError(): (e: ImportRowError) => string {
  const { t, i18n } = useTranslation();
  const exists = (key: string): boolean => i18n.exists(key);
  return (e) => {
    const name = e.field.split('.').pop() ?? e.field;
    const column = e.column ?? (exists(`field.${name}`) ? t(`field.${name}`) : e.field);
    if (e.code === 'rule' || e.code === 'invalid') {
      // A rule the catalog words names the field itself; one it does not is shown as the API says it, under its column.
      const worded = localizeFieldError(t, exists, e.field, e.message);
      return worded !== e.message ? worded : t('imports.error.in', { column, message: e.message });
    }
    return t(`imports.error.${e.code}`, { column, limit: e.limit });
  };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** What a stored row would be, in a few words; rows with errors show their errors instead. */
function summary(d: Domain, target: Target, row: ImportRow): string {
  const v = row.values;
  if (target === 'lines') return [text(v.name), d.word('lineKind', text(v.kind))].filter((s) => s !== '').join(' · ');
  const kind = text(v.kind);
  const quantity = num(v.quantity);
  const parts = [
    quantity !== undefined ? d.quantity(quantity, kind) : '',
    row.errors.length === 0 ? d.spec(v, kind) : '',
    text(v.dueDate) ? d.t('common.due', { date: d.f.day(text(v.dueDate)) }) : '',
  ];
  return parts.filter((s) => s !== '').join(' · ');
}

/**
 * Orders (a brand) or lines (a factory) from a spreadsheet: the template to fill in, a file to
 * choose, every row checked by the server with nothing stored, and only then the import, which
 * stores every row or none. A file with errors is fixed in the spreadsheet and chosen again.
 */
export function SpreadsheetImport({ target, onImported }: { target: Target; onImported: () => void }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  const wordError = useRowError();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportPreviewBody>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<number>();

  const send = async (chosen: File, dryRun: boolean): Promise<unknown> => {
    const form = new FormData();
    form.append('file', chosen);
    return api('POST', `/${target}/import${dryRun ? '?dryRun=true' : ''}`, form);
  };
  const choose = async (chosen: File | undefined): Promise<void> => {
    setFile(chosen);
    setPreview(undefined);
    setProblem(undefined);
    setImported(undefined);
    if (!chosen) return;
    setBusy(true);
    try {
      setPreview((await send(chosen, true)) as ImportPreviewBody);
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setBusy(false);
    }
  };
  const store = async (): Promise<void> => {
    if (!file || !preview) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const { items } = (await send(file, false)) as { items: unknown[] };
      setImported(items.length);
      setPreview(undefined);
      setFile(undefined);
      if (input.current) input.current.value = '';
      onImported();
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setBusy(false);
    }
  };
  const template = async (format: 'csv' | 'xlsx'): Promise<void> => {
    const url = URL.createObjectURL(await apiBlob(`/${target}/import/template?format=${format}`));
    const link = Object.assign(document.createElement('a'), { href: url, download: `${t(`imports.${target}.templateName`)}.${format}` });
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="spreadsheet-import" data-testid={`import-${target}`}>
      <p className="muted small">{t(`imports.${target}.hint`)}</p>
      <div className="row">
        <span className="muted small">{t('imports.template')}</span>
        <button type="button" className="link" onClick={() => void template('xlsx')}>{t('imports.templateXlsx')}</button>
        <button type="button" className="link" onClick={() => void template('csv')}>{t('imports.templateCsv')}</button>
      </div>
      <label className="field">
        <span>{t('imports.chooseFile')}</span>
        <input ref={input} type="file" name="spreadsheet" accept={ACCEPT} onChange={(e) => void choose(e.target.files?.[0])} disabled={busy} />
      </label>
      {busy && !preview ? <div className="muted small" role="status">{t('imports.checking')}</div> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {imported !== undefined ? <div className="saved" role="status">{t(`imports.${target}.done`, { count: imported })}</div> : null}
      {preview ? (
        <div className="import-preview" data-testid="import-preview">
          <div role="status" data-valid={preview.validRows} data-invalid={preview.invalidRows}>
            {preview.invalidRows > 0
              ? t('imports.summaryWithErrors', { valid: f.num(preview.validRows), invalid: f.num(preview.invalidRows), count: preview.invalidRows })
              : t(`imports.${target}.ready`, { count: preview.validRows, n: f.num(preview.validRows) })}
          </div>
          {preview.ignoredColumns.length > 0 ? <div className="muted small">{t('imports.ignored', { columns: preview.ignoredColumns.join('、') })}</div> : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">{t('imports.row')}</th><th scope="col">{t(`imports.${target}.what`)}</th><th scope="col">{t('imports.check')}</th></tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row} data-testid="import-row" data-row={r.row} className={r.errors.length > 0 ? 'has-errors' : ''}>
                    <td data-label={t('imports.row')}>{r.row}</td>
                    <td data-label={t(`imports.${target}.what`)}>{summary(d, target, r)}</td>
                    <td data-label={t('imports.check')}>
                      {r.errors.length === 0 ? <span className="ok">{t('imports.rowOk')}</span> : (
                        <ul className="field-error">{r.errors.map((e) => <li key={`${e.field}:${e.code}`}>{wordError(e)}</li>)}</ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.invalidRows > 0 ? <p className="muted small">{t('imports.fixAndChoose')}</p> : (
            <button type="button" className="primary" disabled={busy} onClick={() => void store()}>
              {busy ? t('imports.importing') : t(`imports.${target}.import`, { count: preview.validRows, n: f.num(preview.validRows) })}
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
