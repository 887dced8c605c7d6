import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, notFound } from '@cloudloom/platform';
import type { OfferMessage } from '@cloudloom/contracts';
import type { AllocationEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { currentActor } from '../core/actor';
import { isUuid } from '../core/ids';
import { EventsWriter } from '../events/events.writer';
import type { Principal } from '../identity/principal';
import { LIVE_ALLOCATION } from '../lifecycle/lifecycle';
import { OrdersRepository } from '../orders/orders.repository';
import { MessagesRepository } from './messages.repository';

/**
 * A conversation per offer (DESIGN.md §9, docs/terms.md): the order's brand and the offer's
 * factory, and nobody else (404, as for any object of another organization), write each other
 * about it while its work is live (offered, accepted, running or produced); the conversation
 * stays readable after. Each message is an `offer.message` event of the order, in the same
 * transaction: the order's history, the live feed and event mail (for people who ask for it)
 * carry it to the two parties.
 */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventsWriter,
  ) {}

  async list(principal: Principal, allocationId: string): Promise<{ items: OfferMessage[] }> {
    const allocation = await this.visible(this.db.manager, principal, allocationId);
    return { items: await MessagesRepository.ofOffer(this.db.manager, allocation.id) };
  }

  async post(principal: Principal, allocationId: string, body: string): Promise<OfferMessage> {
    return this.db.transaction(async (m) => {
      const allocation = await this.visible(m, principal, allocationId);
      if (!LIVE_ALLOCATION.has(allocation.status)) throw new DomainError('INVALID_TRANSITION', `This offer is ${allocation.status}; its conversation is closed (it can still be read)`);
      const order = await OrdersRepository.lock(m, allocation.orderId);
      const from = principal.kind === 'brand' ? 'brand' : 'factory';
      const message = await MessagesRepository.insert(m, { allocationId: allocation.id, orderId: order.id, organizationId: principal.organizationId, from, author: currentActor(), body });
      await this.events.append(m, [
        { type: 'offer.message', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId: allocation.id, orderId: order.id, messageId: message.id, from, body } },
      ]);
      return message;
    });
  }

  /** The offer, if the caller is its factory or its order's brand. */
  private async visible(m: EntityManager, principal: Principal, allocationId: string): Promise<AllocationEntity> {
    const found = !isUuid(allocationId)
      ? null
      : principal.kind === 'factory'
        ? await AllocationsRepository.findOwn(m, allocationId, principal.organizationId)
        : principal.kind === 'brand'
          ? await AllocationsRepository.findForBrand(m, allocationId, principal.organizationId)
          : null;
    if (!found) throw notFound('Offer');
    return found;
  }
}
