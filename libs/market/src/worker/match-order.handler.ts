import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  calibratedSewing, calibratedSewingByCategory, type ChainRequest, type ChainResult, continueChain, type FactoryCalibrations, firstShortStage, fitBeforeLater, type GarmentCategory, type MarketIndex, type PlannedStage, type PlanRequest, type PlanResult, stageKindOf,
} from '@cloudloom/matching';
import type { ApprovalReasonCode, ApprovalReasonParams } from '@cloudloom/contracts';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { AllocationStage, OrderExplanation, OrderStatus } from '@cloudloom/persistence';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { MetricCounts } from '../core/metric-counts';
import { SerialBatcher } from '../core/serial-batcher';
import { JobQueue } from '../jobs/job-queue';
import type { DomainEvent } from '../events/events.writer';
import { assertMatchVerdict, LIVE_ALLOCATION, WAITING_ORDER } from '../lifecycle/lifecycle';
import { type EarlierAllocation, OrdersRepository, type OrderToPlan } from '../orders/orders.repository';
import { chainRequestOf, termsOfStored } from '../orders/style-terms';
import { shiftCells, type StageSlip, stageIndexOf, stageWindow, whyTheStageIsLate, whyTheStageSlipped, windowOf } from './style-match';
import { forecastWork } from '../allocations/forecast';
import { heldStagesOf, lateStageOf, MOVABLE_WORK, overrunStageOf } from '../allocations/stage-forecast';
import { chainCeilingOf, planRequestOf, priceVerdict } from '../planning/plan-request';
import { CapacityRaceError, heldCells, releaseAllocation } from '../allocations/ledger';
import { moveAllocations } from '../lifecycle/lifecycle';
import { MarketSnapshot } from '../planning/market-snapshot';
import { sewingCalibrations } from '../planning/sewing-calibrations';
import { FairnessPolicySource } from '../planning/fairness-policy';
import { type NewAllocation, type OrderUpdate, settleMatches } from '../allocations/match-writes';

const RETRYABLE_SQL = new Set(['40001', '40P01']);
/** A lost race means another plan committed, so retries always make progress; this bounds a storm. */
const MAX_ATTEMPTS = 12;

export type MatchOutcome =
  | { readonly outcome: 'skipped'; readonly status?: string }
  | { readonly outcome: 'unmatched' }
  /** The plan costs more than the agreed price allows: the brand is asked, nothing is reserved. */
  | { readonly outcome: 'awaiting_approval' }
  | { readonly outcome: 'matched'; readonly offers: readonly { allocationId: string; expiresAt: Date }[] };

/** A pass's answer per order: an outcome, or "no plan on the numbers at hand" (first pass only). */
type PassOutcome = MatchOutcome | { readonly outcome: 'deferred' };
/** What the batch hands back per order; an error fails that order's job alone, which the queue retries. */
type Settled = MatchOutcome | { readonly outcome: 'failed'; readonly error: unknown };

/** Why an order is planned again, from what became of its earlier allocations, in the brand's words. */
function whyThePriceMoved(earlier: OrderToPlan['earlier']): { reason: string; reasonCode: ApprovalReasonCode; reasonParams: ApprovalReasonParams } {
  const n = (status: string): number => earlier.filter((a) => a.status === status).length;
  const reasonParams = { declined: n('rejected'), expired: n('expired'), released: n('cancelled') };
  const parts = [
    reasonParams.declined > 0 ? `${reasonParams.declined} factor${reasonParams.declined === 1 ? 'y' : 'ies'} declined` : '',
    reasonParams.expired > 0 ? `${reasonParams.expired} offer${reasonParams.expired === 1 ? '' : 's'} expired unanswered` : '',
    reasonParams.released > 0 ? `${reasonParams.released} allocation${reasonParams.released === 1 ? ' was' : 's were'} released by a capacity change` : '',
  ].filter((p) => p !== '');
  return parts.length > 0
    ? { reason: parts.join('; '), reasonCode: 'WORK_LOST', reasonParams }
    : { reason: 'the market changed since the agreed price', reasonCode: 'MARKET_CHANGED', reasonParams };
}

/** Serialization failures and deadlocks: the transaction is simply run again. Lost cells are not errors (see `pass`). */
const isRetryable = (e: unknown): boolean => e instanceof QueryFailedError && RETRYABLE_SQL.has((e.driverError as { code?: string }).code ?? '');

interface Waiting {
  readonly order: OrderToPlan;
  readonly live: OrderToPlan['earlier'];
  readonly request: PlanRequest;
}

/** A style order waiting: its chain (DESIGN.md §8), planned whole or continued from its first short stage. */
interface StyleWaiting {
  readonly order: OrderToPlan;
  readonly live: OrderToPlan['earlier'];
  readonly chain: ChainRequest;
}

