import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PlannedAllocation, PlanRequest } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG, type QueueBackend } from '@cloudloom/platform';
import { AllocationDayEntity, AllocationEntity, OrderEntity, type OrderExplanation } from '@cloudloom/persistence';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { type DomainEvent, EventsWriter } from '../events/events.writer';
import { LIVE_ALLOCATION, WAITING_ORDER } from '../orders/lifecycle';
import { MarketSnapshot } from './market-snapshot';
import { CapacityRaceError, type LedgerCell, reserveCells } from './ledger';

const RETRYABLE_SQL = new Set(['40001', '40P01']);
/** A lost race means another plan committed, so retries always make progress; this bounds a storm. */
const MAX_ATTEMPTS = 12;

export type MatchOutcome =
  | { readonly outcome: 'skipped'; readonly status?: string }
  | { readonly outcome: 'unmatched' }
  | { readonly outcome: 'matched'; readonly offers: readonly { allocationId: string; expiresAt: Date }[] };

const isRetryable = (e: unknown): boolean =>
  e instanceof CapacityRaceError || (e instanceof QueryFailedError && RETRYABLE_SQL.has((e.driverError as { code?: string }).code ?? ''));

/**
 * The `match-order` job. Idempotent: it locks the order row, acts only while the order is
 * waiting, and reserves capacity with conditional updates in the same transaction.
 */
