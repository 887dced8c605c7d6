import { deflateRawSync } from 'node:zlib';
import { Workbook } from 'exceljs';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

interface RowError { column: string | null; field: string; code: string; limit?: number; message: string }
interface Preview {
  format: string;
  columns: { header: string; field: string | null }[];
  ignoredColumns: string[];
  rows: { row: number; values: Record<string, unknown>; errors: RowError[] }[];
  validRows: number;
  invalidRows: number;
}
interface Problem { status: number; code: string; errors: { field: string; message: string }[] }
type Answer = Preview & Problem & { items: { id: string; status: string; quantity: number; name: string; kind: string }[] };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const cellText = (c: string | number): string => (/[",\r\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c));
const csv = (rows: readonly (readonly (string | number)[])[]): Buffer => Buffer.from(`${rows.map((r) => r.map(cellText).join(',')).join('\r\n')}\r\n`, 'utf8');

async function workbook(rows: readonly (readonly (string | number | Date)[])[]): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('Orders');
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('import of orders and lines from CSV and Excel: a preview with every row, then all rows stored or none', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let otherBrand: { id: string; key: string };
  let factory: { id: string; key: string };
  const counts = async (): Promise<{ orders: number; lines: number }> =>
    (await t.sql<{ orders: number; lines: number }>('SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM lines) AS lines'))[0]!;

  const upload = async (path: string, key: string, file: { bytes: Buffer; name: string; type?: string } | undefined, headers: Record<string, string> = {}): Promise<{ status: number; body: Answer }> => {
    const form = new FormData();
    if (file) form.append('file', new Blob([file.bytes], { type: file.type ?? 'text/csv' }), file.name);
    const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body: form });
    return { status: res.status, body: (await res.json()) as Answer };
  };

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Import Brand' });
    otherBrand = await signup(t, { kind: 'brand', name: 'Other Brand' });
    factory = await signup(t, { kind: 'factory', name: 'Import Mill' });
    await addLine(t, factory.key, { ...airJetLine, fibers: ['cotton', 'polyester'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const HEADERS = ['订单类型', '数量', '交期', '纤维', '组织', '门幅(厘米)', '纬密(根/厘米)', '备注'];

  it('previews a CSV with Chinese headers row by row, stores nothing while a row is wrong, then stores every row of the corrected file', async () => {
    const bad = csv([
      HEADERS,
      ['面料', '3,000', inDays(20), '棉', '斜纹', 150, 30, '春季款'],
      ['面料', 0, inDays(20), '棉', '毛呢', 150, 30, ''],
      [],
      ['面料', 2000, '2020-01-05', '涤纶', '平纹', '一百五', 30, ''],
      ['成衣', 300, inDays(20), '', '', '', '', ''],
    ]);
    const before = await counts();
    const preview = await upload('/orders/import?dryRun=true', brand.key, { bytes: bad, name: '春季订单.csv' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ format: 'csv', ignoredColumns: ['备注'], validRows: 1, invalidRows: 3 });
    expect(preview.body.columns.slice(0, 3)).toEqual([{ header: '订单类型', field: 'kind' }, { header: '数量', field: 'quantity' }, { header: '交期', field: 'dueDate' }]);
    // The blank line is skipped, but rows keep the numbers the spreadsheet shows.
    expect(preview.body.rows.map((r) => r.row)).toEqual([2, 3, 5, 6]);
    expect(preview.body.rows[0]).toEqual({
      row: 2, errors: [], values: { kind: 'fabric', quantity: 3000, dueDate: inDays(20), fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 } },
    });
    const errorsOf = (row: number): Omit<RowError, 'message'>[] =>
      preview.body.rows.find((r) => r.row === row)!.errors.map(({ message: _, ...e }) => e);
    expect(errorsOf(3)).toEqual([
      { column: '数量', field: 'quantity', code: 'min', limit: 1 },
      { column: '组织', field: 'fabric.weave', code: 'oneOf' },
    ]);
    expect(errorsOf(5)).toEqual([{ column: '门幅(厘米)', field: 'fabric.widthCm', code: 'number' }]);
    // A garment row without its garment columns names each one (there is no column for them in this file).
    expect(errorsOf(6)).toEqual([
      { column: null, field: 'garment.category', code: 'required' },
      { column: null, field: 'garment.fabricType', code: 'required' },
    ]);
    expect(await counts()).toEqual(before);

    // Importing it stores nothing, and says which row and column.
    const refused = await upload('/orders/import', brand.key, { bytes: bad, name: '春季订单.csv' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual(['rows.3.quantity', 'rows.3.fabric.weave', 'rows.5.fabric.widthCm', 'rows.6.garment.category', 'rows.6.garment.fabricType']);
    expect(refused.body.errors[0]!.message).toBe('row 3, column "数量": quantity must not be less than 1');
    expect(await counts()).toEqual(before);

    // A past date is the order's own rule, not the file's: the same words as POST /orders.
    const past = await upload('/orders/import?dryRun=true', brand.key, { bytes: csv([HEADERS, ['面料', 2000, '2020/1/5', '涤纶', '平纹', 150, 30, '']]), name: 'past.csv' });
    expect(past.body.rows[0]!.errors).toEqual([{ column: '交期', field: 'dueDate', code: 'rule', message: 'must be on or after earliestStart' }]);

    const fixed = csv([
      HEADERS,
      ['面料', '3,000', inDays(20), '棉', '斜纹', 150, 30, '春季款'],
      ['面料', 1000, inDays(20), '棉', '平纹', 150, 30, ''],
      ['fabric', 2000, inDays(25), 'Polyester', 'Plain', 150, 30, ''],
    ]);
    const stored = await upload('/orders/import', brand.key, { bytes: fixed, name: '春季订单.csv' });
    expect(stored.status).toBe(202);
    expect(stored.body.items.map((o) => [o.status, o.quantity])).toEqual([['pending', 3000], ['pending', 1000], ['pending', 2000]]);
    expect(await counts()).toEqual({ ...before, orders: before.orders + 3 });
    // Stored as POST /orders/batch stores them: queued and matched.
    for (const o of stored.body.items) expect((await orderSettled(t, brand.key, o.id)).status).toBe('proposed');
    // Another brand's eyes never reach them.
    expect((await t.request('GET', `/orders/${stored.body.items[0]!.id}`, { key: otherBrand.key })).status).toBe(404);
  });

  it('reads an Excel workbook with English headers, date cells and a size run, and keeps an Idempotency-Key', async () => {
    const due = new Date(`${inDays(21)}T00:00:00Z`);
    const bytes = await workbook([
      ['Kind', 'Quantity', 'Due date', 'Category', 'Fabric type', 'Standard minutes', 'Sizes', 'Certifications'],
      ['garment', 300, due, 'T恤', '针织', 12.5, 'S:100, M:150, L:50', 'OEKO-TEX，GOTS'],
      ['garment', 200, due, 'polo', 'knit', 15, 'S:100 M:50', ''],
    ]);
    const preview = await upload('/orders/import?dryRun=true', brand.key, { bytes, name: 'orders.xlsx', type: XLSX });
    expect(preview.status).toBe(200);
    expect(preview.body.format).toBe('xlsx');
    expect(preview.body.rows[0]).toEqual({
      row: 2, errors: [],
      values: { kind: 'garment', quantity: 300, dueDate: inDays(21), garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12.5 }, sizes: [{ size: 'S', quantity: 100 }, { size: 'M', quantity: 150 }, { size: 'L', quantity: 50 }], certifications: ['OEKO-TEX', 'GOTS'] },
    });
    expect(preview.body.rows[1]!.errors).toEqual([{ column: 'Sizes', field: 'sizes', code: 'rule', message: 'must sum to the quantity (200 pieces); these sizes sum to 150' }]);

    const fixed = await workbook([
      ['Kind', 'Quantity', 'Due date', 'Category', 'Fabric type', 'Standard minutes', 'Sizes'],
      ['garment', 300, due, 'T恤', '针织', 12.5, 'S:100, M:150, L:50'],
      ['garment', 200, due, 'polo', 'knit', 15, 'S:100 M:100'],
    ]);
    const before = await counts();
    const first = await upload('/orders/import', brand.key, { bytes: fixed, name: 'orders.xlsx', type: XLSX }, { 'idempotency-key': 'import-2026-12-07' });
    expect(first.status).toBe(202);
    const again = await upload('/orders/import', brand.key, { bytes: fixed, name: 'orders.xlsx', type: XLSX }, { 'idempotency-key': 'import-2026-12-07' });
    expect(again.status).toBe(202);
    expect(again.body.items.map((o) => o.id)).toEqual(first.body.items.map((o) => o.id));
    expect(await counts()).toEqual({ ...before, orders: before.orders + 2 });
  });

  it('imports style orders beside fabric orders: a row of kind 款式 fills the fabric, garment and style columns and is stored as one chain', async () => {
    const headers = ['订单类型', '数量', '交期', '纤维', '组织', '门幅(厘米)', '纬密(根/厘米)', '品类', '面料类型', '标准工时(分钟/件)', '尺码配比', '单件用料(米)', '染整工艺', '认证'];
    const fabric = ['面料', 1000, inDays(20), '棉', '斜纹', 150, 30, '', '', '', '', '', '', ''];
    const style = ['款式', 300, inDays(40), '棉', '平纹', 150, 30, '连衣裙', '梭织', 40, 'S:100, M:120, L:80', 2, '染色', ''];
    const bad = csv([
      headers,
      fabric,
      style,
      // No fabric per piece, a finishing no one offers under that name, and certifications, which a style does not take.
      ['款式', 200, inDays(40), '棉', '平纹', 150, 30, '衬衫', '梭织', 30, '', '', '烫金', 'GOTS'],
      // A style's own fields on a fabric row are refused, as POST /orders refuses them.
      ['面料', 1000, inDays(20), '棉', '斜纹', 150, 30, '', '', '', '', 2, '', ''],
    ]);
    const before = await counts();
    const preview = await upload('/orders/import?dryRun=true', brand.key, { bytes: bad, name: '款式订单.csv' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ validRows: 2, invalidRows: 2, ignoredColumns: [] });
    expect(preview.body.rows[1]).toEqual({
      row: 3, errors: [],
      values: {
        kind: 'style', quantity: 300, dueDate: inDays(40), fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 },
        garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 }, sizes: [{ size: 'S', quantity: 100 }, { size: 'M', quantity: 120 }, { size: 'L', quantity: 80 }],
        fabricPerPieceM: 2, finishing: { process: 'dyeing' },
      },
    });
    const fields = (row: number): string[] => preview.body.rows.find((r) => r.row === row)!.errors.map((e) => `${e.field} ${e.code}`);
    expect(fields(4)).toEqual(['fabricPerPieceM required', 'finishing.process oneOf', 'certifications invalid']);
    expect(fields(5)).toEqual(['fabricPerPieceM invalid']);
    expect(await counts()).toEqual(before);

    const stored = await upload('/orders/import', brand.key, { bytes: csv([headers, fabric, style]), name: '款式订单.csv' });
    expect(stored.status).toBe(202);
    expect(await counts()).toEqual({ ...before, orders: before.orders + 2 });
    const view = await t.request<{ kind: string; quantity: number; sizes: unknown; stages: { kind: string; quantity: number }[] }>('GET', `/orders/${stored.body.items[1]!.id}`, { key: brand.key });
    // 300 dresses of 2 m each with the default 3% wastage: 618 m woven and dyed, then sewn.
    expect(view.body).toMatchObject({ kind: 'style', quantity: 300, sizes: [{ size: 'S', quantity: 100 }, { size: 'M', quantity: 120 }, { size: 'L', quantity: 80 }] });
    expect(view.body.stages.map((s) => [s.kind, s.quantity])).toEqual([['weaving', 618], ['finishing', 618], ['sewing', 300]]);
  });

  it('hands out templates with the Chinese headers and an example row that imports as it stands', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      for (const [path, key] of [['/orders/import', brand.key], ['/lines/import', factory.key]] as const) {
        const res = await fetch(`${t.baseUrl}${path}/template?format=${format}`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(format === 'csv' ? /^text\/csv/ : /spreadsheetml/);
        expect(res.headers.get('content-disposition')).toMatch(new RegExp(`filename\\*=UTF-8''.+\\.${format}$`));
        const bytes = Buffer.from(await res.arrayBuffer());
        if (format === 'csv') {
          expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
          expect(bytes.toString('utf8').split('\r\n')[0]).toMatch(path.startsWith('/orders') ? /^\ufeff订单类型,数量,交期,/ : /^\ufeff产线类型,产线名称,单价,/);
        }
        const preview = await upload(`${path}?dryRun=true`, key, { bytes, name: `template.${format}` });
        expect(preview.status, `${path} ${format}`).toBe(200);
        // Orders: a fabric order and a style; lines: a loom line.
        expect(preview.body, `${path} ${format}`).toMatchObject({ format, validRows: path.startsWith('/orders') ? 2 : 1, invalidRows: 0, ignoredColumns: [] });
      }
    }
  });

  it('refuses what is not a spreadsheet, too large or too long, with a 400 naming the file, and stores nothing', async () => {
    const before = await counts();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 0)]);
    const cases: [string, { bytes: Buffer; name: string } | undefined, RegExp][] = [
      ['a PNG named .csv', { bytes: png, name: 'orders.csv' }, /CSV file or an Excel workbook/],
      ['an old .xls', { bytes: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), name: 'orders.xls' }, /\.xls.*save it as \.xlsx or CSV/],
      ['a zip that is no workbook', { bytes: Buffer.from('PK\x03\x04 not really a zip', 'latin1'), name: 'orders.xlsx' }, /CSV file or an Excel workbook/],
      ['no file', undefined, /choose one non-empty file/],
      ['headers only', { bytes: csv([HEADERS]), name: 'a.csv' }, /no rows under it/],
      ['headers the import does not know', { bytes: csv([['colour', 'size'], ['red', 'M']]), name: 'a.csv' }, /no column is one the import knows/],
      ['one column twice', { bytes: csv([['数量', 'quantity'], [1, 2]]), name: 'a.csv' }, /"数量" and "quantity" both give 数量/],
      ['101 rows', { bytes: csv([HEADERS, ...Array.from({ length: 101 }, () => ['面料', 100, inDays(20), '棉', '平纹', 150, 30, ''])]), name: 'a.csv' }, /has 101 rows; at most 100/],
    ];
    for (const [name, file, message] of cases) {
      for (const dryRun of ['?dryRun=true', '']) {
        const res = await upload(`/orders/import${dryRun}`, brand.key, file);
        expect(res.status, name).toBe(400);
        expect(res.body.errors.map((e) => e.field), name).toEqual(['file']);
        expect(res.body.errors[0]!.message, name).toMatch(message);
      }
    }
    // Zip bombs: 30 MB of zeros packed into a few KB, declared as it is or as 100 bytes.
    for (const declared of [undefined, 100]) {
      const bomb = await upload('/orders/import?dryRun=true', brand.key, { bytes: zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(30 * 1024 * 1024), declared), name: 'bomb.xlsx', type: XLSX });
      expect(bomb.status, `declared ${declared}`).toBe(400);
      expect(bomb.body.errors.map((e) => e.field)).toEqual(['file']);
      expect(bomb.body.errors[0]!.message).toMatch(/unpacks to more than 20 MB/);
    }
    const large = await upload('/orders/import?dryRun=true', brand.key, { bytes: Buffer.concat([csv([HEADERS]), Buffer.alloc(1024 * 1024, 0x20)]), name: 'big.csv' });
    expect(large.status).toBe(413);
    const badFlag = await upload('/orders/import?dryRun=yes', brand.key, { bytes: csv([HEADERS]), name: 'a.csv' });
    expect(badFlag.status).toBe(400);
    expect(badFlag.body.errors.map((e) => e.field)).toEqual(['dryRun']);
    expect(await counts()).toEqual(before);
  });

  it('reads a CSV saved by Excel on a Chinese Windows (GB18030)', async () => {
    const text = `${HEADERS.join(',')}\r\n面料,1500,${inDays(20)},棉,斜纹,150,30,\r\n`;
    const bytes = gb18030(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const preview = await upload('/orders/import?dryRun=true', brand.key, { bytes, name: 'gbk.csv' });
    expect(preview.status).toBe(200);
    expect(preview.body.columns.map((c) => c.header).slice(0, 2)).toEqual(['订单类型', '数量']);
    expect(preview.body.rows[0]).toMatchObject({ errors: [], values: { kind: 'fabric', quantity: 1500, fabric: { fiber: 'cotton', weave: 'twill' } } });
  });

  it("imports a factory's lines, each kind with its own columns, all in one transaction or none; other kinds of organization do not see the routes", async () => {
    const header = ['产线类型', '产线名称', '单价', '机型', '织机台数', '转速(纬/分钟)', '最大门幅(厘米)', '工人数', '品类', '面料类型', '起订量(件)'];
    const bad = csv([
      header,
      ['织造', '二车间剑杆', 0.015, '剑杆织机', 24, 450, 230, '', '', '', ''],
      ['缝制', '针织三线', 0.45, '喷气织机', '', '', '', 30, 'T恤、Polo 衫', '针织', 100],
    ]);
    const before = await counts();
    const preview = await upload('/lines/import?dryRun=true', factory.key, { bytes: bad, name: '产线.csv' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ validRows: 1, invalidRows: 1 });
    expect(preview.body.rows[1]!.values).toMatchObject({ kind: 'sewing', categories: ['tshirt', 'polo'], fabricTypes: ['knit'], moq: 100 });
    expect(preview.body.rows[1]!.errors).toEqual([{ column: '机型', field: 'machineType', code: 'rule', message: 'not a field of a sewing line' }]);
    const refused = await upload('/lines/import', factory.key, { bytes: bad, name: '产线.csv' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual(['rows.3.machineType']);
    expect(await counts()).toEqual(before);

    const fixed = csv([header, ['织造', '二车间剑杆', 0.015, '剑杆织机', 24, 450, 230, '', '', '', ''], ['缝制', '针织三线', 0.45, '', '', '', '', 30, 'T恤、Polo 衫', '针织', 100]]);
    const stored = await upload('/lines/import', factory.key, { bytes: fixed, name: '产线.csv' });
    expect(stored.status).toBe(201);
    expect(stored.body.items.map((l) => [l.kind, l.name])).toEqual([['weaving', '二车间剑杆'], ['sewing', '针织三线']]);
    const lines = await t.request<{ items: { name: string }[] }>('GET', '/lines', { key: factory.key });
    // Lines of one transaction share their creation time; the list orders them by id after it.
    expect(lines.body.items.map((l) => l.name).sort()).toEqual(['Hall A air-jets', '二车间剑杆', '针织三线'].sort());
    // Each published line has its capacity ledger, as a line posted alone has.
    const ledgers = await t.sql<{ n: number }>('SELECT count(DISTINCT line_id)::int AS n FROM capacity_days');
    expect(ledgers[0]!.n).toBe(3);

    // A brand has no lines and a factory posts no orders: the other kind's import is not there.
    expect((await upload('/lines/import?dryRun=true', brand.key, { bytes: fixed, name: 'a.csv' })).status).toBe(404);
    expect((await upload('/orders/import?dryRun=true', factory.key, { bytes: fixed, name: 'a.csv' })).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/lines/import/template`, { headers: { authorization: `Bearer ${brand.key}` } })).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/orders/import/template`, { headers: { authorization: `Bearer ${factory.key}` } })).status).toBe(404);
  });
});

/** Text in GB18030, as Excel on a Chinese Windows saves CSV: ASCII as is, the rest looked up through Node's own decoder. */
function gb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const codes = new Map<string, Buffer>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) codes.set(decoder.decode(Buffer.from([hi, lo])), Buffer.from([hi, lo]));
  }
  return Buffer.concat(Array.from(text).map((ch) => (ch.charCodeAt(0) < 0x80 ? Buffer.from(ch, 'latin1') : codes.get(ch) ?? Buffer.from('?'))));
}

/** A zip of one deflated entry, its size declared as it is or as `declared` (a zip that lies). */
function zipOf(name: string, content: Buffer, declared = content.length): Buffer {
  const packed = deflateRawSync(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryAt = local.length + fileName.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  return Buffer.concat([local, fileName, packed, central, fileName, end]);
}
