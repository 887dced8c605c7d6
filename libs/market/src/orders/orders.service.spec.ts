import { DomainError } from '@cloudloom/platform';
import { addDays } from '../core/clock';
import type { Principal } from '../identity/principal';
import { matchPriority } from '../jobs/job-queue';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture';
import type { CreateOrderDto } from './orders.dto';
import { OrdersService } from './orders.service';

/** OrdersService on a real PostgreSQL, without HTTP: what a post stores and queues, retries, cancellation. */
describe('OrdersService', () => {
  let f: ServiceFixture;
  let orders: OrdersService;
  let brand: Principal;

  beforeAll(async () => {
    f = await serviceFixture();
    orders = f.module.get(OrdersService);
    brand = await f.organization('brand');
  });
  afterAll(() => f.close());

  const dto = (dueInDays: number, quantity = 500): CreateOrderDto =>
    ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: addDays(f.today, dueInDays) });

  it('stores a post pending with its defaults and its order.posted event, and queues its match ranked by due date', async () => {
    const view = await orders.create(brand, dto(12));
    const [row] = await f.sql<{ status: string; max_splits: number; earliest_start: string }>(
      `SELECT status, max_splits, to_char(earliest_start, 'YYYY-MM-DD') AS earliest_start FROM orders WHERE id = $1`, [view.id],
    );
    expect(row).toEqual({ status: 'pending', max_splits: 3, earliest_start: addDays(f.today, 1) });
    expect(await f.sql(`SELECT type, payload->>'quantity' AS quantity FROM events WHERE order_id = $1`, [view.id])).toEqual([{ type: 'order.posted', quantity: '500' }]);
    const job = (await f.jobs('matching')).find((j) => j.id === `match.${view.id}`);
    expect(job).toMatchObject({ name: 'match-order', priority: matchPriority(f.today, addDays(f.today, 12)) });
  });

  it('queues a bulk post as one match-orders job ranked by its soonest due order', async () => {
    const { items } = await orders.createMany(brand, [dto(30), dto(5), dto(60)]);
    expect(items.map((o) => o.status)).toEqual(['pending', 'pending', 'pending']);
    const job = (await f.jobs('matching')).find((j) => j.id === `match-bulk.${items[0]!.id}`);
    expect(job).toMatchObject({ name: 'match-orders', priority: matchPriority(f.today, addDays(f.today, 5)) });
  });

  it('answers a retry with the same key with the first order, and refuses the key with another body', async () => {
    const first = await orders.create(brand, dto(20), 'erp-4711');
    expect((await orders.create(brand, dto(20), 'erp-4711')).id).toBe(first.id);
    await expect(orders.create(brand, dto(21), 'erp-4711')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await f.sql(`SELECT id FROM orders WHERE idempotency_key = 'erp-4711'`)).toHaveLength(1);
  });

  it("answers 404 for another brand's order and for an id that is no uuid", async () => {
    const mine = await orders.create(brand, dto(15));
    const other = await f.organization('brand');
    await expect(orders.get(other, mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(orders.get(brand, 'not-a-uuid')).rejects.toBeInstanceOf(DomainError);
  });

  it('cancels an offered order: its cells are given back, its offer cancelled, brand and factory told', async () => {
    const factory = await f.organization('factory');
    const line = await f.line(factory);
    const orderId = await f.order(brand);
    const offerId = await f.offer(orderId, factory, line, { units: 40 });
    expect(await f.sql(`SELECT reserved::int FROM capacity_days WHERE line_id = $1 AND day = $2`, [line, f.today])).toEqual([{ reserved: 40 }]);

    const view = await orders.cancel(brand, orderId);
    expect(view.status).toBe('cancelled');
    expect(await f.sql(`SELECT reserved::int FROM capacity_days WHERE line_id = $1 AND day = $2`, [line, f.today])).toEqual([{ reserved: 0 }]);
    expect(await f.sql(`SELECT status FROM allocations WHERE id = $1`, [offerId])).toEqual([{ status: 'cancelled' }]);
    const [event] = await f.sql<{ audience: string[] }>(`SELECT audience FROM events WHERE order_id = $1 AND type = 'order.cancelled'`, [orderId]);
    expect(new Set(event!.audience)).toEqual(new Set([brand.organizationId, factory.organizationId]));
    await expect(orders.cancel(brand, orderId)).rejects.toMatchObject({ status: 409 });
  });
});
