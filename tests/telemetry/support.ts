import type { TestApp } from '../support/harness';

export interface ReadingBody {
  machineId: string;
  at: string;
  state: 'running' | 'idle' | 'down';
  picks?: number;
}

export interface MachineBody {
  id: string;
  externalId: string;
  state: string | null;
  stateAt: string | null;
  downSince: string | null;
}

export const minutesAgo = (minutes: number, from = Date.now()): string => new Date(from - minutes * 60_000).toISOString();

export async function registerMachines(t: TestApp, key: string, lineId: string, externalIds: readonly string[]): Promise<MachineBody[]> {
  const res = await t.request<{ items: MachineBody[] }>('POST', `/lines/${lineId}/machines`, { key, body: { machines: externalIds.map((externalId) => ({ externalId })) } });
  if (res.status !== 201) throw new Error(`machines: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export async function sendReadings(t: TestApp, key: string, readings: readonly ReadingBody[]): Promise<void> {
  const res = await t.request('POST', '/telemetry', { key, body: { readings } });
  if (res.status !== 202) throw new Error(`telemetry: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The worker has written every batch the API took (the table is the queue's truth). */
export async function telemetryDrained(t: TestApp): Promise<void> {
  await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_batches`))[0]!.n, { timeout: 15_000, interval: 50 }).toBe(0);
}

export async function capacityOn(t: TestApp, lineId: string, day: string): Promise<number> {
  const [row] = await t.sql<{ capacity: string }>(`SELECT capacity::text FROM capacity_days WHERE line_id = $1 AND day = $2::date`, [lineId, day]);
  return Number(row!.capacity);
}

/** A loom line in real units; daily capacity = machines x rpm x 60 x 22 h x 0.85. */
export const loomLine = (fibers: string[], machines: number, extra: Record<string, unknown> = {}) => ({
  kind: 'weaving', name: `${fibers[0]} hall`, machineType: 'rapier', machines, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.02, fibers, ...extra,
});
export const dailyPicks = (machines: number): number => Math.floor(machines * 500 * 60 * 22 * 0.85);
