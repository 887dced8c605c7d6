import { Injectable } from '@nestjs/common';
import { addDays, Clock, daysBetween } from '../core/clock';
import type { Principal } from '../identity/principal';
import { MarketSnapshot } from '../planning/market-snapshot';
import { FairnessPolicySource } from '../planning/fairness-policy';
import type { CreateOrderDto } from '../orders/orders.dto';
import { checkOrder } from '../orders/order-terms';
import { chainCeilingOf, planRequestOf } from '../planning/plan-request';
import { calibratedSewing, type ChainRequest, type ChainResult, type GarmentCategory, planChain, type PlanRequest } from '@cloudloom/matching';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sewingCalibrations } from '../planning/sewing-calibrations';
import type { StyleOrderDto } from '../orders/style-order.dto';
import { chainRequestOf, checkStyle } from '../orders/style-terms';
import type { QuoteView, StyleQuoteView } from './quote.view';
import { perUnit } from '../orders/order.view';

/** The planner without reservation: what the order would get if posted now. Nothing is written. */
@Injectable()
export class QuotesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly market: MarketSnapshot,
    private readonly clock: Clock,
    private readonly fairness: FairnessPolicySource,
  ) {}

  async quote(_principal: Principal, dto: CreateOrderDto): Promise<QuoteView> {
    const today = this.clock.today();
    // Planned exactly as the matcher would plan this order posted now, with nothing held yet:
    // within its target price, which is a ceiling (a miss for price names the cheapest plan), and
    // with the fairness policy when it is on.
    const plan = await this.market.plan(planRequestOf({ ...checkOrder(dto, today), targetPrice: dto.targetPrice ?? null }, today, undefined, await this.fairness.current()));
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
    const price = cents(plan.totalPrice);
    return {
      feasible: true,
      quantity: dto.quantity,
      dueDate: dto.dueDate,
      earliestCompletion: completion,
      slackDays: daysBetween(completion, dto.dueDate),
      price,
      pricePerUnit: perUnit(price, dto.quantity),
      unit: dto.kind === 'fabric' ? 'meter' : 'piece',
      priceCovers: this.market.coversOf(plan.allocations.map((a) => a.lineId)),
      currency: 'CNY',
      withinTargetPrice: dto.targetPrice === undefined ? null : price <= dto.targetPrice,
      splits: plan.allocations.length,
      factories: new Set(plan.allocations.map((a) => a.factoryId)).size,
      quotedAt,
    };
  }

  /**
   * A style's chain (DESIGN.md §8) planned as the matcher will plan it, reserving nothing: one
   * ready date and one price, each stage's part, or the stage no chain reaches and its closest miss.
   */
  async quoteStyle(_principal: Principal, dto: StyleOrderDto): Promise<StyleQuoteView> {
    const today = this.clock.today();
    const terms = checkStyle(dto, today);
    // Within its target price, a ceiling for the whole chain, as the matcher plans a new style.
    const chain = { ...chainRequestOf(terms, today), ...chainCeilingOf(dto.targetPrice, true) };
    const result = await this.planChain(chain, terms.style.garment.category);
    const base = { kind: 'style' as const, quantity: dto.quantity, dueDate: dto.dueDate, quotedAt: this.clock.now().toISOString() };
    if (!result.ok) {
      return {
        ...base,
        feasible: false,
        failedStage: { index: result.failedStage, kind: result.failedKind, inputReadyDate: addDays(today, result.inputReadyDay) },
        reasons: result.reasons.map((r) => ({ code: r.code, message: r.message })),
        closestMiss: {
          coveredFraction: result.closestMiss.coveredFraction, coveredQuantity: result.closestMiss.coveredQuantity,
          ...(result.closestMiss.cheapestPrice !== undefined ? { cheapestPrice: result.closestMiss.cheapestPrice } : {}),
        },
      };
    }
    const readyDate = addDays(today, result.completionDay);
    const price = cents(result.totalPrice);
    return {
      ...base,
      feasible: true,
      readyDate,
      slackDays: daysBetween(readyDate, dto.dueDate),
      price,
      pricePerUnit: perUnit(price, dto.quantity),
      currency: 'CNY',
      withinTargetPrice: dto.targetPrice === undefined ? null : price <= dto.targetPrice,
      stages: result.stages.map((stage) => ({
        kind: stage.kind,
        quantity: stage.quantity,
        unit: stage.kind === 'sewing' ? ('pieces' as const) : ('meters' as const),
        lines: stage.allocations.length,
        factories: new Set(stage.allocations.map((a) => a.factoryId)).size,
        inputReadyDate: addDays(today, stage.inputReadyDay),
        startDate: addDays(today, stage.startDay),
        endDate: addDays(today, stage.endDay),
        price: cents(stage.totalPrice),
        pricePerUnit: perUnit(cents(stage.totalPrice), stage.quantity),
        priceCovers: this.market.coversOf(stage.allocations.map((a) => a.lineId)),
      })),
    };
  }

  /** On the current snapshot; a miss is the brand's answer, so it is confirmed on the ledger of every stage's capable lines first (as `MarketSnapshot.plan` does for one order). */
  private async planChain(chain: ChainRequest, category: GarmentCategory): Promise<ChainResult> {
    // Sewing at each factory's calibrated minutes, as the matcher plans it.
    const calibrations = await sewingCalibrations(this.db.manager, category);
    const first = planChain(chain, calibratedSewing(await this.market.indexFor([]), calibrations));
    if (first.ok) return first;
    const requests: PlanRequest[] = chain.stages.map((stage) => ({ ...stage, startDay: chain.startDay, endDay: chain.endDay }));
    return planChain(chain, calibratedSewing(await this.market.indexFor(requests, true), calibrations));
  }
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
