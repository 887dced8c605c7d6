import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, invalid, invalidTransition, notFound } from '@cloudloom/platform';
import type { AllocationEntity, OrderEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { type CounterRow, counterView, CountersRepository } from '../allocations/counters.repository';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { relayAllocation } from '../allocations/ledger';
import { Clock } from '../core/clock';
import { isUuid } from '../core/ids';
import { type DomainEvent, EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { ABANDONED_ORDER, LIVE_ALLOCATION } from '../lifecycle/lifecycle';
import { allocationSizes, allocationView, type AllocationView, withCounter } from '../orders/order.view';
import { OrdersRepository } from '../orders/orders.repository';
import { agreedAfterCounter, type CounterTerms, counterVerdict, priceWithCounter } from '../planning/plan-request';
import { OffersService } from './offers.service';

/** What a factory sends: a price (CNY, its whole allocation) and/or a later end date, and a note. */
export interface CounterRequest {
  readonly price?: number;
  readonly endDate?: string;
  readonly note?: string;
}

/**
 * Counteroffers (DESIGN.md §9, docs/terms.md). A factory answers its offer with terms of its
 * own; the brand accepts or declines while the offer is open (its expiry still applies, and
 * takes an unanswered counter with it); a counter within the brand's standing tolerance and
 * within the agreed price plus the order's tolerance is accepted at once without the brand.
 * Accepting a later end date lays the allocation's work again on its line up to that date under
 * the matcher's lock order (order, then cells by day), or is refused when the line has not the
 * free capacity any more. Every answer takes the order's lock first, as every writer of an order does.
 */
@Injectable()
export class CountersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly offers: OffersService,
    private readonly events: EventsWriter,
    private readonly clock: Clock,
  ) {}

  async counter(principal: Principal, allocationId: string, request: CounterRequest): Promise<AllocationView> {
    return this.db.transaction(async (m) => {
      const { order, allocation } = await this.offers.lockOffer(m, principal, allocationId);
      this.assertOpen(order, allocation, 'countered');
      if (await CountersRepository.open(m, allocation.id)) throw new DomainError('CONFLICT', 'This offer already has a counter waiting for the brand; it answers before the offer expires');
      this.check(order, allocation, request);
      const endDate = request.endDate ?? null;
      // The line must be able to finish by the new date now; the brand's acceptance checks again.
      if (endDate !== null) await this.fits(m, allocation, endDate, true);
      const counter = await CountersRepository.insert(m, {
        allocationId: allocation.id, orderId: order.id, factoryId: allocation.factoryId,
        price: request.price ?? null, endDate, note: request.note ?? null, offerPrice: allocation.price, offerEndDate: allocation.endDate,
      });
      const events: DomainEvent[] = [{
        type: 'offer.countered', orderId: order.id, audience: [order.brandId, allocation.factoryId],
        payload: {
          allocationId: allocation.id, orderId: order.id, counterId: counter.id, factoryId: allocation.factoryId, price: counter.price, endDate: counter.endDate,
          note: counter.note, offerPrice: counter.offerPrice, offerEndDate: counter.offerEndDate, expiresAt: allocation.expiresAt?.toISOString() ?? null,
        },
      }];
      const [standing] = await m.query<{ pricePct: number; days: number }[]>(
        `SELECT counter_tolerance_pct::float8 AS "pricePct", counter_tolerance_days AS days FROM organizations WHERE id = $1`, [order.brandId],
      );
      const terms = await this.termsOf(m, order, allocation, counter);
      if (standing && counterVerdict(order, terms, standing) === 'accept') return this.apply(m, order, allocation, counter, terms, 'tolerance', events);
      await this.events.append(m, events);
      return withCounter(allocationView(allocation), new Map([[allocation.id, counterView(counter)]]));
    });
  }

  /** The brand takes the counter's terms: the allocation is accepted at them. */
  async accept(principal: Principal, allocationId: string): Promise<AllocationView> {
    return this.db.transaction(async (m) => {
      const { order, allocation, counter } = await this.lockCountered(m, principal, allocationId, 'accepted');
      return this.apply(m, order, allocation, counter, await this.termsOf(m, order, allocation, counter), 'brand', []);
    });
  }

  /** The brand keeps the offer's own terms: the factory may still accept or reject it until it expires. */
  async decline(principal: Principal, allocationId: string): Promise<AllocationView> {
    return this.db.transaction(async (m) => {
      const { order, allocation, counter } = await this.lockCountered(m, principal, allocationId, 'declined');
      await CountersRepository.answer(m, counter.id, { status: 'declined' });
      await this.events.append(m, [
        { type: 'offer.counter_declined', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId: allocation.id, orderId: order.id, counterId: counter.id } },
      ]);
      const answered = { ...counter, status: 'declined' as const, answeredAt: this.clock.now() };
      return withCounter(allocationView(allocation), new Map([[allocation.id, counterView(answered)]]));
    });
  }

  /** Order lock, then the allocation's; another brand's offer is not found. */
  private async lockCountered(m: EntityManager, principal: Principal, allocationId: string, action: string): Promise<{ order: OrderEntity; allocation: AllocationEntity; counter: CounterRow }> {
    const found = isUuid(allocationId) ? await AllocationsRepository.findForBrand(m, allocationId, principal.organizationId) : null;
    if (!found) throw notFound('Offer');
    const order = await OrdersRepository.lock(m, found.orderId);
    const allocation = await AllocationsRepository.lock(m, allocationId);
    const counter = await CountersRepository.open(m, allocation.id);
    if (!counter) throw new DomainError('INVALID_TRANSITION', `This offer has no counter waiting for an answer; it cannot be ${action}`);
    this.assertOpen(order, allocation, action === 'accepted' ? 'taken at its counter' : 'answered');
    return { order, allocation, counter };
  }

  private assertOpen(order: OrderEntity, allocation: AllocationEntity, action: string): void {
    if (ABANDONED_ORDER.has(order.status)) throw invalidTransition('This order', order.status, action);
    if (allocation.status !== 'offered') throw invalidTransition('This offer', allocation.status, action);
    if (allocation.expiresAt && allocation.expiresAt <= this.clock.now()) {
      throw new DomainError('INVALID_TRANSITION', `This offer's time ran out at ${allocation.expiresAt.toISOString()}; it cannot be ${action}`);
    }
  }

  /** The counter's terms against the offer and the order's window, in words a factory understands. */
  private check(order: OrderEntity, allocation: AllocationEntity, request: CounterRequest): void {
    if (request.price === undefined && request.endDate === undefined) {
      throw new DomainError('VALIDATION_FAILED', 'price, endDate: a counter names a price, a later end date, or both', [
        { field: 'price', message: 'give a price (CNY for this offer), a later end date, or both' },
        { field: 'endDate', message: 'give a later end date, a price, or both' },
      ]);
    }
    if (request.endDate === undefined && request.price === allocation.price) throw invalid('price', `is the offer's own price (CNY ${allocation.price}); accept the offer instead`);
    if (request.endDate !== undefined) {
      if (request.endDate <= allocation.endDate) throw invalid('endDate', `must be after the offer's end date (${allocation.endDate}); to finish sooner, accept the offer`);
      if (request.endDate > order.dueDate) throw invalid('endDate', `must be on or before the order's due date (${order.dueDate})`);
    }
  }

  /** Whether the line can hold the work up to `endDate` from today on (`dryRun`: change nothing). */
  private async fits(m: EntityManager, allocation: AllocationEntity, endDate: string, dryRun: boolean): Promise<{ startDate: string; endDate: string }> {
    const today = this.clock.today();
    const from = allocation.startDate > today ? allocation.startDate : today;
    const laid = await relayAllocation(m, allocation, from, endDate, dryRun);
    if (!laid) {
      throw new DomainError('CONFLICT', `The line has not the free capacity to finish this work by ${endDate} any more (from ${from} on); the counter cannot be taken`);
    }
    return laid;
  }

  private async termsOf(m: EntityManager, order: OrderEntity, allocation: AllocationEntity, counter: CounterRow): Promise<CounterTerms> {
    const others = (await AllocationsRepository.ofOrder(m, order.id)).filter((a) => a.id !== allocation.id && LIVE_ALLOCATION.has(a.status));
    return { offerPrice: counter.offerPrice, offerEndDate: counter.offerEndDate, price: counter.price, endDate: counter.endDate, othersPrice: others.reduce((sum, a) => sum + a.price, 0) };
  }

  /**
   * The counter's terms hold: the ledger follows a later end date, the allocation takes the
   * price and dates, and it is accepted (the order confirmed once all of its work is). The
   * agreed price moves only with the brand's own acceptance of a dearer whole (§9).
   */
  private async apply(
    m: EntityManager, order: OrderEntity, allocation: AllocationEntity, counter: CounterRow, terms: CounterTerms, by: 'brand' | 'tolerance', before: readonly DomainEvent[],
  ): Promise<AllocationView> {
    const dates = counter.endDate !== null ? await this.fits(m, allocation, counter.endDate, false) : { startDate: allocation.startDate, endDate: allocation.endDate };
    const price = counter.price ?? allocation.price;
    await CountersRepository.answer(m, counter.id, { status: 'accepted', by });
    await AllocationsRepository.writeTerms(m, allocation.id, { price, ...dates });
    Object.assign(allocation, { price, ...dates });
    const agreed = agreedAfterCounter(order, priceWithCounter(terms), by);
    if (agreed !== null && agreed !== order.agreedPrice) await OrdersRepository.writePriceAnswer(m, order.id, { agreedPrice: agreed });
    const siblings = await this.offers.take(m, order, allocation, [
      ...before,
      {
        type: 'offer.counter_accepted', orderId: order.id, audience: [order.brandId, allocation.factoryId],
        payload: { allocationId: allocation.id, orderId: order.id, counterId: counter.id, price, startDate: dates.startDate, endDate: dates.endDate, by },
      },
    ]);
    const answered: CounterRow = { ...counter, status: 'accepted', acceptedBy: by, answeredAt: this.clock.now() };
    return withCounter(allocationView(allocation, allocationSizes(order.sizes, siblings).get(allocation.id)), new Map([[allocation.id, counterView(answered)]]));
  }
}

