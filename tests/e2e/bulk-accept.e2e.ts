import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/harness';
import { auditLedger } from '../support/ledger';
import { addLine, airJetLine, signup } from '../support/market';
import { fabricOrder, garmentOrder, settledOrder, sewingLine } from '../security/support/world';

interface Outcome {
  id: string;
  outcome: 'accepted' | 'refused';
  offer?: { id: string; status: string };
  reason?: string;
  detail?: string;
}
interface BulkAnswer {
  items: Outcome[];
  accepted: number;
  refused: number;
}

/** A factory accepts several offers of its queue at once, each through the single accept's rule and locks. */
describe('bulk accept (POST /offers/accept)', () => {
  let t: TestApp;
  let mill: { id: string; key: string };
  let sewer: { id: string; key: string };
  let brand: { id: string; key: string };

  beforeAll(async () => {
    // A quick sweep: offers past their time are expired by it within a fraction of a second.
    t = await startTestApp({ SWEEP_EVERY_MS: '200', RATE_LIMIT_PER_KEY: '100000' });
    mill = await signup(t, { kind: 'factory', name: 'Keqiao Weaving No. 3', city: 'Shaoxing' });
    await addLine(t, mill.key, airJetLine);
    sewer = await signup(t, { kind: 'factory', name: 'Panyu Garments', city: 'Guangzhou' });
    await addLine(t, sewer.key, sewingLine);
    brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
  }, 60_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  /** A fresh offer: fabric goes to the mill, a garment to the sewing factory. */
  const offer = async (body = fabricOrder(300)): Promise<string> => {
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body });
    const settled = await settledOrder(t, brand.key, posted.body.id);
    const open = settled.allocations.find((a) => a.status === 'offered');
    if (!open) throw new Error(`no offer: ${JSON.stringify(settled)}`);
    return open.id;
  };
  const statusOf = async (id: string): Promise<string> => (await t.sql<{ status: string }>('SELECT status FROM allocations WHERE id = $1', [id]))[0]!.status;
  const acceptAll = (ids: string[]): Promise<{ status: number; body: BulkAnswer }> => t.request<BulkAnswer>('POST', '/offers/accept', { key: mill.key, body: { ids } });

  it('accepts the open offers and answers each one it could not take, in the order sent', async () => {
    const [a, b, c, taken, late] = [await offer(), await offer(), await offer(), await offer(), await offer()];
    const theirs = await offer(garmentOrder(200));
    const unknown = randomUUID();
    expect((await t.request('POST', `/offers/${taken}/accept`, { key: mill.key })).status).toBe(200);
    // Past its time: whether the sweep has expired it yet or not, it is not taken.
    await t.sql(`UPDATE allocations SET expires_at = now() - interval '1 second' WHERE id = $1`, [late]);

    const res = await acceptAll([a, taken, theirs, b, late, unknown, c]);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.id, i.outcome, i.reason])).toEqual([
      [a, 'accepted', undefined],
      [taken, 'refused', 'taken'],
      [theirs, 'refused', 'not_found'],
      [b, 'accepted', undefined],
      [late, 'refused', 'expired'],
      [unknown, 'refused', 'not_found'],
      [c, 'accepted', undefined],
    ]);
    expect([res.body.accepted, res.body.refused]).toEqual([3, 4]);
    // Another factory's offer reads exactly as an unknown one: nothing tells it exists.
    const byId = new Map(res.body.items.map((i) => [i.id, i]));
    expect(byId.get(theirs)!.detail).toBe(byId.get(unknown)!.detail);
    expect(byId.get(a)!.offer).toMatchObject({ id: a, status: 'accepted' });
    expect(byId.get(taken)!.detail).toBe('This offer is accepted; it cannot be accepted');
    // What the answer says is what the database holds; the sewing factory's offer is untouched.
    expect(await Promise.all([a, b, c, taken, theirs].map(statusOf))).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'offered']);
    await expect.poll(() => statusOf(late)).toBe('expired');
    // The single accept answers the same offers as before.
    expect((await t.request('POST', `/offers/${theirs}/accept`, { key: mill.key })).status).toBe(404);
    expect((await t.request('POST', `/offers/${late}/accept`, { key: mill.key })).status).toBe(409);
  }, 60_000);

  it('races a reject of the same offer: exactly one of them wins, and each answer says which', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, contested, c] = [await offer(), await offer(), await offer()];
      const [bulk, reject] = await Promise.all([
        acceptAll([a, contested, c]),
        t.request('POST', `/offers/${contested}/reject`, { key: mill.key, body: { reasonCode: 'NO_CAPACITY' } }),
      ]);
      expect(bulk.status).toBe(200);
      const answer = bulk.body.items.find((i) => i.id === contested)!;
      const final = await statusOf(contested);
      if (reject.status === 200) {
        expect(answer).toMatchObject({ outcome: 'refused', reason: 'rejected' });
        expect(final).toBe('rejected');
      } else {
        expect(reject.status).toBe(409);
        expect(answer).toMatchObject({ outcome: 'accepted' });
        expect(final).toBe('accepted');
      }
      expect([await statusOf(a), await statusOf(c)]).toEqual(['accepted', 'accepted']);
    }
    const audit = await auditLedger(t);
    expect([audit.overReserved, audit.ledgerMismatches, audit.allocationMismatches, audit.wrongTotals]).toEqual([0, 0, 0, 0]);
  }, 120_000);

  it('races the expiry of an offer running out: accepted before it, or refused as expired and expired by the sweep', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, running] = [await offer(), await offer()];
      await t.sql(`UPDATE allocations SET expires_at = now() + interval '150 milliseconds' WHERE id = $1`, [running]);
      const res = await acceptAll([running, a]);
      expect(res.status).toBe(200);
      const answer = res.body.items[0]!;
      if (answer.outcome === 'accepted') {
        expect(await statusOf(running)).toBe('accepted');
        // Accepted work no longer runs out: the sweep leaves it alone.
        expect((await t.sql<{ expires_at: Date | null }>('SELECT expires_at FROM allocations WHERE id = $1', [running]))[0]!.expires_at).toBeNull();
      } else {
        expect(answer.reason).toBe('expired');
        await expect.poll(() => statusOf(running)).toBe('expired');
      }
      expect(res.body.items[1]).toMatchObject({ id: a, outcome: 'accepted' });
    }
    const audit = await auditLedger(t);
    expect([audit.overReserved, audit.ledgerMismatches, audit.allocationMismatches, audit.wrongTotals]).toEqual([0, 0, 0, 0]);
  }, 120_000);

  it('refuses a bad list with 400 naming ids; to a brand the route is not there (404), as any factory route', async () => {
    const id = randomUUID();
    for (const body of [{}, { ids: [] }, { ids: ['loom-3'] }, { ids: [id, id] }, { ids: Array.from({ length: 101 }, () => randomUUID()) }, { ids: id }]) {
      const res = await t.request<{ errors: { field: string; message: string }[] }>('POST', '/offers/accept', { key: mill.key, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toContain('ids');
      expect(JSON.stringify(res.body)).not.toMatch(/stack|SELECT|at \w+ \(/);
    }
    const many = await t.request<{ errors: { message: string }[] }>('POST', '/offers/accept', { key: mill.key, body: { ids: [id, id] } });
    expect(many.body.errors.map((e) => e.message)).toContain('ids must name each offer once');
    expect((await t.request('POST', '/offers/accept', { key: brand.key, body: { ids: [id] } })).status).toBe(404);
  });
});