/** The stage a style is planned from, why, and whether its work before was late (the summary says so). */
interface StyleSlip {
  readonly slipped: AllocationStage;
  readonly why: StageSlip;
  readonly late: boolean;
}

/** A pass's decision for one order, written only if the order keeps its loom-days. */
interface Decision {
  readonly orderId: string;
  readonly outcome: PassOutcome;
  readonly allocations: readonly NewAllocation[];
  readonly update?: OrderUpdate;
  readonly events: readonly DomainEvent[];
  /** A style's later-stage work this decision gave back (written before the settling statement, so kept even if the order loses its race). */
  readonly released?: readonly EarlierAllocation[];
}

/**
 * Later-stage work each style order of a batch gave back in an attempt whose order then lost its
 * race: the release is committed with that attempt, so the attempt that places the order finds the
 * work already cancelled and must still tell the brand and the factories that their stage moved.
 */
type GivenBack = Map<string, readonly EarlierAllocation[]>;

/**
 * The `match-order` job. Jobs a worker holds at once are matched together: one transaction per
 * batch locks the orders, plans them together on the in-memory market (`MarketIndex.planBatch`:
 * each plan held before the next, re-planned in other orders when that serves more), and writes
 * every reservation, allocation, order and event with a fixed number of statements. Idempotent:
 * only orders still waiting are matched, and capacity is taken by conditional updates, so an
 * order planned on stale numbers loses its loom-days and is planned again on its lines re-read,
 * while the rest of its batch is kept.
 */
