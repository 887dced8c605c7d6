import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { type OrderSpec } from '@cloudloom/matching';
import { DomainError, type FieldError, invalid, notFound, type QueueBackend } from '@cloudloom/platform';
import { AllocationEntity, OrderEntity } from '@cloudloom/persistence';
import { type DataSource, In, QueryFailedError } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { type DomainEvent, EventsWriter, eventsParameter, insertEvents } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { releaseAllocation } from '../matching/ledger';
import { matchPriority } from '../matching/priority';
import { assertOrderMove } from './lifecycle';
import type { CreateOrderDto } from './orders.dto';
import { forecastAllocations } from '../telemetry/forecast';
import { orderView, type OrderView } from './order.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string): boolean => UUID.test(id);

/** Checks what field decorators cannot: the kind's own spec, and dates against today. */
export function checkOrder(dto: CreateOrderDto, today: string): { spec: OrderSpec; earliestStart: string } {
  const errors: FieldError[] = [];
  const other = dto.kind === 'fabric' ? 'garment' : 'fabric';
  if (dto[other] !== undefined) errors.push({ field: other, message: `not allowed on a ${dto.kind} order` });
  const earliestStart = dto.earliestStart ?? addDays(today, 1);
  if (daysBetween(today, earliestStart) < 0) errors.push({ field: 'earliestStart', message: 'must not be in the past' });
  if (daysBetween(earliestStart, dto.dueDate) < 0) errors.push({ field: 'dueDate', message: 'must be on or after earliestStart' });
  if (daysBetween(today, dto.dueDate) > 366) errors.push({ field: 'dueDate', message: 'must be within a year' });
  if (dto.minSplitQuantity !== undefined && dto.minSplitQuantity > dto.quantity) {
    errors.push({ field: 'minSplitQuantity', message: 'must not exceed quantity' });
  }
  if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
  const spec: OrderSpec =
    dto.kind === 'fabric'
      ? { kind: 'fabric', fabric: { fiber: dto.fabric!.fiber, weave: dto.fabric!.weave, widthCm: dto.fabric!.widthCm, picksPerCm: dto.fabric!.picksPerCm, ...(dto.fabric!.gsm ? { gsm: dto.fabric!.gsm } : {}) } }
      : { kind: 'garment', garment: { category: dto.garment!.category, fabricType: dto.garment!.fabricType, samMinutes: dto.garment!.samMinutes } };
  return { spec, earliestStart };
}

function requestHash(dto: CreateOrderDto): string {
  return createHash('sha256').update(JSON.stringify(dto)).digest('hex');
}

