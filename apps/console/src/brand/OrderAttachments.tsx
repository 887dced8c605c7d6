import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, apiBlob, asProblem } from '../api';
import { useCan } from '../roles';

/** Every user-visible string of the attachments box, in one place for the i18n pass. */
export const ATTACH_TEXT = {
  title: 'Tech pack and files 工艺单与附件',
  none: 'No files yet. Factories offered this order see what you attach here, and nobody else.',
  kind: { tech_pack: 'Tech pack 工艺单', sketch: 'Sketch 款式图', swatch_photo: 'Swatch photo 面料小样', other: 'Other 其他' },
  attach: 'Attach 上传',
  attaching: 'Uploading…',
  accepted: 'PDF, PNG, JPEG or WebP',
} as const;

type Kind = keyof typeof ATTACH_TEXT.kind;
interface Attachment { id: string; kind: Kind; fileName: string; contentType: string; sizeBytes: number; url: string; createdAt: string }

/** The order's files: the list (each downloads), and a file picker to attach one. */
export function OrderAttachments({ orderId }: { orderId: string }): ReactNode {
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
      <strong>{ATTACH_TEXT.title}</strong>
      {items.length === 0 ? <div className="muted small">{ATTACH_TEXT.none}</div> : (
        <ul>
          {items.map((a) => (
            <li key={a.id}>
              <button type="button" className="link" onClick={() => void download(a)}>{a.fileName}</button> <span className="muted small">{ATTACH_TEXT.kind[a.kind]} · {Math.ceil(a.sizeBytes / 1024)} KB</span>
            </li>
          ))}
        </ul>
      )}
      {!can('attachFiles') ? null : <div className="row">
        <select name="attachmentKind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {(Object.keys(ATTACH_TEXT.kind) as Kind[]).map((k) => <option key={k} value={k}>{ATTACH_TEXT.kind[k]}</option>)}
        </select>
        <input type="file" name="attachment" accept="application/pdf,image/png,image/jpeg,image/webp" title={ATTACH_TEXT.accepted} onChange={(e) => setFile(e.target.files?.[0])} />
        <button type="button" className="ghost" disabled={!file || busy} onClick={() => void attach()}>{busy ? ATTACH_TEXT.attaching : ATTACH_TEXT.attach}</button>
      </div>}
      {failure ? <div className="field-error">{failure}</div> : null}
    </div>
  );
}
