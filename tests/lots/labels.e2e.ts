import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Lot } from '@cloudloom/contracts';
import { startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { acceptedTrade, type Trade } from './support';

const run = promisify(execFile);

/** Renders a PDF with poppler at 100 dpi and decodes the QR code of each of the sheet's 2 x 4 labels. */
async function decodeLabels(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cl-labels-'));
  try {
    await writeFile(join(dir, 'sheet.pdf'), pdf);
    await run('pdftoppm', ['-r', '100', '-png', join(dir, 'sheet.pdf'), join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const found: string[] = [];
    for (const page of pages) {
      const png = PNG.sync.read(await readFile(join(dir, page)));
      const cellW = Math.floor(png.width / 2);
      const cellH = Math.floor(png.height / 4);
      for (let slot = 0; slot < 8; slot++) {
        const x0 = (slot % 2) * cellW;
        const y0 = Math.floor(slot / 2) * cellH;
        const cell = new Uint8ClampedArray(cellW * cellH * 4);
        for (let y = 0; y < cellH; y++) cell.set(png.data.subarray(((y0 + y) * png.width + x0) * 4, ((y0 + y) * png.width + x0 + cellW) * 4), y * cellW * 4);
        const code = jsQR(cell, cellW, cellH);
        if (code) found.push(code.data);
      }
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cl-labels-'));
  try {
    await writeFile(join(dir, 'sheet.pdf'), pdf);
    return (await run('pdftotext', ['-enc', 'UTF-8', join(dir, 'sheet.pdf'), '-'], { encoding: 'utf8' })).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('label sheets: a real PDF whose QR codes open each lot', () => {
  let t: TestApp;
  let trade: Trade;
  let lots: Lot[];

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://trace.cloudloom.test/' });
    trade = await acceptedTrade(t, 'fabric', 1000);
    // Nine lots: a full sheet of eight and one on the second page.
    const res = await t.request<{ items: Lot[] }>('POST', `/allocations/${trade.allocationId}/lots/batch`, { key: trade.mill.key, body: { lots: Array.from({ length: 9 }, (_, i) => ({ kind: 'roll', quantity: 10 + i })) } });
    lots = res.body.items;
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it("prints every lot's QR code, each decoding to its phone page URL", async () => {
    const res = await fetch(`${t.baseUrl}/allocations/${trade.allocationId}/labels.pdf`, { headers: { authorization: `Bearer ${trade.mill.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const decoded = await decodeLabels(pdf);
    expect(decoded).toEqual(lots.map((l) => `https://trace.cloudloom.test/id/${l.identifier}`));
    // The words are text in the file, Chinese beside English (the CJK font is installed here, as in CI).
    const text = await pdfText(pdf);
    expect(text).toContain('布卷 Fabric roll');
    expect(text).toContain('棉斜纹面料');
    expect(text).toContain(lots[0]!.identifier);
  }, 60_000);

  it('prints the same sheet for the brand, and nothing for anyone else', async () => {
    const brand = await fetch(`${t.baseUrl}/allocations/${trade.allocationId}/labels.pdf`, { headers: { authorization: `Bearer ${trade.brand.key}` } });
    expect(brand.status).toBe(200);
    expect(await decodeLabels(Buffer.from(await brand.arrayBuffer()))).toHaveLength(9);
    const outsider = await signup(t, { kind: 'factory', name: 'Label thief' });
    const refused = await fetch(`${t.baseUrl}/allocations/${trade.allocationId}/labels.pdf`, { headers: { authorization: `Bearer ${outsider.key}` } });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
  }, 60_000);
});
