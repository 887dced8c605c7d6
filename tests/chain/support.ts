import { auditLedger } from '../support/ledger';
import { inDays, type TestApp } from '../support/harness';

/** A dye house's range: dyeing only, 6,000 m a day, batches from 500 m. */
export const dyeRange = { kind: 'finishing', name: 'Dye range 1', processes: ['dyeing'], metersPerDay: 6000, minBatchM: 500, maxWidthCm: 200, ratePerUnit: 1.8 };

/** A sewing factory's line of 30 operators for one woven category. */
export const sewingLine = (category = 'dress'): Record<string, unknown> => ({ kind: 'sewing', name: 'Line 1', operators: 30, categories: [category], fabricTypes: ['woven'], moq: 50, ratePerUnit: 0.6 });

/** A style the chain tests post: 300 dyed cotton dresses, due in 40 days, with what a test changes. */
export const styleOrder = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'style',
  garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 },
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 },
  fabricPerPieceM: 2,
  finishing: { process: 'dyeing' },
  quantity: 300,
  dueDate: inDays(40),
  ...over,
});

/** A style order's allocation as `GET /orders/:id` shows it. */
export interface ChainAllocation {
  id: string;
  factoryId: string;
  lineId: string;
  quantity: number;
  producedQuantity: number;
  status: string;
  startDate: string;
  endDate: string;
  stage?: string;
}

export interface ChainStage {
  kind: string;
  status: string;
  startDate: string | null;
  endDate: string | null;
  allocations: ChainAllocation[];
}

export interface StyleOrderView {
  id: string;
  status: string;
  allocations: ChainAllocation[];
  stages: ChainStage[];
  explanation: { summary: string; plannedAt?: string; reasons?: { code: string }[]; failedStage?: { kind: string; inputReadyDate: string } };
}

/** An `order.stage_moved` event as stored. */
export interface StageMoved {
  audience: string[];
  createdAt: string;
  payload: { stage: string; after: string; cause: string; causes: string[]; forecast: { plannedEnd: string; forecastEnd: string } | null; reason: string; from: { startDate: string; endDate: string } | null; to: { startDate: string; endDate: string }; released: string[] };
}

/** A style whose re-plan onto a dearer line goes ahead without asking the brand (the price rule has its own tests). */
export const replannedStyle = (over: Record<string, unknown> = {}): Record<string, unknown> => styleOrder({ priceTolerancePct: 500, ...over });

export async function order(t: TestApp, key: string, id: string): Promise<StyleOrderView> {
  return (await t.request<StyleOrderView>('GET', `/orders/${id}`, { key })).body;
}

/** Waits until the order is placed in full again (proposed or confirmed) with no stage short, and `also` holds. */
export async function placed(t: TestApp, key: string, id: string, also: (o: StyleOrderView) => boolean = () => true): Promise<StyleOrderView> {
  let last: StyleOrderView | undefined;
  await expect.poll(async () => {
    last = await order(t, key, id);
    return (last.status === 'proposed' || last.status === 'confirmed') && last.stages.every((s) => s.status !== 'short' && s.status !== 'unplanned') && also(last);
  }, { timeout: 20_000, interval: 50 }).toBe(true);
  return last!;
}

export const stage = (o: StyleOrderView, kind: string): ChainStage => o.stages.find((s) => s.kind === kind)!;

export async function stageMoves(t: TestApp, orderId: string): Promise<StageMoved[]> {
  return t.sql<StageMoved>(`SELECT audience::text[] AS audience, created_at AS "createdAt", payload FROM events WHERE order_id = $1 AND type = 'order.stage_moved' ORDER BY id`, [orderId]);
}

/** The books balance: nothing over-reserved, the ledger is what the allocations hold. */
export async function auditClean(t: TestApp): Promise<void> {
  const audit = await auditLedger(t);
  expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches, allocationMismatches: audit.allocationMismatches, wrongTotals: audit.wrongTotals })
    .toEqual({ overReserved: 0, ledgerMismatches: 0, allocationMismatches: 0, wrongTotals: 0 });
}
