import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { KIND_WORDS, type ProductWords, UNIT_WORDS } from './product';
import type { LotKind } from './identifier';

/** Debian's fonts-noto-cjk (CI installs it); a .ttc holds several faces, so the face is named. */
export const CJK_FONT = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' } as const;

export interface Label {
  readonly identifier: string;
  readonly url: string;
  readonly kind: LotKind;
  readonly product: ProductWords;
  readonly quantity: number;
  readonly unit: 'm' | 'pcs';
  readonly madeOn: string;
}

/** A4 in points, cut into 2 x 4 labels of about 105 x 74 mm (a common sticker sheet). */
const PAGE = { width: 595.28, height: 841.89 };
const COLUMNS = 2;
const ROWS = 4;
const QR_SIZE = 118;

const warned = new Set<string>();
/**
 * Whether Chinese can be printed. Without the font pdfkit would draw Chinese as empty boxes, so
 * the labels fall back to English only and the log says why, once per missing path.
 */
export function cjkFontAvailable(path: string = CJK_FONT.path, logger: Pick<Logger, 'warn'> = new Logger('labels')): boolean {
  const found = existsSync(path);
  if (!found && !warned.has(path)) {
    warned.add(path);
    logger.warn(`No CJK font at ${path} (Debian package fonts-noto-cjk): lot labels print English only until it is installed.`);
  }
  return found;
}

/** A printable sheet of QR labels: each QR code encodes the lot's phone page. */
export async function labelSheet(labels: readonly Label[], chinese = cjkFontAvailable()): Promise<Buffer> {
  const qrs = await Promise.all(labels.map((l) => QRCode.toBuffer(l.url, { errorCorrectionLevel: 'M', margin: 2, scale: 6, type: 'png' })));
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: 'cloudloom lot labels', Creator: 'cloudloom' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (chinese) doc.registerFont('label', CJK_FONT.path, CJK_FONT.family);
  const font = chinese ? 'label' : 'Helvetica';
  const cellW = PAGE.width / COLUMNS;
  const cellH = PAGE.height / ROWS;
  const both = (w: ProductWords): string => (chinese ? `${w.zh} ${w.en}` : w.en);
  if (labels.length === 0) doc.font(font).fontSize(12).text(chinese ? '此分配尚无批次。 No lots recorded on this allocation yet.' : 'No lots recorded on this allocation yet.', 40, 40);
  labels.forEach((label, i) => {
    const slot = i % (COLUMNS * ROWS);
    if (i > 0 && slot === 0) doc.addPage();
    const x = (slot % COLUMNS) * cellW;
    const y = Math.floor(slot / COLUMNS) * cellH;
    doc.save().lineWidth(0.5).strokeColor('#bbbbbb').dash(3, { space: 3 }).rect(x + 4, y + 4, cellW - 8, cellH - 8).stroke().restore();
    doc.image(qrs[i]!, x + 12, y + (cellH - QR_SIZE) / 2, { width: QR_SIZE, height: QR_SIZE });
    const tx = x + 12 + QR_SIZE + 8;
    const tw = cellW - (tx - x) - 12;
    doc.fillColor('#000000').font(font).fontSize(13).text(both(KIND_WORDS[label.kind]), tx, y + 22, { width: tw });
    doc.fontSize(9).text(chinese ? `${label.product.zh}\n${label.product.en}` : label.product.en, { width: tw });
    doc.moveDown(0.3).fontSize(12).text(`${label.quantity} ${chinese ? `${UNIT_WORDS[label.unit].zh} / ` : ''}${UNIT_WORDS[label.unit].en}`, { width: tw });
    doc.fontSize(9).text(`${chinese ? '生产日期 ' : ''}Made ${label.madeOn}`, { width: tw });
    doc.moveDown(0.3).font('Courier').fontSize(7.5).text(label.identifier, { width: tw });
  });
  doc.end();
  return done;
}
