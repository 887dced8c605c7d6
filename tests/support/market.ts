import type { TestApp } from './harness';

/** Small helpers that speak the API, so tests read as the story they check. */
export async function signup(t: TestApp, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await t.request<{ organization: { id: string }; apiKey: string }>('POST', '/signup', { body });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.organization.id, key: res.body.apiKey };
}

export async function addLine(t: TestApp, key: string, body: Record<string, unknown>): Promise<{ id: string; dailyCapacity: number }> {
  const res = await t.request<{ id: string; dailyCapacity: number }>('POST', '/lines', { key, body });
  if (res.status !== 201) throw new Error(`line failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const airJetLine = { kind: 'weaving', name: 'Hall A air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012 };

export interface OrderBody {
  id: string;
  status: string;
  allocations: { id: string; lineId: string; factoryId: string; quantity: number; demand: number; status: string; startDate: string; endDate: string }[];
  explanation: { summary: string; reasons?: { code: string }[] } | null;
}

/** Waits (without sleeping blindly) until the order leaves the given statuses. */
export async function orderSettled(t: TestApp, key: string, id: string, waiting: readonly string[] = ['pending', 'matching']): Promise<OrderBody> {
  let last: OrderBody | undefined;
  await expect
    .poll(
      async () => {
        last = (await t.request<OrderBody>('GET', `/orders/${id}`, { key })).body;
        return waiting.includes(last.status);
      },
      { timeout: 15_000, interval: 50 },
    )
    .toBe(false);
  return last!;
}

/**
 * Books a share of each of a line's ledger days, straight in the ledger: the heatmap's tests need
 * loads of known sizes, which orders (split by the planner) would not give exactly.
 */
export async function bookShare(t: TestApp, lineId: string, share: number): Promise<void> {
  await t.sql(`UPDATE capacity_days SET reserved = floor(capacity * $2::float8) WHERE line_id = $1`, [lineId, share]);
}

/** Three mills in one city with known loads (a busy rapier mill, a half-booked sewing one, an idle air-jet one) and one without lines. */
export async function heatmapCity(t: TestApp, city: string): Promise<{ busy: string; sewing: string; idle: string; empty: string }> {
  const mill = async (name: string, line: Record<string, unknown> | undefined, share: number): Promise<string> => {
    const factory = await signup(t, { kind: 'factory', name: `${name} ${city}`, city, province: 'Zhejiang' });
    if (line) await bookShare(t, (await addLine(t, factory.key, line)).id, share);
    return factory.id;
  };
  return {
    busy: await mill('Rapier Mill', { ...airJetLine, name: 'Hall R rapiers', machineType: 'rapier', fibers: ['cotton', 'wool'] }, 0.9),
    sewing: await mill('Sewing Works', { kind: 'sewing', name: 'Line 1 shirts', operators: 20, categories: ['shirt'], fabricTypes: ['woven'], ratePerUnit: 0.9 }, 0.5),
    idle: await mill('Air-jet Mill', airJetLine, 0),
    empty: await mill('New Mill', undefined, 0),
  };
}
