import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, invalidTransition, notFound } from '@cloudloom/platform';
import { ALLOCATION_STATUSES, AllocationEntity, type AllocationStatus, type OrderEntity, type RejectReasonCode } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { AcceptRefusal, BulkAccept, OfferAcceptOutcome } from '@cloudloom/contracts';
import { Clock } from '../core/clock';
import { offerAnswerers } from '../events/actors';
import { type DomainEvent, EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { releaseAllocation, touchFactoryLines } from '../allocations/ledger';
import { counterView, CountersRepository } from '../allocations/counters.repository';
import { JobQueue } from '../jobs/job-queue';
import { allocationSizes, allocationSizesOf, allocationView, type AllocationView, delivering, withAnswerer, withCounter } from '../orders/order.view';
import { isUuid } from '../core/ids';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { ABANDONED_ORDER, assertAllocationMove, FINISHED_ORDER, LIVE_ALLOCATION, moveAllocations, moveOrder } from '../lifecycle/lifecycle';
import { OrdersRepository } from '../orders/orders.repository';


/** What each status an offer can no longer be accepted from says about it. */
const REFUSAL_OF: Readonly<Record<Exclude<AllocationStatus, 'offered'>, AcceptRefusal>> = {
  accepted: 'taken',
  in_production: 'taken',
  produced: 'taken',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'withdrawn',
};

/** A refused accept: the single accept's 409 as it was, with a reason a bulk accept answers per offer. */
export class OfferNotAccepted extends DomainError {
  constructor(readonly reason: AcceptRefusal, cause: DomainError) {
    super(cause.code, cause.message, cause.fields);
  }
}

/** Why this offer cannot be accepted now, or nothing: the one accept rule, for one offer or many. */
export function acceptRefusal(order: OrderEntity, allocation: AllocationEntity, now: Date): OfferNotAccepted | undefined {
  // Work for an order that is over (expired, cancelled) is never taken on.
  if (ABANDONED_ORDER.has(order.status)) return new OfferNotAccepted('withdrawn', invalidTransition('This order', order.status, 'accepted'));
  if (allocation.status !== 'offered') return new OfferNotAccepted(REFUSAL_OF[allocation.status], invalidTransition('This offer', allocation.status, 'accepted'));
  // Past its time but not yet expired by the job or the sweep: as good as expired.
  if (allocation.expiresAt && allocation.expiresAt <= now) return new OfferNotAccepted('expired', invalidTransition('This offer', 'expired', 'accepted'));
  return undefined;
}

@Injectable()
export class OffersService {
  private readonly logger = new Logger('offers');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly orders: OrdersRepository,
    private readonly allocations: AllocationsRepository,
    private readonly events: EventsWriter,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, status?: string, lineId?: string): Promise<{ items: AllocationView[] }> {
    if (status !== undefined && !(ALLOCATION_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('VALIDATION_FAILED', 'status: unknown status', [{ field: 'status', message: `one of ${ALLOCATION_STATUSES.join(', ')}` }]);
    }
    const rows = await this.allocations.listForFactory(principal.organizationId, { ...(status ? { status: status as AllocationStatus } : {}), ...(lineId ? { lineId } : {}) }, 100);
    // A garment order's sizes: each offer's share is read against all of its order's allocations.
    const orderIds = [...new Set(rows.map((a) => a.orderId))];
    const sizes = await this.orders.sizesOf(orderIds);
    const shares = allocationSizesOf(sizes, sizes.size > 0 ? await this.allocations.ofOrders([...sizes.keys()]) : []);
    const answerers = await offerAnswerers(this.db.manager, orderIds);
    const counters = await CountersRepository.latestOf(this.db.manager, rows.map((a) => a.id));
    const views = new Map([...counters].map(([id, c]) => [id, counterView(c)]));
    // A later stage of a style: when and from where its input arrives.
    const inputs = await this.allocations.inputsOf(rows.filter((a) => a.stage === 'finishing' || a.stage === 'sewing').map((a) => a.id));
    return { items: rows.map((a) => withCounter(withAnswerer({ ...allocationView(a, shares.get(a.id)), ...(inputs.has(a.id) ? { input: inputs.get(a.id)! } : {}) }, answerers), views)) };
  }

  async accept(principal: Principal, allocationId: string): Promise<AllocationView> {
    return this.db.transaction(async (m) => {
      const { order, allocation } = await this.lockOffer(m, principal, allocationId);
      const refused = acceptRefusal(order, allocation, this.clock.now());
      if (refused) throw refused;
      assertAllocationMove(allocation.status, 'accepted', 'accepted', 'This offer');
      const siblings = await this.take(m, order, allocation, [
        { type: 'offer.accepted', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId, orderId: order.id, factoryId: allocation.factoryId } },
      ]);
      return allocationView(allocation, allocationSizes(order.sizes, siblings).get(allocation.id));
    });
  }

  /**
   * Several offers at once, each through `accept` in its own transaction with its own locks, one
   * after another: one offer refused (expired, rejected meanwhile, another factory's) leaves the
   * others accepted, and each is answered with what became of it. Failures other than a refusal
   * (the database gone) fail the request, like a single accept.
   */
  async acceptMany(principal: Principal, ids: readonly string[]): Promise<BulkAccept> {
    const items: OfferAcceptOutcome[] = [];
    for (const id of ids) {
      try {
        items.push({ id, outcome: 'accepted', offer: await this.accept(principal, id) });
      } catch (error) {
        const reason = error instanceof OfferNotAccepted ? error.reason : error instanceof DomainError && error.code === 'NOT_FOUND' ? 'not_found' : undefined;
        if (!reason || !(error instanceof DomainError)) throw error;
        items.push({ id, outcome: 'refused', reason, detail: error.message });
      }
    }
    const accepted = items.filter((i) => i.outcome === 'accepted').length;
    return { items, accepted, refused: items.length - accepted };
  }

  /**
   * The offer is taken (as offered, or at a counter's terms): the allocation is accepted, and the
   * order confirmed once all of its work is. Writes `events` and the confirmation's; answers the
   * order's allocations as they are now. The caller holds the order's lock and has checked the move.
   */
  async take(m: EntityManager, order: OrderEntity, allocation: AllocationEntity, events: readonly DomainEvent[]): Promise<AllocationEntity[]> {
    allocation.status = 'accepted';
    allocation.expiresAt = null;
    await m.save(allocation);
    await touchFactoryLines(m, allocation.factoryId);
    const siblings = await AllocationsRepository.ofOrder(m, order.id);
    const live = siblings.filter((a) => LIVE_ALLOCATION.has(a.status));
    const all = [...events];
    // A style order's quantity is its pieces: its sewing stage's allocations deliver them.
    const covered = delivering(live).reduce((sum, a) => sum + a.quantity, 0) === order.quantity;
    if (order.status === 'proposed' && covered && live.every((a) => a.status !== 'offered')) {
      await moveOrder(m, order, 'confirmed', 'confirmed');
      all.push({ type: 'order.confirmed', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id } });
    }
    await this.events.append(m, all);
    return siblings;
  }

  /**
   * Locks the order, then the allocation: the matcher takes the order lock first too,
   * so accept, reject, expiry and matching of one order never interleave.
   */
  async lockOffer(m: EntityManager, principal: Principal, allocationId: string): Promise<{ order: OrderEntity; allocation: AllocationEntity }> {
    const found = isUuid(allocationId) ? await AllocationsRepository.findOwn(m, allocationId, principal.organizationId) : null;
    if (!found) throw notFound('Offer');
    const order = await OrdersRepository.lock(m, found.orderId);
    const allocation = await AllocationsRepository.lock(m, allocationId);
    return { order, allocation };
  }

  /** Releases an offer's capacity and sends the remainder back to the matcher without that line. */
  async withdraw(
    m: EntityManager, order: OrderEntity, allocation: AllocationEntity, to: 'rejected' | 'expired', reason: string, code?: { code: RejectReasonCode; note: string | null },
  ): Promise<void> {
    assertAllocationMove(allocation.status, to, to, 'This offer');
    // A counter still waiting when the offer runs out lapses with it (the database closes it on the move).
    const lapsing = to === 'expired' ? await CountersRepository.open(m, allocation.id) : undefined;
    await releaseAllocation(m, allocation.id);
    await touchFactoryLines(m, allocation.factoryId);
    await moveAllocations(m, [allocation], to, to, 'This offer');
    // The remainder goes back to the matcher; an order already back there stays as it is, and an
    // order that is over (expired or cancelled with this offer still open) only gets the capacity
    // back: moving it would throw, and a throwing expiry used to fail every later sweep.
    if (order.status !== 'pending' && !FINISHED_ORDER.has(order.status)) await moveOrder(m, order, 'pending', 're-matched');
    await this.events.append(m, [
      to === 'rejected'
        ? { type: 'offer.rejected', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId: allocation.id, orderId: order.id, reason, ...(code ? { reasonCode: code.code, note: code.note } : {}) } }
        : { type: 'offer.expired', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId: allocation.id, orderId: order.id, reason } },
      ...(lapsing ? [{ type: 'offer.counter_lapsed' as const, orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId: allocation.id, orderId: order.id, counterId: lapsing.id } }] : []),
    ]);
  }

  async reject(principal: Principal, allocationId: string, reason: { code: RejectReasonCode; note: string | null }): Promise<AllocationView> {
    const view = await this.db.transaction(async (m) => {
      const { order, allocation } = await this.lockOffer(m, principal, allocationId);
      await this.withdraw(m, order, allocation, 'rejected', reason.note ?? reason.code, reason);
      await AllocationsRepository.writeRejectReason(m, allocation.id, reason.code, reason.note);
      return allocationView({ ...allocation, status: 'rejected', expiresAt: null, rejectReasonCode: reason.code, rejectNote: reason.note });
    });
    await this.rematch(view.orderId);
    return view;
  }

  /** The `expire-offer` job: acts only if the offer is still open and past its time. */
  async expire(allocationId: string): Promise<boolean> {
    const expired = await this.db.transaction(async (m) => {
      const found = await AllocationsRepository.find(m, allocationId);
      if (!found || found.status !== 'offered') return undefined;
      const order = await OrdersRepository.lock(m, found.orderId);
      const allocation = await AllocationsRepository.lock(m, allocationId);
      if (allocation.status !== 'offered' || (allocation.expiresAt && allocation.expiresAt > this.clock.now())) return undefined;
      await this.withdraw(m, order, allocation, 'expired', 'no answer within the offer time');
      return order.id;
    });
    if (expired) await this.rematch(expired);
    return expired !== undefined;
  }

  private async rematch(orderId: string): Promise<void> {
    const order = await this.orders.findById(orderId);
    if (!order) return;
    try {
      await this.jobs.match(order, this.clock.today());
    } catch (error) {
      this.logger.warn({ orderId, err: error instanceof Error ? error.message : String(error) }, 'rematch enqueue failed; the sweep will retry');
    }
  }
}
