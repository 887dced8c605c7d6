import type { Principal } from '../identity/principal';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture';
import { OffersService } from './offers.service';

/** OffersService on a real PostgreSQL, without HTTP: accept, reject and expiry, and what each writes and queues. */
describe('OffersService', () => {
  let f: ServiceFixture;
  let offers: OffersService;
  let brand: Principal;
  let factory: Principal;
  let line: string;

  beforeAll(async () => {
    f = await serviceFixture();
    offers = f.module.get(OffersService);
    brand = await f.organization('brand');
    factory = await f.organization('factory');
    line = await f.line(factory, 1_000);
  });
  afterAll(() => f.close());

  const reservedToday = async (): Promise<number> =>
    (await f.sql<{ reserved: number }>(`SELECT reserved::int FROM capacity_days WHERE line_id = $1 AND day = $2`, [line, f.today]))[0]!.reserved;
  const statusOf = async (table: 'orders' | 'allocations', id: string): Promise<string> => (await f.sql<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, [id]))[0]!.status;

  it('accepts an offer covering the order: the allocation accepted, the order confirmed, both events written', async () => {
    const orderId = await f.order(brand);
    const offerId = await f.offer(orderId, factory, line);
    const view = await offers.accept(factory, offerId);
    expect(view.status).toBe('accepted');
    expect(await statusOf('orders', orderId)).toBe('confirmed');
    expect((await f.sql<{ type: string }>(`SELECT type FROM events WHERE order_id = $1 ORDER BY id`, [orderId])).map((e) => e.type)).toEqual(['offer.accepted', 'order.confirmed']);
    await expect(offers.accept(factory, offerId)).rejects.toMatchObject({ status: 409 });
  });

  it("answers 404 to another factory's offer", async () => {
    const offerId = await f.offer(await f.order(brand), factory, line);
    await expect(offers.accept(await f.organization('factory'), offerId)).rejects.toMatchObject({ status: 404 });
    expect(await statusOf('allocations', offerId)).toBe('offered');
  });

  it('rejects an offer: its cells given back, the order pending again and queued for a match without that line', async () => {
    const before = await reservedToday();
    const orderId = await f.order(brand);
    const offerId = await f.offer(orderId, factory, line, { units: 30 });
    expect(await reservedToday()).toBe(before + 30);
    await offers.reject(factory, offerId, { code: 'NO_CAPACITY', note: 'looms booked' });
    expect(await reservedToday()).toBe(before);
    expect(await statusOf('allocations', offerId)).toBe('rejected');
    expect(await statusOf('orders', orderId)).toBe('pending');
    expect((await f.jobs('matching')).map((j) => j.id)).toContain(`match.${orderId}`);
  });

  it('expires an offer only once past its time', async () => {
    const open = await f.offer(await f.order(brand), factory, line, { expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await offers.expire(open)).toBe(false);
    expect(await statusOf('allocations', open)).toBe('offered');

    const orderId = await f.order(brand);
    const late = await f.offer(orderId, factory, line, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await offers.expire(late)).toBe(true);
    expect(await statusOf('allocations', late)).toBe('expired');
    expect(await statusOf('orders', orderId)).toBe('pending');
    expect(await offers.expire(late)).toBe(false);
  });
});