const isUniqueViolation = (e: unknown): boolean => e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    private readonly clock: Clock,
    private readonly events: EventsWriter,
  ) {}

  async create(principal: Principal, dto: CreateOrderDto, idempotencyKey?: string): Promise<OrderView> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1-200 visible ASCII characters');
    }
    const today = this.clock.today();
    const { spec, earliestStart } = checkOrder(dto, today);
    const hash = requestHash(dto);
    if (idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(principal, idempotencyKey, hash);
      if (earlier) return earlier;
    }
    const order = this.db.manager.create(OrderEntity, {
      id: randomUUID(),
      brandId: principal.organizationId,
      kind: spec.kind,
      status: 'pending',
      spec,
      quantity: dto.quantity,
      earliestStart,
      dueDate: dto.dueDate,
      maxSplits: dto.maxSplits ?? (spec.kind === 'fabric' ? 3 : 2),
      minSplitQuantity: dto.minSplitQuantity ?? null,
      certifications: dto.certifications ?? [],
      targetPrice: dto.targetPrice ?? null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      explanation: null,
    });
    const posted: DomainEvent = { type: 'order.posted', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id, kind: order.kind, quantity: order.quantity, dueDate: order.dueDate } };
    try {
      // The order and its event in one statement: atomic without a transaction, one round trip.
      const [stamps] = await this.db.query<{ createdAt: Date; updatedAt: Date }[]>(
        `WITH o AS (
           INSERT INTO orders (id, brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits, min_split_quantity, certifications,
                               target_price, idempotency_key, request_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING created_at, updated_at),
         e AS (${insertEvents('$15')})
         SELECT created_at AS "createdAt", updated_at AS "updatedAt" FROM o`,
        [
          order.id, order.brandId, order.kind, order.status, JSON.stringify(order.spec), order.quantity, order.earliestStart, order.dueDate, order.maxSplits,
          order.minSplitQuantity, order.certifications, order.targetPrice, order.idempotencyKey, order.requestHash, eventsParameter([posted]),
        ],
      );
      Object.assign(order, stamps);
    } catch (error) {
      // Two retries with the same key raced; the first one's order is the answer.
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKey(principal, idempotencyKey, hash);
        if (earlier) return earlier;
      }
      throw error;
    }
    await this.enqueueMatch(order, today);
    return orderView(order, []);
  }

  /** After commit: a lost enqueue leaves the order pending in the database, where the sweep finds it. */
  private async enqueueMatch(order: OrderEntity, today: string): Promise<void> {
    try {
      await this.queues.enqueue({ name: 'match-order', data: { orderId: order.id } }, { priority: matchPriority(today, order.dueDate) });
    } catch (error) {
      this.logger.warn({ orderId: order.id, err: error instanceof Error ? error.message : String(error) }, 'match enqueue failed; the sweep will retry');
    }
  }

  private async findByIdempotencyKey(principal: Principal, key: string, hash: string): Promise<OrderView | undefined> {
    const earlier = await this.db.manager.findOneBy(OrderEntity, { brandId: principal.organizationId, idempotencyKey: key });
    if (!earlier) return undefined;
    if (earlier.requestHash !== hash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different order', [{ field: 'Idempotency-Key', message: 'already used with a different body' }]);
    }
    return this.view(earlier);
  }

  async get(principal: Principal, id: string): Promise<OrderView> {
    const order = isUuid(id) ? await this.db.manager.findOneBy(OrderEntity, principal.kind === 'operator' ? { id } : { id, brandId: principal.organizationId }) : null;
    if (!order) throw notFound('Order');
    return this.view(order);
  }

  /** Releases every reservation not yet in production; the order ends `cancelled`. */
  async cancel(principal: Principal, id: string): Promise<OrderView> {
    const order = await this.db.transaction(async (m) => {
      const locked = isUuid(id)
        ? await m.findOne(OrderEntity, { where: principal.kind === 'operator' ? { id } : { id, brandId: principal.organizationId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!locked) throw notFound('Order');
      assertOrderMove(locked.status, 'cancelled', 'cancelled');
      const allocations = await m.find(AllocationEntity, { where: { orderId: locked.id }, lock: { mode: 'pessimistic_write' } });
      if (allocations.some((a) => a.status === 'in_production' || a.status === 'produced')) {
        throw new DomainError('INVALID_TRANSITION', 'Production has started on this order; it can no longer be cancelled');
      }
      const held = allocations.filter((a) => a.status === 'offered' || a.status === 'accepted');
      for (const a of held) await releaseAllocation(m, a.id);
      if (held.length > 0) await m.update(AllocationEntity, { id: In(held.map((a) => a.id)) }, { status: 'cancelled', expiresAt: null });
      await m.update(OrderEntity, { id: locked.id }, { status: 'cancelled' });
      await this.events.append(m, [
        { type: 'order.cancelled', orderId: locked.id, audience: [locked.brandId, ...held.map((a) => a.factoryId)], payload: { orderId: locked.id, released: held.map((a) => a.id) } },
      ]);
      return locked;
    });
    return this.view(await this.db.manager.findOneByOrFail(OrderEntity, { id: order.id }));
  }

  async list(principal: Principal, limit = 50): Promise<{ items: OrderView[] }> {
    const orders = await this.db.manager.find(OrderEntity, {
      where: principal.kind === 'operator' ? {} : { brandId: principal.organizationId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    const allocations = orders.length
      ? await this.db.manager.find(AllocationEntity, { where: { orderId: In(orders.map((o) => o.id)) }, order: { createdAt: 'ASC', id: 'ASC' } })
      : [];
    const forecasts = await forecastAllocations(this.db.manager, allocations, this.clock.today());
    return { items: orders.map((o) => orderView(o, allocations.filter((a) => a.orderId === o.id), forecasts)) };
  }

  private async view(order: OrderEntity): Promise<OrderView> {
    const allocations = await this.db.manager.find(AllocationEntity, { where: { orderId: order.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return orderView(order, allocations, await forecastAllocations(this.db.manager, allocations, this.clock.today()));
  }
}
