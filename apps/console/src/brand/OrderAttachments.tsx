import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, apiBlob, asProblem } from '../api';
import { useDomain } from '../i18n/domain';
import { useCan } from '../roles';

const KINDS = ['tech_pack', 'sketch', 'swatch_photo', 'other'] as const;
type Kind = (typeof KINDS)[number];
interface Attachment { id: string; kind: Kind; fileName: string; contentType: string; sizeBytes: number; url: string; createdAt: string }

/** The order's files: the list (each downloads), and a file picker to attach one. */
export function OrderAttachments({ orderId }: { orderId: string }): ReactNode {
  const { t, f, word } = useDomain();
  const [items, setItems] = useState<Attachment[]>([]);
  const [kind, setKind] = useState<Kind>('tech_pack');
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const can = useCan();
  const load = useCallback(async () => setItems((await api<{ items: Attachment[] }>('GET', `/orders/${orderId}/attachments`)).items), [orderId]);
  useEffect(() => void load().catch(() => setItems([])), [load]);

  const attach = async (): Promise<void> => {
    if (!file) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const form = new FormData();
      form.append('file', file);
      form.append('kind', kind);
      await api('POST', `/orders/${orderId}/attachments`, form);
      setFile(undefined);
      await load();
    } catch (e) {
      const p = asProblem(e);
      setFailure(p.fieldMessage('file') ?? p.detail ?? p.title);
    } finally {
      setBusy(false);
    }
  };
  const download = async (a: Attachment): Promise<void> => {
    const url = URL.createObjectURL(await apiBlob(a.url));
    const link = Object.assign(document.createElement('a'), { href: url, download: a.fileName });
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="attachments" data-testid="attachments">
      <strong>{t('attach.title')}</strong>
      {items.length === 0 ? <div className="muted small">{t('attach.none')}</div> : (
        <ul>
          {items.map((a) => (
            <li key={a.id}>
              <button type="button" className="link" onClick={() => void download(a)}>{a.fileName}</button> <span className="muted small">{word('attachmentKind', a.kind)} · {f.num(Math.ceil(a.sizeBytes / 1024))} KB</span>
            </li>
          ))}
        </ul>
      )}
      {!can('attachFiles') ? null : <div className="row">
        <select name="attachmentKind" aria-label={t('attach.kindLabel')} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => <option key={k} value={k}>{word('attachmentKind', k)}</option>)}
        </select>
        <input type="file" name="attachment" aria-label={t('attach.fileLabel')} accept="application/pdf,image/png,image/jpeg,image/webp" title={t('attach.accepted')} onChange={(e) => setFile(e.target.files?.[0])} />
        <button type="button" className="ghost" disabled={!file || busy} onClick={() => void attach()}>{busy ? t('attach.attaching') : t('attach.attach')}</button>
      </div>}
      {failure ? <div className="field-error">{failure}</div> : null}
    </div>
  );
}
