import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, invalidTransition, notFound } from '@cloudloom/platform';
import type { OrderEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../core/clock';
import { isUuid } from '../core/ids';
import { EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { JobQueue } from '../jobs/job-queue';
import { assertOrderMove, moveOrder } from '../lifecycle/lifecycle';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { OrdersRepository } from './orders.repository';

/** What a declined or lapsed order's explanation says; `{agreed}` is the agreed price. */
export const declinedSummary = (lapsed: boolean) => (agreed: string): string =>
  `${lapsed ? 'no answer within the approval time, so the new price counts as declined' : 'the brand declined the new price'}; plans are held to the agreed price of CNY ${agreed}`;

/**
 * The brand's answer to a plan above its agreed price (DESIGN.md §9): approve makes the plan's
 * price the agreed one and sends the order back to the matcher, which plans it within that price
 * (a dearer plan by then asks again); decline leaves it unmatched (partial if it holds work) with
 * `PRICE_ABOVE_AGREED`, and later plans are held to the agreed price. Either answer is refused
 * with a 409 once the order is no longer waiting, or its approval time has run out.
 */
@Injectable()
export class PriceApprovalService {
  private readonly logger = new Logger('price-approval');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly events: EventsWriter,
    private readonly clock: Clock,
  ) {}

  async approve(principal: Principal, id: string): Promise<OrderEntity> {
    const order = await this.db.transaction(async (m) => {
      const locked = await this.lockWaiting(m, principal, id, 'approved');
      const approval = locked.approval!;
      assertOrderMove(locked.status, 'pending', 'approved');
      await OrdersRepository.writePriceAnswer(m, locked.id, { agreedPrice: approval.price });
      await moveOrder(m, locked, 'pending', 'approved');
      await this.events.append(m, [
        { type: 'order.price_approved', orderId: locked.id, audience: [locked.brandId], payload: { orderId: locked.id, price: approval.price, previousPrice: approval.agreedPrice } },
      ]);
      return locked;
    });
    await this.rematch(order);
    return order;
  }

  async decline(principal: Principal, id: string): Promise<OrderEntity> {
    const order = await this.db.transaction(async (m) => {
      const locked = await this.lockWaiting(m, principal, id, 'declined');
      const approval = locked.approval!;
      const holds = (await AllocationsRepository.ofOrder(m, locked.id)).some((a) => a.status === 'offered' || a.status === 'accepted' || a.status === 'in_production' || a.status === 'produced');
      const agreed = String(locked.agreedPrice ?? approval.agreedPrice);
      const summary = declinedSummary(false)(agreed);
      await OrdersRepository.writePriceAnswer(m, locked.id, {
        declined: true,
        explanation: { summary, reasons: [{ code: 'PRICE_ABOVE_AGREED', message: summary, lines: 0 }], plannedAt: this.clock.now().toISOString() },
      });
      await moveOrder(m, locked, holds ? 'partial' : 'unmatched', 'declined');
      await this.events.append(m, [
        { type: 'order.price_declined', orderId: locked.id, audience: [locked.brandId], payload: { orderId: locked.id, price: approval.price, agreedPrice: approval.agreedPrice, lapsed: false } },
      ]);
      return locked;
    });
    // Planned again at once, held to the agreed price: a plan within it may exist on other lines.
    await this.rematch(order);
    return order;
  }

  private async lockWaiting(m: EntityManager, principal: Principal, id: string, action: string): Promise<OrderEntity> {
    const locked = isUuid(id) ? await OrdersRepository.lockVisible(m, principal, id) : null;
    if (!locked) throw notFound('Order');
    if (locked.status !== 'awaiting_approval' || locked.approval === null) throw invalidTransition('This order', locked.status, action);
    if (locked.approvalExpiresAt !== null && locked.approvalExpiresAt <= this.clock.now()) {
      throw new DomainError('INVALID_TRANSITION', `The approval time ran out at ${locked.approvalExpiresAt.toISOString()}; the new price counts as declined`);
    }
    return locked;
  }

  /** After commit; a lost enqueue leaves a pending order to the sweep, an unmatched one to the next capacity. */
  private async rematch(order: OrderEntity): Promise<void> {
    try {
      await this.jobs.match(order, this.clock.today());
    } catch (error) {
      this.logger.warn({ orderId: order.id, err: error instanceof Error ? error.message : String(error) }, 'rematch enqueue failed; the sweep will retry');
    }
  }
}
