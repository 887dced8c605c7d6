import { Injectable } from '@nestjs/common';
import { addDays, Clock, daysBetween } from '../core/clock';
import type { Principal } from '../identity/principal';
import { MarketSnapshot } from '../planning/market-snapshot';
import type { CreateOrderDto } from '../orders/orders.dto';
import { checkOrder } from '../orders/order-terms';
import { planRequestOf } from '../planning/plan-request';
import type { QuoteView } from './quote.view';

/** The planner without reservation: what the order would get if posted now. Nothing is written. */
@Injectable()
export class QuotesService {
  constructor(
    private readonly market: MarketSnapshot,
    private readonly clock: Clock,
  ) {}

  async quote(_principal: Principal, dto: CreateOrderDto): Promise<QuoteView> {
    const today = this.clock.today();
    // Planned exactly as the matcher would plan this order posted now, with nothing held yet:
    // within its target price, which is a ceiling (a miss for price names the cheapest plan).
    const plan = await this.market.plan(planRequestOf({ ...checkOrder(dto, today), targetPrice: dto.targetPrice ?? null }, today));
    const quotedAt = this.clock.now().toISOString();
    if (!plan.ok) {
      return {
        feasible: false,
        quantity: dto.quantity,
        dueDate: dto.dueDate,
        reasons: plan.reasons.map((r) => ({ code: r.code, message: r.message })),
        closestMiss: {
          coveredFraction: plan.closestMiss.coveredFraction, coveredQuantity: plan.closestMiss.coveredQuantity,
          ...(plan.closestMiss.cheapestPrice !== undefined ? { cheapestPrice: plan.closestMiss.cheapestPrice } : {}),
        },
        quotedAt,
      };
    }
    const completion = addDays(today, plan.completionDay);
    const price = Math.round(plan.totalPrice * 100) / 100;
    return {
      feasible: true,
      quantity: dto.quantity,
      dueDate: dto.dueDate,
      earliestCompletion: completion,
      slackDays: daysBetween(completion, dto.dueDate),
      price,
      currency: 'CNY',
      withinTargetPrice: dto.targetPrice === undefined ? null : price <= dto.targetPrice,
      splits: plan.allocations.length,
      factories: new Set(plan.allocations.map((a) => a.factoryId)).size,
      quotedAt,
    };
  }
}
