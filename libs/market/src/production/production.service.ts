import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalid, invalidTransition, notFound } from '@cloudloom/platform';
import { AllocationEntity, type OrderStatus } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { type DomainEvent, EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { ABANDONED_ORDER, assertAllocationMove, canMoveOrder, LIVE_ALLOCATION, moveOrderAlong } from '../lifecycle/lifecycle';
import { OrdersRepository } from '../orders/orders.repository';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { allocationView, type AllocationView, delivering } from '../orders/order.view';
import { isUuid } from '../core/ids';
import { touchFactoryLines } from '../allocations/ledger';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { sendBackIfLate } from '../allocations/stage-forecast';

/** Progress reports from the factory floor: cumulative, never backwards, never above the allocation. */
@Injectable()
export class ProductionService {
  private readonly logger = new Logger('production');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsWriter,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async report(principal: Principal, allocationId: string, producedQuantity: number): Promise<AllocationView> {
    const { allocation, rematch } = await this.db.transaction(async (m) => {
      const found = isUuid(allocationId) ? await AllocationsRepository.findOwn(m, allocationId, principal.organizationId) : null;
      if (!found) throw notFound('Allocation');
      return this.record(m, allocationId, producedQuantity);
    });
    // After commit; a lost enqueue leaves the order pending, where the sweep finds it.
    if (rematch) await this.jobs.matchFirst([allocation.orderId], this.clock.today()).catch((error: unknown) => {
      this.logger.warn({ orderId: allocation.orderId, err: error instanceof Error ? error.message : String(error) }, 're-plan enqueue failed; the sweep retries');
    });
    return allocationView(allocation);
  }

  /**
   * The rules of a progress report, for the factory's own reports and for telemetry alike:
   * inside the caller's transaction, locks the order then the allocation (the matcher's order).
   * On a style order, a report whose pace makes its stage end too late for the next stage's work
   * sends the order back to the matcher (`rematch`: the caller queues it after commit), which
   * re-plans the later stages (DESIGN.md §8).
   */
  async record(m: EntityManager, allocationId: string, producedQuantity: number): Promise<{ allocation: AllocationEntity; rematch: boolean }> {
    const { orderId } = (await AllocationsRepository.find(m, allocationId))!;
    const order = await OrdersRepository.lock(m, orderId);
    const allocation = await AllocationsRepository.lock(m, allocationId);
    // An order that is over takes no more progress (its open work was released when it ended).
    if (ABANDONED_ORDER.has(order.status)) throw invalidTransition('This order', order.status, 'reported on');
    if (producedQuantity > allocation.quantity) throw invalid('producedQuantity', `must not exceed the allocation's ${allocation.quantity}`);
    if (producedQuantity < allocation.producedQuantity) throw invalid('producedQuantity', `must not go below the ${allocation.producedQuantity} already reported`);
    if (producedQuantity === allocation.producedQuantity && allocation.status !== 'accepted') return { allocation, rematch: false };

    const to = producedQuantity === allocation.quantity ? 'produced' : 'in_production';
    if (allocation.status !== to) assertAllocationMove(allocation.status, to, `reported ${to === 'produced' ? 'produced' : 'in production'}`);
    allocation.status = to;
    allocation.producedQuantity = producedQuantity;
    await m.save(allocation);
    if (to === 'produced') await touchFactoryLines(m, allocation.factoryId);

    const audience = [order.brandId, allocation.factoryId];
    const events: DomainEvent[] = [{ type: 'allocation.progress', orderId: order.id, audience, payload: { allocationId, orderId: order.id, producedQuantity, quantity: allocation.quantity, status: to } }];
    const steps: OrderStatus[] = [];
    let status = order.status;
    if (canMoveOrder(status, 'in_production')) {
      status = 'in_production';
      steps.push(status);
      events.push({ type: 'order.in_production', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id } });
    }
    const live = (await AllocationsRepository.ofOrder(m, order.id)).filter((a) => LIVE_ALLOCATION.has(a.status));
    // A style order is done when its sewing stage has made the pieces and no earlier stage is still running.
    const done = delivering(live).reduce((sum, a) => sum + (a.status === 'produced' ? a.quantity : 0), 0) === order.quantity && (order.kind !== 'style' || live.every((a) => a.status === 'produced'));
    if (done && canMoveOrder(status, 'completed')) {
      status = 'completed';
      steps.push(status);
      events.push({ type: 'order.completed', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id } });
    }
    await moveOrderAlong(m, order, steps, 'reported');
    // The matcher re-plans and tells which stage moved; here the order only goes back to it.
    const rematch = allocation.stage !== null && (await sendBackIfLate(m, { ...order, status }, live, this.clock.today(), this.clock.now()));
    await this.events.append(m, events);
    return { allocation, rematch };
  }
}
