import { Injectable, Logger } from '@nestjs/common';
import { cancelledPayload } from '@cloudloom/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DomainError, invalidFields, notFound } from '@cloudloom/platform';
import type { OrderEntity } from '@cloudloom/persistence';
import { type DataSource, QueryFailedError } from 'typeorm';
import { Clock } from '../core/clock';
import { isUuid } from '../core/ids';
import { lastChanges, offerAnswerers, orderHistory } from '../events/actors';
import { type DomainEvent, EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { releaseAllocation } from '../allocations/ledger';
import { JobQueue } from '../jobs/job-queue';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { assertOrderMove, moveAllocations, moveOrder } from '../lifecycle/lifecycle';
import { checkedKey, orderErrors, orderSizes, orderTerms, requestHash, sizesOf } from './order-terms';
import type { StyleOrderDto } from './style-order.dto';
import { checkStyle, storedStyle, styleErrors } from './style-terms';
import { OrdersRepository } from './orders.repository';
import type { CreateOrderDto } from './orders.dto';
import { forecastAllocations } from '../allocations/forecast';
import { type OrderHistoryView, type OrderPageView, orderView, type OrderView, withActors, withCounter } from './order.view';
import type { OrderFilter } from './order-search';
import { counterView, CountersRepository } from '../allocations/counters.repository';

const isUniqueViolation = (e: unknown): boolean => e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orders: OrdersRepository,
    private readonly allocations: AllocationsRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly events: EventsWriter,
  ) {}

  async create(principal: Principal, dto: CreateOrderDto, idempotencyKey?: string): Promise<OrderView> {
    const key = checkedKey(idempotencyKey);
    const [view] = await this.post(principal, [dto], key === undefined ? undefined : [key], '', undefined);
    return view!;
  }

  /**
   * Several orders at once (an ERP's batch), styles among them: every order is checked first and
   * a 400 names each bad field as `orders.<i>.<field>`, so nothing is stored unless all are. One
   * key covers the batch: order i is stored under "<key> <i>", which no single post can use (keys
   * have no spaces). Each style is matched as its own chain, every stage or none.
   */
  async createMany(principal: Principal, dtos: readonly (CreateOrderDto | StyleOrderDto)[], idempotencyKey?: string): Promise<{ items: OrderView[] }> {
    const key = checkedKey(idempotencyKey);
    const keys = key === undefined ? undefined : dtos.map((_, i) => `${key} ${i}`);
    return { items: await this.post(principal, dtos, keys, 'orders.', key) };
  }

  /**
   * A style order (DESIGN.md §8): checked as `POST /quotes` checks it, stored with its fabric side
   * (`storedStyle`) and matched by the worker as one chain, every stage or none.
   */
  async createStyle(principal: Principal, dto: StyleOrderDto, idempotencyKey?: string): Promise<OrderView> {
    const key = checkedKey(idempotencyKey);
    const [view] = await this.post(principal, [dto], key === undefined ? undefined : [key], '', undefined);
    return view!;
  }

  /** What every new order starts with: pending, its prices, its key. */
  private common(principal: Principal, dto: { readonly targetPrice?: number; readonly priceTolerancePct?: number }, key: string | null, hash: string) {
    return {
      id: randomUUID(),
      brandId: principal.organizationId,
      status: 'pending' as const,
      targetPrice: dto.targetPrice ?? null,
      // A target is the price agreed from the start; otherwise the first complete plan sets it.
      agreedPrice: dto.targetPrice ?? null,
      priceTolerancePct: dto.priceTolerancePct ?? 0,
      priceDeclined: false,
      approval: null,
      approvalExpiresAt: null,
      idempotencyKey: key,
      requestHash: hash,
      explanation: null,
    };
  }

  private async post(
    principal: Principal, dtos: readonly (CreateOrderDto | StyleOrderDto)[], keys: readonly string[] | undefined, prefix: string, batchKey: string | undefined,
  ): Promise<OrderView[]> {
    const today = this.clock.today();
    const errors = dtos.flatMap((dto, i) => {
      const at = prefix && `${prefix}${i}.`;
      return dto.kind === 'style' ? styleErrors(dto, today).map((e) => ({ ...e, field: `${at}${e.field}` })) : orderErrors(dto, today, at);
    });
    if (errors.length > 0) throw invalidFields(errors);
    const hashes = dtos.map(requestHash);
    if (keys) {
      const earlier = await this.findByIdempotencyKeys(principal, keys, hashes, batchKey);
      if (earlier) return earlier;
    }
    const orders = dtos.map((dto, i) => {
      if (dto.kind === 'style') {
        // A style (DESIGN.md §8), stored with its fabric side and matched by the worker as one chain.
        return this.orders.create({
          ...storedStyle(checkStyle(dto, today)),
          ...this.common(principal, dto, keys?.[i] ?? null, hashes[i]!),
          kind: 'style',
          sizes: dto.sizes === undefined ? null : sizesOf(dto.sizes),
        });
      }
      const terms = orderTerms(dto, today);
      return this.orders.create({
        ...terms,
        ...this.common(principal, dto, keys?.[i] ?? null, hashes[i]!),
        kind: terms.spec.kind,
        certifications: [...terms.certifications],
        sizes: orderSizes(dto),
        style: null,
      });
    });
    return this.store(principal, orders, keys, hashes, batchKey, today);
  }

  /** Stores new orders with their `order.posted` events and queues them for the matcher. */
  private async store(
    principal: Principal, orders: readonly OrderEntity[], keys: readonly string[] | undefined, hashes: readonly string[], batchKey: string | undefined, today: string,
  ): Promise<OrderView[]> {
    const posted = orders.map((o): DomainEvent => ({ type: 'order.posted', orderId: o.id, audience: [o.brandId], payload: { orderId: o.id, kind: o.kind, quantity: o.quantity, dueDate: o.dueDate } }));
    try {
      await this.orders.insert(orders, posted);
    } catch (error) {
      // Two retries with the same key raced; the first one's orders are the answer.
      if (keys && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKeys(principal, keys, hashes, batchKey);
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
    try {
      await this.jobs.matchPosted(orders, today);
    } catch (error) {
      this.logger.warn({ orders: orders.map((o) => o.id), err: error instanceof Error ? error.message : String(error) }, 'match enqueue failed; the sweep will retry');
    }
  }

  /**
   * The orders stored earlier under these keys, in key order; a key reused with another body is
   * refused, and so is a batch's key retried with a part of the batch (or more than it).
   */
  private async findByIdempotencyKeys(principal: Principal, keys: readonly string[], hashes: readonly string[], batchKey: string | undefined): Promise<OrderView[] | undefined> {
    const earlier = await this.orders.findByIdempotencyKeys(principal.organizationId, keys, batchKey);
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
    const order = isUuid(id) ? await this.orders.findVisible(principal, id) : null;
    if (!order) throw notFound('Order');
    return this.view(order);
  }

  /** Releases every reservation not yet in production; the order ends `cancelled`. */
  async cancel(principal: Principal, id: string): Promise<OrderView> {
    const order = await this.db.transaction(async (m) => {
      const locked = isUuid(id) ? await OrdersRepository.lockVisible(m, principal, id) : null;
      if (!locked) throw notFound('Order');
      assertOrderMove(locked.status, 'cancelled', 'cancelled');
      const allocations = await AllocationsRepository.ofOrder(m, locked.id, true);
      if (allocations.some((a) => a.status === 'in_production' || a.status === 'produced')) {
        throw new DomainError('INVALID_TRANSITION', 'Production has started on this order; it can no longer be cancelled');
      }
      const held = allocations.filter((a) => a.status === 'offered' || a.status === 'accepted');
      for (const a of held) await releaseAllocation(m, a.id);
      await moveAllocations(m, held, 'cancelled', 'cancelled');
      await moveOrder(m, locked, 'cancelled', 'cancelled');
      await this.events.append(m, [
        { type: 'order.cancelled', orderId: locked.id, audience: [locked.brandId, ...held.map((a) => a.factoryId)], payload: cancelledPayload(locked.id, held) },
      ]);
      return locked;
    });
    return this.view((await this.orders.findById(order.id))!);
  }

  /** The order's events, oldest first: a brand those it was told of, an operator all. Another brand's order: 404. */
  async history(principal: Principal, id: string): Promise<OrderHistoryView> {
    const order = isUuid(id) ? await this.orders.findVisible(principal, id) : null;
    if (!order) throw notFound('Order');
    return { items: await orderHistory(this.db.manager, order.id, principal.kind === 'operator' ? null : principal.organizationId) };
  }

  async search(principal: Principal, filter: OrderFilter): Promise<OrderPageView> {
    const { orders, total } = await this.orders.search(principal, filter);
    return { items: await this.views(orders), total, page: filter.page, pageSize: filter.pageSize };
  }

  /** Views of several orders with their allocations and forecasts, in two queries whatever their number. */
  private async views(orders: readonly OrderEntity[]): Promise<OrderView[]> {
    const allocations = await this.allocations.ofOrders(orders.map((o) => o.id));
    const forecasts = await forecastAllocations(this.db.manager, allocations, this.clock.today());
    const ids = orders.map((o) => o.id);
    const [changes, answerers, counters] = await Promise.all([
      lastChanges(this.db.manager, ids), offerAnswerers(this.db.manager, ids), CountersRepository.latestOf(this.db.manager, allocations.map((a) => a.id)),
    ]);
    const counterViews = new Map([...counters].map(([id, c]) => [id, counterView(c)]));
    return orders.map((o) => {
      const view = withActors(orderView(o, allocations.filter((a) => a.orderId === o.id), forecasts), changes.get(o.id), answerers);
      return { ...view, allocations: view.allocations.map((a) => withCounter(a, counterViews)) };
    });
  }

  private async view(order: OrderEntity): Promise<OrderView> {
    const [view] = await this.views([order]);
    return view!;
  }
}