@Injectable()
export class MatchOrderHandler {
  private readonly logger = new Logger('matching');
  private readonly batcher: SerialBatcher<string, Settled>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly market: MarketSnapshot,
    private readonly clock: Clock,
    private readonly fairness: FairnessPolicySource,
    private readonly counts: MetricCounts,
  ) {
    this.batcher = new SerialBatcher((ids) => this.matchBatch(ids), config.matchBatchSize);
  }

  async handle(orderId: string): Promise<MatchOutcome> {
    const settled = await this.batcher.submit(orderId);
    if (settled.outcome === 'failed') throw settled.error;
    return settled;
  }

  /**
   * The orders of one bulk post. They join the batches like single jobs do; if any fails, the
   * job fails and the queue retries it, which matches only the orders still waiting.
   */
  async handleMany(orderIds: readonly string[]): Promise<{ matched: number; unmatched: number; skipped: number }> {
    const settled = await Promise.all(orderIds.map((id) => this.batcher.submit(id)));
    const failed = settled.find((s) => s.outcome === 'failed');
    if (failed) throw failed.error;
    const count = (outcome: Settled['outcome']): number => settled.filter((s) => s.outcome === outcome).length;
    return { matched: count('matched'), unmatched: count('unmatched'), skipped: count('skipped') };
  }

  /**
   * Two passes. The first plans on the numbers in memory; an order that finds no plan there is
   * planned again in a second pass on numbers read just now, because "unmatched" is a verdict
   * the brand sees and a release the snapshot has not caught yet must not cause it.
   */
  private async matchBatch(ids: readonly string[]): Promise<Settled[]> {
    const givenBack: GivenBack = new Map();
    const first = await this.settle(ids, false, givenBack);
    const again = ids.filter((_, i) => first[i]!.outcome === 'deferred');
    const second = new Map<string, PassOutcome | Settled>();
    if (again.length > 0) (await this.settle(again, true, givenBack)).forEach((o, i) => second.set(again[i]!, o));
    return ids.map((id, i) => {
      const o = first[i]!.outcome === 'deferred' ? second.get(id) : first[i];
      // The second pass gives a verdict for every order; anything else is a bug, failed loudly.
      return o === undefined || o.outcome === 'deferred' ? { outcome: 'failed', error: new Error(`order ${id} got no verdict`) } : o;
    });
  }

  /** A batch that fails (an error, or races lost MAX_ATTEMPTS times) is taken apart, so one bad order fails alone. */
  private async settle(ids: readonly string[], final: boolean, givenBack: GivenBack): Promise<(PassOutcome | Settled)[]> {
    try {
      return await this.pass(ids, final, givenBack);
    } catch (error) {
      if (ids.length === 1) return [{ outcome: 'failed', error }];
      this.logger.warn({ orders: ids.length, err: error instanceof Error ? error.message : String(error) }, 'batch failed; matching its orders one by one');
      const out: (PassOutcome | Settled)[] = [];
      for (const id of ids) out.push(...(await this.settle([id], final, givenBack)));
      return out;
    }
  }

  /**
   * Plans and writes the orders, again and again for those that lose their loom-days to another
   * matcher (they are planned anew on their lines read again); the others are kept.
   */
  private async pass(ids: readonly string[], final: boolean, givenBack: GivenBack): Promise<PassOutcome[]> {
    const outcomes = new Map<string, PassOutcome>();
    let pending = ids;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new CapacityRaceError();
      // Lines this attempt reserved in memory; if it rolls back they are read again, which undoes that.
      const touched = new Set<string>();
      try {
        // Fresh orders are read without their locks and written by the one settling statement,
        // which checks that nobody wrote them meanwhile: two round trips instead of four (BEGIN,
        // lock, settle, COMMIT). A batch with held work or a style keeps its locks throughout.
        const done = (await this.passOnce(this.db.manager, pending, final, touched, givenBack, false))
          ?? (await this.db.transaction((m) => this.passOnce(m, pending, final, touched, givenBack, true)));
        if (done === undefined) throw new Error('a locked pass gave no outcome');
        // Committed: what a lost style gave back stays given back, and is told when the style is placed.
        for (const [id, released] of done.lostReleases) givenBack.set(id, [...(givenBack.get(id) ?? []), ...released]);
        await this.scheduleExpiry(done.offers);
        for (const [id, outcome] of done.outcomes) outcomes.set(id, outcome);
        pending = pending.filter((id) => !done.outcomes.has(id));
        // Read after the commit, so the lines show what this pass kept as well as what it lost.
        if (pending.length > 0) await this.market.reload(done.lostLines);
      } catch (error) {
        await this.market.reload([...touched]).catch(() => undefined);
        if (isRetryable(error)) continue;
        throw error;
      }
    }
    return ids.map((id) => outcomes.get(id)!);
  }

  /**
   * One attempt: the outcome of every order it settled (the others lost a race or were written
   * meanwhile), the offers made, and the lines to read again. `locked`: in the caller's
   * transaction, the orders locked as they are read; otherwise they are read without locks (on
   * `m`, no transaction) and the attempt answers undefined, having written nothing, when an order
   * holds earlier work or is a style: their plans depend on more than the order's row.
   */
  private async passOnce(
    m: EntityManager,
    ids: readonly string[],
    final: boolean,
    touched: Set<string>,
    givenBack: GivenBack,
    locked: boolean,
  ): Promise<{ outcomes: Map<string, PassOutcome>; offers: { allocationId: string; expiresAt: Date }[]; lostLines: string[]; lostReleases: Map<string, readonly EarlierAllocation[]> } | undefined> {
    const today = this.clock.today();
    // The snapshot's refresh (its own connection) runs while the orders are read.
    const [{ waiting, styles, status }, current] = await Promise.all([this.readWaiting(m, ids, today, locked), final ? undefined : this.market.indexFor([])]);
    if (!locked && (styles.length > 0 || waiting.some((w) => w.order.earlier.length > 0))) return undefined;
    const stageRequests = styles.flatMap((s) => s.chain.stages.map((stage): PlanRequest => ({ ...stage, startDay: s.chain.startDay, endDay: s.chain.endDay })));
    const index = current ?? (await this.market.indexFor([...waiting.map((w) => w.request), ...stageRequests], true));
    const now = this.clock.now();
    // Planned together: each plan is held in memory before the next, and when the batch cannot
    // fit every order that fits alone, it is re-planned in other orders to serve more of it.
    const plans = index.planBatch(waiting.map((w) => w.request));
    for (const plan of plans) if (plan.ok) for (const a of plan.allocations) touched.add(a.lineId);
    const decisions = waiting.map((w, i) => this.decide(w, plans[i]!, today, now, final));
    // Style orders after the batch, on what it left: those under way each in turn, each chain held
    // in memory before the next; then two or more styles never planned, together.
    const fresh = styles.filter((s) => s.order.earlier.length === 0);
    const together = fresh.length >= 2 ? fresh : [];
    for (const s of styles) if (!together.includes(s)) decisions.push(await this.decideStyle(m, s, index, today, now, final, touched, givenBack.get(s.order.id) ?? []));
    if (together.length > 0) decisions.push(...(await this.decideNewStyles(m, together, index, today, now, final, touched)));
    const { raced, changed } = await settleMatches(
      m,
      today,
      decisions.flatMap((d) => d.allocations),
      decisions.flatMap((d) => (d.update ? [d.update] : [])),
      decisions.flatMap((d) => d.events),
      locked ? [] : waiting.map((w) => ({ orderId: w.order.id, version: w.order.version })),
    );
    const lost = new Set([...raced, ...changed]);
    // Counted with the commit (locked) or just after it: what partitioning the matchers saves (ADR 0003) shows in this number.
    // Unlocked, the batch is already committed: a failed count must not send it round again (its
    // orders would come back as skipped and their offers' expiry go unscheduled), so it is only logged.
    if (raced.size > 0) {
      await this.counts.add('match_races_lost', 'orders', raced.size, m).catch((error: unknown) => {
        if (locked) throw error;
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'lost races not counted');
      });
    }
    const kept = decisions.filter((d) => !lost.has(d.orderId));
    for (const d of kept) if (d.outcome.outcome === 'matched') this.logger.log({ orderId: d.orderId, status: d.update?.status }, 'order matched');
    const outcomes = new Map<string, PassOutcome>(kept.map((d) => [d.orderId, d.outcome]));
    for (const id of ids) if (!outcomes.has(id) && !lost.has(id)) outcomes.set(id, { outcome: 'skipped', status: status.get(id) });
    return {
      outcomes,
      offers: kept.flatMap((d) => (d.outcome.outcome === 'matched' ? d.outcome.offers : [])),
      lostLines: [...new Set(decisions.filter((d) => lost.has(d.orderId)).flatMap((d) => d.allocations.map((a) => a.plan.lineId)))],
      lostReleases: new Map(decisions.filter((d) => lost.has(d.orderId) && (d.released?.length ?? 0) > 0).map((d) => [d.orderId, d.released!])),
    };
  }

  /** What a plan means for one order: its allocations, its new status and explanation, its events. */
  private decide({ order, live }: Waiting, plan: PlanResult, today: string, now: Date, final: boolean): Decision {
    if (!plan.ok) {
      if (!final) return { orderId: order.id, outcome: { outcome: 'deferred' }, allocations: [], events: [] };
      assertMatchVerdict(order.status, 'unmatched');
      const explanation: OrderExplanation = {
        summary: plan.reasons[0]?.message ?? 'no feasible plan',
        reasons: plan.reasons.map((r) => ({ code: r.code, message: r.message, lines: r.lines })),
        closestMiss: plan.closestMiss,
        plannedAt: now.toISOString(),
      };
      // An order that holds work is never `unmatched`: it is `partial`, and says how much it holds.
      const held = live.reduce((sum, a) => sum + a.quantity, 0);
      if (held > 0) {
        const produced = live.reduce((sum, a) => sum + a.producedQuantity, 0);
        const remainder = order.quantity - held;
        const partial = { ...explanation, summary: `${held} of ${order.quantity} placed (${produced} produced); the remaining ${remainder} have no plan: ${explanation.summary}` };
        return {
          orderId: order.id,
          outcome: { outcome: 'unmatched' },
          allocations: [],
          update: { orderId: order.id, status: 'partial', explanation: partial },
          events: [{ type: 'order.partial', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id, held, produced, remainder, reasons: explanation.reasons, closestMiss: plan.closestMiss } }],
        };
      }
      return {
        orderId: order.id,
        outcome: { outcome: 'unmatched' },
        allocations: [],
        update: { orderId: order.id, status: 'unmatched', explanation },
        events: [{ type: 'order.unmatched', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id, reasons: explanation.reasons, closestMiss: plan.closestMiss } }],
      };
    }
    const completes = addDays(today, plan.completionDay);
    // What the order costs in all with this plan, against what the brand agreed (§9).
    const price = Math.round((live.reduce((sum, a) => sum + a.price, 0) + plan.totalPrice) * 100) / 100;
    if (priceVerdict(order, price) === 'ask') return this.askBrand(order, price, completes, now);
    const expiresAt = new Date(now.getTime() + this.config.offerTtlSeconds * 1000);
    // A factory with autoAccept takes dispatched work without the offer step.
    const mine = plan.allocations.map((a): NewAllocation => {
      const auto = this.market.autoAccepts(a.factoryId);
      return { id: randomUUID(), orderId: order.id, plan: a, status: auto ? 'accepted' : 'offered', expiresAt: auto ? null : expiresAt };
    });
    const fair = plan.allocations.find((a) => a.fairness !== undefined);
    const confirmed = mine.every((a) => a.status === 'accepted') && live.every((a) => a.status !== 'offered');
    const status = confirmed ? 'confirmed' : 'proposed';
    assertMatchVerdict(order.status, status);
    const brand = order.brandId;
    const events = matchedEvents(order.id, brand, status, mine);
    if (confirmed) events.push({ type: 'order.confirmed', orderId: order.id, audience: [brand], payload: { orderId: order.id } });
    return {
      orderId: order.id,
      outcome: { outcome: 'matched', offers: mine.filter((a) => a.status === 'offered').map((a) => ({ allocationId: a.id, expiresAt })) },
      allocations: mine,
      update: {
        orderId: order.id,
        status,
        explanation: {
          summary: `${mine.length === 1 ? 'whole order on one line' : `split across ${mine.length} lines`}; completes ${completes}, ${daysBetween(completes, order.dueDate)} day(s) before due${fair ? '; a small mill preferred within the fairness margin' : ''}`,
          // Planned in a batch, the order may have given way (later days, other lines, more splits) so that more of it matched.
          ...(plan.notes === undefined ? {} : { notes: plan.notes.map((n) => ({ code: n.code, message: n.message })) }),
          plannedAt: now.toISOString(),
          // Why the best-scored line was set aside, kept with the order for the operator and the brand.
          ...(fair?.fairness ? { fairness: { lineId: fair.lineId, factoryId: fair.factoryId, ...fair.fairness } } : {}),
        },
        // The first complete plan's price is the agreed one (kept where the order has one).
        agreedPrice: price,
      },
      events,
    };
  }

  /**
   * A style order (DESIGN.md §8): its chain planned whole, or, after a slip, continued after the
   * stage that slipped. A slip is a stage come short (a reject, an expiry, a breakdown took part
   * of it), or a stage whose work is forecast to end past its planned end so late that the next
   * stage's work would start before its input arrives (`forecastWork`: the looms' telemetry, else
   * the pace of the progress reports). A short stage's remainder is planned alone when it still
   * ends in time for the later stages' work; otherwise their work not yet started is given back
   * (here, in memory first) and they are planned again after it (`continueChain`, the slipped
   * stage ending when its forecast says), and the brand and the factories concerned are told
   * which stage moved and why. Every stage's allocations are written by the one settling
   * statement, so the chain is held whole or not at all; work running or produced is never moved.
   * `givenBack`: work this order gave back in an attempt that lost its race, told about here.
   */
  private async decideStyle(
    m: EntityManager, { order, live, chain }: StyleWaiting, index: MarketIndex, today: string, now: Date, final: boolean, touched: Set<string>,
    givenBack: readonly EarlierAllocation[],
  ): Promise<Decision> {
    const forecasts = await forecastWork(m, live, today, now);
    const held = heldStagesOf(chain, live, today, forecasts);
    const short = firstShortStage(chain, held);
    const late = short === null ? lateStageOf(chain, live, held, today) : null;
    // Every stage holds its work on time for the next (an approval answered after the work came back, a forecast that recovered).
    if (short === null && late === null) return this.stillOnPlan(order, live, now);
    // The stage that slipped, and the first stage to plan: the short one, or the one after the late one.
    const after = short ?? late!.index;
    const slipped = stageKindOf(chain.stages[after]!.order);
    const why = late === null ? whyTheStageSlipped(order.earlier, slipped) : whyTheStageIsLate(late);
    // Each sewing factory's lines are planned at its own calibrated minutes for the style's category.
    const planner = order.spec.kind === 'garment' ? calibratedSewing(index, await sewingCalibrations(m, order.spec.garment.category)) : index;
    const fit = short === null ? null : fitBeforeLater(chain, held, short, planner);
    let released: EarlierAllocation[] = [];
    let planned: readonly PlannedStage[];
    if (fit) {
      planned = [fit];
    } else {
      released = live.filter((a) => a.stage !== null && stageIndexOf(chain, a.stage) > after && MOVABLE_WORK.has(a.status));
      const cells = await heldCells(m, released.map((a) => a.id));
      for (const c of cells) touched.add(c.lineId);
      shiftCells(index, cells, today, 1);
      const kept = live.filter((a) => !released.includes(a));
      const result = continueChain(chain, heldStagesOf(chain, kept, today, forecasts), short ?? after + 1, planner);
      if (!result.ok) {
        if (!final) {
          shiftCells(index, cells, today, -1);
          return { orderId: order.id, outcome: { outcome: 'deferred' }, allocations: [], events: [] };
        }
        await this.releaseStages(m, released);
        // A stage running past its planned end leads the verdict on every pass, not only the one that found it late.
        const overrun = late ?? overrunStageOf(chain, live, held, today, after);
        const miss = this.chainMiss(order, kept, result, today, now, overrun === null ? undefined : whyTheStageIsLate(overrun).reason);
        return { ...miss, events: [...miss.events, ...this.stagesWaiting(order, [...givenBack, ...released], slipped, why.reason)], released };
      }
      planned = result.stages;
    }
    const decision = await this.placeChain(m, order, live, planned, { slipped, why, late: late !== null }, released, givenBack, today, now);
    for (const a of decision.allocations) {
      touched.add(a.plan.lineId);
      // Held in memory for the next chain of the batch; the settling statement checks the cells again under their locks.
      if (index.has(a.plan.lineId)) index.reserve(a.plan.lineId, a.plan.days.filter((d) => d.day < index.horizon));
    }
    return decision;
  }

  /**
   * Styles no plan has touched yet, planned together (`planChainBatch`): chain by chain, one
   * style can take the only line a later, larger one could sew on while it had another; together,
   * the batch serves at least as many pieces. Each style keeps what it has planned alone: its
   * category's calibrated sewing, its target price as the chain's ceiling, the decision, the
   * explanation and the events of `decideStyle` for a chain planned whole, and the one settling
   * statement (every stage or none).
   */
  private async decideNewStyles(
    m: EntityManager, styles: readonly StyleWaiting[], index: MarketIndex, today: string, now: Date, final: boolean, touched: Set<string>,
  ): Promise<Decision[]> {
    const calibrations = new Map<GarmentCategory, FactoryCalibrations>();
    for (const { order } of styles) {
      if (order.spec.kind === 'garment' && !calibrations.has(order.spec.garment.category)) calibrations.set(order.spec.garment.category, await sewingCalibrations(m, order.spec.garment.category));
    }
    // Every plan comes back held on the index.
    const results = index.planChainBatch(styles.map((s) => s.chain), calibratedSewingByCategory(index, calibrations));
    const decisions: Decision[] = [];
    for (const [i, { order, chain }] of styles.entries()) {
      const result = results[i]!;
      const slipped = stageKindOf(chain.stages[0]!.order);
      if (!result.ok) {
        decisions.push(final ? this.chainMiss(order, [], result, today, now) : { orderId: order.id, outcome: { outcome: 'deferred' }, allocations: [], events: [] });
        continue;
      }
      const decision = await this.placeChain(m, order, [], result.stages, { slipped, why: whyTheStageSlipped([], slipped), late: false }, [], [], today, now);
      for (const stage of result.stages) {
        for (const a of stage.allocations) {
          touched.add(a.lineId);
          // A plan the brand is asked about reserves nothing, in memory neither.
          if (decision.outcome.outcome !== 'matched') index.release(a.lineId, a.days);
        }
      }
      decisions.push(decision);
    }
    return decisions;
  }

  /**
   * A style's planned stages as its decision: asked of the brand when dearer than agreed (nothing
   * reserved), else offered, with the explanation and the events of a chain planned or continued.
   * `released`: later-stage work this attempt gave back; `givenBack`: what an earlier attempt gave
   * back before losing its race. Holding the plan in memory is the caller's.
   */
  private async placeChain(
    m: EntityManager, order: OrderToPlan, live: readonly EarlierAllocation[], planned: readonly PlannedStage[], { slipped, why, late }: StyleSlip,
    released: readonly EarlierAllocation[], givenBack: readonly EarlierAllocation[], today: string, now: Date,
  ): Promise<Decision> {
    // Told about: what this attempt gives back and what an earlier attempt of this job gave back before losing its race.
    const told = [...givenBack, ...released];
    const kept = live.filter((a) => !released.includes(a));
    const completes = addDays(today, Math.max(...planned.map((p) => p.endDay), ...kept.map((a) => daysBetween(today, a.endDate))));
    const price = Math.round((kept.reduce((sum, a) => sum + a.price, 0) + planned.reduce((sum, p) => sum + p.totalPrice, 0)) * 100) / 100;
    if (priceVerdict(order, price) === 'ask') {
      // Nothing is reserved while the brand decides, the later stages' work included.
      await this.releaseStages(m, released);
      const ask = this.askBrand(order, price, completes, now);
      return { ...ask, events: [...ask.events, ...this.stagesWaiting(order, told, slipped, why.reason)], released };
    }
    await this.releaseStages(m, released);
    const expiresAt = new Date(now.getTime() + this.config.offerTtlSeconds * 1000);
    const mine = planned.flatMap((stage) => stage.allocations.map((a): NewAllocation => {
      const auto = this.market.autoAccepts(a.factoryId);
      return { id: randomUUID(), orderId: order.id, plan: a, status: auto ? 'accepted' : 'offered', expiresAt: auto ? null : expiresAt, stage: stage.kind };
    }));
    const confirmed = mine.every((a) => a.status === 'accepted') && kept.every((a) => a.status !== 'offered');
    const status = confirmed ? 'confirmed' : 'proposed';
    assertMatchVerdict(order.status, status);
    const brand = order.brandId;
    const events = matchedEvents(order.id, brand, status, mine);
    for (const stage of planned) {
      const moved = told.filter((a) => a.stage === stage.kind);
      if (stage.kind === slipped || moved.length === 0) continue;
      events.push({
        type: 'order.stage_moved', orderId: order.id,
        audience: [brand, ...moved.map((a) => a.factoryId), ...stage.allocations.map((a) => a.factoryId)],
        payload: { orderId: order.id, stage: stage.kind, after: slipped, ...why, from: windowOf(moved), to: stageWindow(stage, today), released: moved.map((a) => a.id) },
      });
    }
    if (confirmed) events.push({ type: 'order.confirmed', orderId: order.id, audience: [brand], payload: { orderId: order.id } });
    const stagesSaid = planned.map((p) => `${p.kind} ${addDays(today, p.startDay)} to ${addDays(today, p.endDay)}`).join(', ');
    return {
      orderId: order.id,
      outcome: { outcome: 'matched', offers: mine.filter((a) => a.status === 'offered').map((a) => ({ allocationId: a.id, expiresAt })) },
      allocations: mine,
      update: {
        orderId: order.id,
        status,
        explanation: {
          summary: `${live.length === 0 ? 'chain planned' : `chain continued after the ${slipped} stage${late ? ` (${why.reason})` : ''}`}: ${stagesSaid}; ready ${completes}, ${daysBetween(completes, order.dueDate)} day(s) before due`,
          plannedAt: now.toISOString(),
        },
        agreedPrice: price,
      },
      events,
      released,
    };
  }

  /**
   * A style back with the matcher whose every stage holds its work in time for the next: an
   * approval answered after the work came back, or a late forecast that recovered before the
   * re-plan ran. Waiting, it takes its verdict back (confirmed, or proposed while an offer is
   * open) and keeps its plan; in any other status there is nothing to do.
   */
  private stillOnPlan(order: OrderToPlan, live: readonly EarlierAllocation[], now: Date): Decision {
    const skipped: Decision = { orderId: order.id, outcome: { outcome: 'skipped', status: order.status }, allocations: [], events: [] };
    if (order.status !== 'pending' && order.status !== 'matching') return skipped;
    const status = live.some((a) => a.status === 'offered') ? 'proposed' : 'confirmed';
    assertMatchVerdict(order.status, status);
    return { ...skipped, update: { orderId: order.id, status, explanation: { summary: 'every stage holds its work in time for the next: the plan stands', plannedAt: now.toISOString() } } };
  }

  /** Each factory whose later-stage work was given back without a new plan yet is told why. */
  private stagesWaiting(order: OrderToPlan, released: readonly EarlierAllocation[], slipped: AllocationStage, why: string): DomainEvent[] {
    const reason = `${why}; the ${slipped} stage has no plan in time for this one yet`;
    return released.map((a): DomainEvent => ({ type: 'allocation.replanned', orderId: order.id, audience: [order.brandId, a.factoryId], payload: { allocationId: a.id, orderId: order.id, lineId: a.lineId, reason } }));
  }

  /** Gives back a style's later-stage work not yet started (checked moves, one write), before it is planned again. */
  private async releaseStages(m: EntityManager, released: readonly EarlierAllocation[]): Promise<void> {
    if (released.length === 0) return;
    for (const a of released) await releaseAllocation(m, a.id);
    await moveAllocations(m, released, 'cancelled', 'moved after an earlier stage slipped');
  }

  /**
   * No chain reaches the due date: the order says so now, naming the stage no plan reaches, when
   * its input would arrive and that stage's closest miss. Holding work (a stage already placed or
   * produced) it is `partial`, else `unmatched`; tried again when capacity appears.
   */
  private chainMiss(order: OrderToPlan, kept: readonly EarlierAllocation[], result: Extract<ChainResult, { ok: false }>, today: string, now: Date, because?: string): Decision {
    const failedStage = { index: result.failedStage, kind: result.failedKind, inputReadyDate: addDays(today, result.inputReadyDay) };
    const first = result.reasons[0]?.message ?? 'no feasible plan';
    const explanation: OrderExplanation = {
      summary: `${because === undefined ? '' : `${because}: `}no chain reaches the due date: the ${result.failedKind} stage (its input ready ${failedStage.inputReadyDate}) has no plan: ${first}`,
      reasons: result.reasons.map((r) => ({ code: r.code, message: r.message, lines: r.lines })),
      closestMiss: result.closestMiss,
      failedStage,
      plannedAt: now.toISOString(),
    };
    const delivered = kept.filter((a) => a.stage === 'sewing');
    const held = delivered.reduce((sum, a) => sum + a.quantity, 0);
    const status = kept.length > 0 ? 'partial' : 'unmatched';
    assertMatchVerdict(order.status, status);
    const event: DomainEvent = status === 'partial'
      ? {
        type: 'order.partial', orderId: order.id, audience: [order.brandId],
        payload: { orderId: order.id, held, produced: delivered.reduce((sum, a) => sum + a.producedQuantity, 0), remainder: order.quantity - held, reasons: explanation.reasons, closestMiss: result.closestMiss },
      }
      : { type: 'order.unmatched', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id, reasons: explanation.reasons, closestMiss: result.closestMiss } };
    return { orderId: order.id, outcome: { outcome: 'unmatched' }, allocations: [], update: { orderId: order.id, status, explanation }, events: [event] };
  }

  /**
   * A plan above the agreed price (with tolerance) is not offered: the order waits for its brand
   * with the plan's price, date and why the price moved. Nothing is reserved meanwhile (the brand
   * has hours, a factory's capacity would sit idle and unseen): approved, the order is planned
   * again within the approved price; declined or lapsed, it is held to the agreed price.
   */
  private askBrand(order: OrderToPlan, price: number, completes: string, now: Date): Decision {
    assertMatchVerdict(order.status, 'awaiting_approval');
    const agreedPrice = order.agreedPrice ?? 0;
    const why = whyThePriceMoved(order.earlier);
    const expiresAt = new Date(now.getTime() + this.config.approvalTtlSeconds * 1000).toISOString();
    const approval = { price, agreedPrice, completes, ...why, expiresAt };
    return {
      orderId: order.id,
      outcome: { outcome: 'awaiting_approval' },
      allocations: [],
      update: {
        orderId: order.id,
        status: 'awaiting_approval',
        explanation: { summary: `a new plan costs CNY ${price}, above the agreed CNY ${agreedPrice} (${why.reason}); waiting for the brand`, plannedAt: now.toISOString() },
        approval,
      },
      events: [{ type: 'order.awaiting_approval', orderId: order.id, audience: [order.brandId], payload: { orderId: order.id, ...approval } }],
    };
  }

  /**
   * Reads the batch's orders with their earlier allocations in one query, locked (in id order,
   * so two batches never deadlock) or not, and keeps those still waiting, soonest due first.
   */
  private async readWaiting(m: EntityManager, ids: readonly string[], today: string, lock: boolean): Promise<{ waiting: Waiting[]; styles: StyleWaiting[]; status: Map<string, OrderStatus> }> {
    const rows = await (lock ? OrdersRepository.lockForMatching(m, ids) : OrdersRepository.readForMatching(m, ids));
    // Read once per batch (on its transaction): the share moves by at most the batch meanwhile.
    const fairness = await this.fairness.current(m);
    const all = rows.filter((o) => WAITING_ORDER.has(o.status));
    all.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
    const status = new Map(rows.map((o) => [o.id, o.status]));
    const styles = all.flatMap((order): StyleWaiting[] => {
      if (order.style === null) return [];
      const live = order.earlier.filter((a) => LIVE_ALLOCATION.has(a.status));
      const chain = chainRequestOf(termsOfStored({ ...order, style: order.style }), today);
      // Lines that declined or let an offer lapse are not asked again for the same stage.
      const stages = chain.stages.map((stage) => ({
        ...stage,
        excludedLineIds: order.earlier.filter((a) => a.stage === stageKindOf(stage.order) && (a.status === 'rejected' || a.status === 'expired')).map((a) => a.lineId),
      }));
      // The target price is the chain's ceiling until it is first planned; after that, §9's approval holds a dearer plan.
      return [{ order, live, chain: { ...chain, stages, ...chainCeilingOf(order.targetPrice, order.earlier.length === 0) } }];
    });
    const waiting = all.filter((o) => o.style === null);
    return { status, styles, waiting: waiting.map((order) => {
      const live = order.earlier.filter((a) => LIVE_ALLOCATION.has(a.status));
      const excludedLineIds = order.earlier.filter((a) => a.status === 'rejected' || a.status === 'expired').map((a) => a.lineId);
      const request = planRequestOf(order, today, { live, excludedLineIds }, fairness);
      return { order, live, request };
    }) };
  }

  /** After commit; a lost expiry job is recovered by the sweep, which finds offers past their time. */
  private async scheduleExpiry(offers: readonly { allocationId: string; expiresAt: Date }[]): Promise<void> {
    if (offers.length === 0) return;
    try {
      await this.jobs.expireOffers(offers, this.clock.now());
    } catch (error) {
      this.logger.warn({ offers: offers.length, err: error instanceof Error ? error.message : String(error) }, 'expiry enqueue failed');
    }
  }
}

/** What a match tells: the order matched (brand and every factory in it), and an offer to each factory; a style's allocations name their stage. */
function matchedEvents(orderId: string, brand: string, status: 'proposed' | 'confirmed', mine: readonly NewAllocation[]): DomainEvent[] {
  const stageOf = (a: NewAllocation): { stage?: NewAllocation['stage'] } => (a.stage === undefined ? {} : { stage: a.stage });
  return [
    {
      type: 'order.matched', orderId, audience: [brand, ...mine.map((a) => a.plan.factoryId)],
      payload: { orderId, status, allocations: mine.map((a) => ({ id: a.id, factoryId: a.plan.factoryId, lineId: a.plan.lineId, quantity: a.plan.quantity, status: a.status, ...stageOf(a) })) },
    },
    ...mine.map((a): DomainEvent => ({ type: 'offer.created', orderId, audience: [brand, a.plan.factoryId], payload: { allocationId: a.id, orderId, factoryId: a.plan.factoryId, quantity: a.plan.quantity, status: a.status, ...stageOf(a) } })),
  ];
}
