import type { Lot, LotList } from '@cloudloom/contracts';
import { inDays, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';

export interface Trade {
  mill: { id: string; key: string };
  brand: { id: string; key: string };
  lineId: string;
  orderId: string;
  allocationId: string;
}

const fabricOrder = (quantity: number) => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, maxSplits: 1, earliestStart: inDays(0), dueDate: inDays(40) });
const garmentOrder = (quantity: number) => ({ kind: 'garment', garment: { category: 'jeans', fabricType: 'woven', samMinutes: 10 }, quantity, maxSplits: 1, earliestStart: inDays(0), dueDate: inDays(40) });
const sewingLine = { kind: 'sewing', name: 'Denim line', operators: 40, categories: ['jeans'], fabricTypes: ['woven'], moq: 10, ratePerUnit: 0.5 };

/** The factories this file signed up: an order may go to any of them (the matcher spreads load). */
const mills = new Map<string, { id: string; key: string }>();

/**
 * A brand's order matched whole to a factory's line and accepted: `fabric` on a weaving
 * line (rolls), `garment` on a sewing line (bundles, cartons). A new factory and line are added
 * unless given; the matcher may still choose an earlier one of this file's lines, whose
 * factory's key the trade then carries.
 */
export async function acceptedTrade(t: TestApp, kind: 'fabric' | 'garment', quantity: number, parties: Partial<Pick<Trade, 'mill' | 'brand' | 'lineId'>> = {}): Promise<Trade> {
  const tag = Math.random().toString(36).slice(2, 8);
  const mill = parties.mill ?? (await signup(t, { kind: 'factory', name: `${kind === 'fabric' ? 'Weaving' : 'Sewing'} mill ${tag}`, city: 'Suzhou' }));
  if (!parties.lineId) await addLine(t, mill.key, kind === 'fabric' ? { ...airJetLine, name: `Air-jets ${tag}` } : { ...sewingLine, name: `Denim ${tag}` });
  mills.set(mill.id, mill);
  const brand = parties.brand ?? (await signup(t, { kind: 'brand', name: `Brand ${tag}` }));
  const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: kind === 'fabric' ? fabricOrder(quantity) : garmentOrder(quantity) });
  if (posted.status !== 202) throw new Error(`order: ${posted.status} ${JSON.stringify(posted.body)}`);
  const deadline = Date.now() + 20_000;
  let order = posted.body;
  while (order.status !== 'proposed' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    order = (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
  }
  const allocation = order.allocations[0];
  const taker = allocation && mills.get(allocation.factoryId);
  if (order.status !== 'proposed' || !allocation || !taker || order.allocations.length !== 1) throw new Error(`not matched whole to one of this file's lines: ${JSON.stringify(order)}`);
  const accepted = await t.request('POST', `/offers/${allocation.id}/accept`, { key: taker.key });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { mill: taker, brand, lineId: allocation.lineId, orderId: order.id, allocationId: allocation.id };
}

export async function postLot(t: TestApp, trade: Pick<Trade, 'mill' | 'allocationId'>, body: Record<string, unknown>): Promise<Lot> {
  const res = await t.request<Lot>('POST', `/allocations/${trade.allocationId}/lots`, { key: trade.mill.key, body });
  if (res.status !== 201) throw new Error(`lot: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function lotsOf(t: TestApp, key: string, allocationId: string): Promise<LotList> {
  return (await t.request<LotList>('GET', `/allocations/${allocationId}/lots?limit=500`, { key })).body;
}

export async function producedOf(t: TestApp, allocationId: string): Promise<{ produced: number; status: string }> {
  const [row] = await t.sql<{ produced: number; status: string }>(`SELECT produced_quantity AS produced, status FROM allocations WHERE id = $1`, [allocationId]);
  return row!;
}

/** The path of the resolution route: the identifier's slash travels encoded. */
export const idPath = (identifier: string): string => `/id/${encodeURIComponent(identifier)}`;

/** Waits for a condition in a hook, where expect.poll is not allowed: checks every 50 ms, fails after `ms`. */
export async function until(what: string, condition: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