@Injectable()
export class MatchOrderHandler {
  private readonly logger = new Logger('matching');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    private readonly market: MarketSnapshot,
    private readonly events: EventsWriter,
    private readonly clock: Clock,
  ) {}

  async handle(orderId: string): Promise<MatchOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.transaction((m) => this.matchOnce(m, orderId));
        if (result.outcome === 'matched') await this.scheduleExpiry(result.offers);
        return result;
      } catch (error) {
        // Lost a race for the same loom-days: the next plan sees what the winner took.
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async matchOnce(m: EntityManager, orderId: string): Promise<MatchOutcome> {
    const order = await m.findOne(OrderEntity, { where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
    if (!order || !WAITING_ORDER.has(order.status)) return { outcome: 'skipped', status: order?.status };
    const today = this.clock.today();
    const earlier = await m.findBy(AllocationEntity, { orderId });
    const live = earlier.filter((a) => LIVE_ALLOCATION.has(a.status));
    const request: PlanRequest = {
      order: order.spec,
      quantity: order.quantity - live.reduce((sum, a) => sum + a.quantity, 0),
      startDay: Math.max(daysBetween(today, order.earliestStart), 0),
      endDay: daysBetween(today, order.dueDate),
      maxSplits: Math.max(order.maxSplits - live.length, 1),
      ...(order.minSplitQuantity !== null ? { minSplitQuantity: order.minSplitQuantity } : {}),
      certifications: order.certifications,
      excludedLineIds: earlier.filter((a) => a.status === 'rejected' || a.status === 'expired').map((a) => a.lineId),
    };
    const plan = await this.market.plan(request);
    const audience = [order.brandId];

    if (!plan.ok) {
      const explanation: OrderExplanation = {
        summary: plan.reasons[0]?.message ?? 'no feasible plan',
        reasons: plan.reasons.map((r) => ({ code: r.code, message: r.message, lines: r.lines })),
        closestMiss: plan.closestMiss,
        plannedAt: this.clock.now().toISOString(),
      };
      await m.update(OrderEntity, { id: order.id }, { status: 'unmatched', explanation });
      await this.events.append(m, [{ type: 'order.unmatched', orderId: order.id, audience, payload: { orderId: order.id, reasons: explanation.reasons, closestMiss: plan.closestMiss } }]);
      return { outcome: 'unmatched' };
    }

    try {
      await reserveCells(m, plan.allocations.flatMap((a) => this.cellsOf(a, today)));
    } catch (error) {
      // Planned on numbers another matcher had already used: read those lines again.
      if (error instanceof CapacityRaceError) await this.market.reload(plan.allocations.map((a) => a.lineId));
      throw error;
    }
    const expiresAt = new Date(this.clock.now().getTime() + this.config.offerTtlSeconds * 1000);
    const saved = await m.save(plan.allocations.map((a) => this.allocationEntity(m, order, a, today, this.market.autoAccepts(a.factoryId) ? undefined : expiresAt)));
    await m.insert(
      AllocationDayEntity,
      saved.flatMap((entity, i) => this.cellsOf(plan.allocations[i]!, today).map((c) => ({ allocationId: entity.id, lineId: c.lineId, day: c.day, units: c.units }))),
    );
    const confirmed = saved.every((a) => a.status === 'accepted') && live.every((a) => a.status !== 'offered');
    const status = confirmed ? 'confirmed' : 'proposed';
    const explanation: OrderExplanation = {
      summary: `${saved.length === 1 ? 'whole order on one line' : `split across ${saved.length} lines`}; completes ${addDays(today, plan.completionDay)}, ${daysBetween(addDays(today, plan.completionDay), order.dueDate)} day(s) before due`,
      plannedAt: this.clock.now().toISOString(),
    };
    await m.update(OrderEntity, { id: order.id }, { status, explanation });
    const events: DomainEvent[] = [
      { type: 'order.matched', orderId: order.id, audience: [...audience, ...saved.map((a) => a.factoryId)], payload: { orderId: order.id, status, allocations: saved.map((a) => ({ id: a.id, factoryId: a.factoryId, lineId: a.lineId, quantity: a.quantity, status: a.status })) } },
      ...saved.map((a): DomainEvent => ({ type: 'offer.created', orderId: order.id, audience: [order.brandId, a.factoryId], payload: { allocationId: a.id, orderId: order.id, factoryId: a.factoryId, quantity: a.quantity, status: a.status } })),
    ];
    if (confirmed) events.push({ type: 'order.confirmed', orderId: order.id, audience, payload: { orderId: order.id } });
    await this.events.append(m, events);
    this.logger.log({ orderId: order.id, allocations: saved.length, status }, 'order matched');
    return { outcome: 'matched', offers: saved.filter((a) => a.status === 'offered').map((a) => ({ allocationId: a.id, expiresAt })) };
  }

  private cellsOf(a: PlannedAllocation, today: string): LedgerCell[] {
    return a.days.map((d) => ({ lineId: a.lineId, day: addDays(today, d.day), units: d.units }));
  }

  private allocationEntity(m: EntityManager, order: OrderEntity, a: PlannedAllocation, today: string, expiresAt: Date | undefined): AllocationEntity {
    return m.create(AllocationEntity, {
      orderId: order.id,
      factoryId: a.factoryId,
      lineId: a.lineId,
      quantity: a.quantity,
      demand: a.demand,
      startDate: addDays(today, a.startDay),
      endDate: addDays(today, a.endDay),
      // A factory with autoAccept takes dispatched work without the offer step.
      status: expiresAt ? 'offered' : 'accepted',
      expiresAt: expiresAt ?? null,
      score: a.score,
      scoreParts: a.scoreParts,
      price: a.price,
      producedQuantity: 0,
    });
  }

  /** After commit; a lost expiry job is recovered by the sweep, which finds offers past their time. */
  private async scheduleExpiry(offers: readonly { allocationId: string; expiresAt: Date }[]): Promise<void> {
    for (const offer of offers) {
      try {
        await this.queues.enqueue({ name: 'expire-offer', data: { allocationId: offer.allocationId } }, { delayMs: Math.max(offer.expiresAt.getTime() - this.clock.now().getTime(), 0) });
      } catch (error) {
        this.logger.warn({ allocationId: offer.allocationId, err: error instanceof Error ? error.message : String(error) }, 'expiry enqueue failed');
      }
    }
  }
}
