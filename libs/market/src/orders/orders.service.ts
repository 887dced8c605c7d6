import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { type OrderSpec } from '@cloudloom/matching';
import { DomainError, type FieldError, invalid, invalidFields, notFound, type QueueBackend } from '@cloudloom/platform';
import { AllocationEntity, OrderEntity } from '@cloudloom/persistence';
import { type DataSource, In, QueryFailedError } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { type DomainEvent, EventsWriter, eventsParameter, insertEvents } from '../events/events.writer';
import { cancelledPayload } from '../events/event-shape';
import type { Principal } from '../identity/principal';
import { releaseAllocation } from '../matching/ledger';
import { matchPriority } from '../matching/priority';
import { assertOrderMove } from './lifecycle';
import type { CreateOrderDto } from './orders.dto';
import { forecastAllocations } from '../telemetry/forecast';
import { orderView, type OrderView } from './order.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string): boolean => UUID.test(id);

/** What field decorators cannot check: the kind's own spec, and dates against today. Fields are named under `prefix`. */
function orderErrors(dto: CreateOrderDto, today: string, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (field: string, message: string): void => void errors.push({ field: `${prefix}${field}`, message });
  const other = dto.kind === 'fabric' ? 'garment' : 'fabric';
  if (dto[other] !== undefined) at(other, `not allowed on a ${dto.kind} order`);
  const earliestStart = dto.earliestStart ?? addDays(today, 1);
  if (daysBetween(today, earliestStart) < 0) at('earliestStart', 'must not be in the past');
  if (daysBetween(earliestStart, dto.dueDate) < 0) at('dueDate', 'must be on or after earliestStart');
  if (daysBetween(today, dto.dueDate) > 366) at('dueDate', 'must be within a year');
  if (dto.minSplitQuantity !== undefined && dto.minSplitQuantity > dto.quantity) at('minSplitQuantity', 'must not exceed quantity');
  return errors;
}

/** The order's spec for the planner and its window, once `orderErrors` found nothing. */
function orderSpec(dto: CreateOrderDto, today: string): { spec: OrderSpec; earliestStart: string } {
  const spec: OrderSpec =
    dto.kind === 'fabric'
      ? { kind: 'fabric', fabric: { fiber: dto.fabric!.fiber, weave: dto.fabric!.weave, widthCm: dto.fabric!.widthCm, picksPerCm: dto.fabric!.picksPerCm, ...(dto.fabric!.gsm ? { gsm: dto.fabric!.gsm } : {}) } }
      : { kind: 'garment', garment: { category: dto.garment!.category, fabricType: dto.garment!.fabricType, samMinutes: dto.garment!.samMinutes } };
  return { spec, earliestStart: dto.earliestStart ?? addDays(today, 1) };
}

/** Checks an order as `POST /orders` and `POST /quotes` take it; a 400 naming every bad field. */
export function checkOrder(dto: CreateOrderDto, today: string): { spec: OrderSpec; earliestStart: string } {
  const errors = orderErrors(dto, today);
  if (errors.length > 0) throw invalidFields(errors);
  return orderSpec(dto, today);
}

/** The Idempotency-Key header, if sent, as stored keys are made of it: 1-200 visible ASCII characters. */
function checkedKey(key: string | undefined): string | undefined {
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('Idempotency-Key', 'must be 1-200 visible ASCII characters');
  return key;
}

/**
 * Orders and their `order.posted` events in one statement, from two JSON parameters: atomic
 * without a transaction, and one round trip for one order or a hundred.
 */
