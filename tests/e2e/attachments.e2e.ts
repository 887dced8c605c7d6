import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

interface Attachment { id: string; orderId: string; kind: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; url: string }
interface Problem { status: number; errors?: { field: string; message: string }[] }

describe('attachments on an order: checked by content and size, shown to the brand and the factories offered its work only', () => {
  let t: TestApp;
  let dir: string;
  let brand: { id: string; key: string };
  let otherBrand: { id: string; key: string };
  let offered: { id: string; key: string };
  let stranger: { id: string; key: string };
  let orderId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudloom-attachments-'));
    t = await startTestApp({ ATTACHMENTS_DIR: dir, ATTACHMENT_MAX_KB: '64' });
    brand = await signup(t, { kind: 'brand', name: 'Tech Pack Brand' });
    otherBrand = await signup(t, { kind: 'brand', name: 'Other Brand' });
    offered = await signup(t, { kind: 'factory', name: 'Offered Sewing' });
    stranger = await signup(t, { kind: 'factory', name: 'Stranger Sewing' });
    await addLine(t, offered.key, { kind: 'sewing', name: 'Line 1', operators: 20, categories: ['dress'], fabricTypes: ['woven'], moq: 50, ratePerUnit: 0.5 });
    await addLine(t, stranger.key, { kind: 'sewing', name: 'Line 1', operators: 20, categories: ['jeans'], fabricTypes: ['woven'], moq: 50, ratePerUnit: 0.5 });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'garment', garment: { category: 'dress', fabricType: 'woven', samMinutes: 25 }, quantity: 300, dueDate: inDays(20) } });
    orderId = posted.body.id;
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (key: string, order: string, file: { bytes: Buffer; name: string; type: string } | undefined, fields: Record<string, string> = {}) => {
    const form = new FormData();
    if (file) form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${t.baseUrl}/orders/${order}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    return { status: res.status, body: (await res.json()) as Attachment & Problem };
  };
  const download = (key: string, id: string) => fetch(`${t.baseUrl}/attachments/${id}`, { headers: { authorization: `Bearer ${key}` } });
  const stored = async (): Promise<number> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
  const rows = async (): Promise<number> => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM attachments'))[0]!.n;

  it('keeps the tech pack and tells the type by its content, not its name', async () => {
    const pdf = await upload(brand.key, orderId, { bytes: PDF, name: '款式 PL2607 tech pack.pdf', type: 'application/pdf' }, { kind: 'tech_pack' });
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ orderId, kind: 'tech_pack', fileName: '款式 PL2607 tech pack.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    // a PNG called .pdf and declared as a PDF is a PNG
    const png = await upload(brand.key, orderId, { bytes: PNG, name: 'sketch.pdf', type: 'application/pdf' }, { kind: 'sketch' });
    expect(png.status).toBe(201);
    expect(png.body.contentType).toBe('image/png');
    const list = await t.request<{ items: Attachment[] }>('GET', `/orders/${orderId}/attachments`, { key: brand.key });
    expect(list.body.items.map((a) => a.id)).toEqual([pdf.body.id, png.body.id]);
    const res = await download(brand.key, pdf.body.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;.*filename\*=UTF-8''%E6%AC%BE%E5%BC%8F/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('refuses what is not a PDF or an image, what is too large, and a missing file, storing nothing', async () => {
    const [rowsBefore, filesBefore] = [await rows(), await stored()];
    const html = await upload(brand.key, orderId, { bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'tech pack.pdf', type: 'application/pdf' });
    expect(html.status).toBe(400);
    expect(html.body.errors?.map((e) => e.field)).toEqual(['file']);
    const large = await upload(brand.key, orderId, { bytes: Buffer.concat([PDF, Buffer.alloc(65 * 1024)]), name: 'big.pdf', type: 'application/pdf' });
    expect(large.status).toBe(413);
    const none = await upload(brand.key, orderId, undefined, { kind: 'sketch' });
    expect(none.status).toBe(400);
    expect(none.body.errors?.map((e) => e.field)).toEqual(['file']);
    const badKind = await upload(brand.key, orderId, { bytes: PDF, name: 'a.pdf', type: 'application/pdf' }, { kind: 'invoice' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors?.map((e) => e.field)).toEqual(['kind']);
    const json = await t.request<Problem>('POST', `/orders/${orderId}/attachments`, { key: brand.key, body: { file: 'JVBERi0=' } });
    expect(json.status).toBe(400);
    expect([await rows(), await stored()]).toEqual([rowsBefore, filesBefore]);
  });

  it('shows the files to the factory offered the work, and to nobody else (404)', async () => {
    const order = await orderSettled(t, brand.key, orderId);
    expect(order.allocations.map((a) => a.factoryId)).toEqual([offered.id]);
    const { body: list } = await t.request<{ items: Attachment[] }>('GET', `/orders/${orderId}/attachments`, { key: brand.key });
    const first = list.items[0]!;
    const seen = await t.request<{ items: Attachment[] }>('GET', `/orders/${orderId}/attachments`, { key: offered.key });
    expect(seen.status).toBe(200);
    expect(seen.body.items.map((a) => a.id)).toEqual(list.items.map((a) => a.id));
    const got = await download(offered.key, first.id);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);

    for (const key of [stranger.key, otherBrand.key, OPERATOR_KEY]) {
      expect((await t.request('GET', `/orders/${orderId}/attachments`, { key })).status).toBe(404);
      expect((await download(key, first.id)).status).toBe(404);
    }
    // only the brand attaches: not the factory, not another brand
    expect((await upload(offered.key, orderId, { bytes: PDF, name: 'x.pdf', type: 'application/pdf' })).status).toBe(404);
    expect((await upload(otherBrand.key, orderId, { bytes: PDF, name: 'x.pdf', type: 'application/pdf' })).status).toBe(404);
    expect((await download(brand.key, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download(brand.key, 'not-a-uuid')).status).toBe(404);
  });
});