const INSERT_ORDERS = `WITH o AS (
     INSERT INTO orders (id, brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits, min_split_quantity, certifications,
                         target_price, idempotency_key, request_hash)
     SELECT x.id, x.brand_id, x.kind, x.status, x.spec, x.quantity, x.earliest_start, x.due_date, x.max_splits, x.min_split_quantity,
            x.certifications, x.target_price, x.idempotency_key, x.request_hash
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, brand_id uuid, kind text, status text, spec jsonb, quantity integer, earliest_start date,
          due_date date, max_splits integer, min_split_quantity integer, certifications text[], target_price numeric, idempotency_key text, request_hash text)
     RETURNING id, created_at, updated_at),
   e AS (${insertEvents('$2')})
   SELECT id, created_at AS "createdAt", updated_at AS "updatedAt" FROM o`;

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
    const key = checkedKey(idempotencyKey);
    const [view] = await this.post(principal, [dto], key === undefined ? undefined : [key], '');
    return view!;
  }

  /**
   * Several orders at once (an ERP's batch): every order is checked first and a 400 names each
   * bad field as `orders.<i>.<field>`, so nothing is stored unless all are. One key covers the
   * batch: order i is stored under "<key> <i>", which no single post can use (keys have no spaces).
   */
  async createMany(principal: Principal, dtos: readonly CreateOrderDto[], idempotencyKey?: string): Promise<{ items: OrderView[] }> {
    const key = checkedKey(idempotencyKey);
    const keys = key === undefined ? undefined : dtos.map((_, i) => `${key} ${i}`);
    return { items: await this.post(principal, dtos, keys, 'orders.') };
  }

  private async post(principal: Principal, dtos: readonly CreateOrderDto[], keys: readonly string[] | undefined, prefix: string): Promise<OrderView[]> {
    const today = this.clock.today();
    const errors = dtos.flatMap((dto, i) => orderErrors(dto, today, prefix && `${prefix}${i}.`));
    if (errors.length > 0) throw invalidFields(errors);
    const hashes = dtos.map(requestHash);
    if (keys) {
      const earlier = await this.findByIdempotencyKeys(principal, keys, hashes);
      if (earlier) return earlier;
    }
    const orders = dtos.map((dto, i) => {
      const { spec, earliestStart } = orderSpec(dto, today);
      return this.db.manager.create(OrderEntity, {
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
        idempotencyKey: keys?.[i] ?? null,
        requestHash: hashes[i]!,
        explanation: null,
      });
    });
    const rows = orders.map((o) => ({
      id: o.id, brand_id: o.brandId, kind: o.kind, status: o.status, spec: o.spec, quantity: o.quantity, earliest_start: o.earliestStart, due_date: o.dueDate,
      max_splits: o.maxSplits, min_split_quantity: o.minSplitQuantity, certifications: o.certifications, target_price: o.targetPrice,
      idempotency_key: o.idempotencyKey, request_hash: o.requestHash,
    }));
    const posted = orders.map((o): DomainEvent => ({ type: 'order.posted', orderId: o.id, audience: [o.brandId], payload: { orderId: o.id, kind: o.kind, quantity: o.quantity, dueDate: o.dueDate } }));
    try {
      const stamps = await this.db.query<{ id: string; createdAt: Date; updatedAt: Date }[]>(INSERT_ORDERS, [JSON.stringify(rows), eventsParameter(posted)]);
      const byId = new Map(stamps.map((s) => [s.id, s]));
      for (const o of orders) Object.assign(o, { createdAt: byId.get(o.id)!.createdAt, updatedAt: byId.get(o.id)!.updatedAt });
    } catch (error) {
      // Two retries with the same key raced; the first one's orders are the answer.
      if (keys && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKeys(principal, keys, hashes);
        if (earlier) return earlier;
      }
      throw error;
    }
    await this.enqueueMatch(orders, today);
    return orders.map((o) => orderView(o, []));
  }

  /**
   * After commit: a lost enqueue leaves the orders pending in the database, where the sweep finds
   * them. A bulk post is one job, so the queue's cost per order falls with the batch's size.
   */
  private async enqueueMatch(orders: readonly OrderEntity[], today: string): Promise<void> {
    const priority = Math.min(...orders.map((o) => matchPriority(today, o.dueDate)));
    try {
      await this.queues.enqueue(
        orders.length === 1 ? { name: 'match-order', data: { orderId: orders[0]!.id } } : { name: 'match-orders', data: { orderIds: orders.map((o) => o.id) } },
        { priority },
      );
    } catch (error) {
      this.logger.warn({ orders: orders.map((o) => o.id), err: error instanceof Error ? error.message : String(error) }, 'match enqueue failed; the sweep will retry');
    }
  }

  /** The orders stored earlier under these keys, in key order; a key reused with another body is refused. */
  private async findByIdempotencyKeys(principal: Principal, keys: readonly string[], hashes: readonly string[]): Promise<OrderView[] | undefined> {
    const earlier = await this.db.manager.findBy(OrderEntity, { brandId: principal.organizationId, idempotencyKey: In([...keys]) });
    if (earlier.length === 0) return undefined;
    const byKey = new Map(earlier.map((o) => [o.idempotencyKey, o]));
    const same = earlier.length === keys.length && keys.every((k, i) => byKey.get(k)?.requestHash === hashes[i]);
    if (!same) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was used for ${keys.length === 1 ? 'a different order' : 'different orders'}`, [
        { field: 'Idempotency-Key', message: 'already used with a different body' },
      ]);
    }
    return this.views(keys.map((k) => byKey.get(k)!));
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
        { type: 'order.cancelled', orderId: locked.id, audience: [locked.brandId, ...held.map((a) => a.factoryId)], payload: cancelledPayload(locked.id, held) },
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
    return { items: await this.views(orders) };
  }

  /** Views of several orders with their allocations and forecasts, in two queries whatever their number. */
  private async views(orders: readonly OrderEntity[]): Promise<OrderView[]> {
    const allocations = orders.length
      ? await this.db.manager.find(AllocationEntity, { where: { orderId: In(orders.map((o) => o.id)) }, order: { createdAt: 'ASC', id: 'ASC' } })
      : [];
    const forecasts = await forecastAllocations(this.db.manager, allocations, this.clock.today());
    return orders.map((o) => orderView(o, allocations.filter((a) => a.orderId === o.id), forecasts));
  }

  private async view(order: OrderEntity): Promise<OrderView> {
    const [view] = await this.views([order]);
    return view!;
  }
}
