import type { PlanRequest, PlanResult } from './types';

/** What the batch's improvement phase needs to know of a line to price and score an allocation on it. */
export interface LineFacts {
  readonly factoryId: string;
  readonly rate: number;
  readonly record: number;
  readonly load: number;
  /** The least quantity one split on the line may take (sewing moq, dye vat minimum; 0 for weaving). */
  readonly minimum: number;
}

/** What batch planning needs of a market: plan one order, take a plan's capacity, give it back. */
export interface BatchMarket {
  plan(request: PlanRequest): PlanResult;
  /** Whether `plan` would match the order, without the cost of explaining a miss. */
  fits(request: PlanRequest): boolean;
  reservePlan(result: PlanResult): void;
  releasePlan(result: PlanResult): void;
  /** Whether the line may serve this order at all (capability, certification, factory, exclusion). */
  canServe(lineId: string, request: PlanRequest): boolean;
  /** The lowest positive rate among the lines that may serve the order (0 if none): what its price part is measured against. */
  cheapestRate(request: PlanRequest): number;
  lineFacts(lineId: string): LineFacts | undefined;
  /** Every line that may serve the order (as `canServe` says), in lineId order. */
  linesFor(request: PlanRequest): readonly string[];
  /** Free units of the line on the day (0 outside the horizon or on a closed day). */
  freeOn(lineId: string, day: number): number;
  /** Days of capacity the market holds. */
  readonly horizon: number;
  /** Planning work done so far, in lines visited; deterministic, so the batch budgets by it. */
  work(): number;
}

/**
 * The market as one batch sees it: every reservation and release the batch makes is kept in
 * sequence, so the batch can tell whether capacity an order could use moved since its plan.
 * A plan depends only on the lines the order could use (their free days and their load), so an
 * order whose lines nothing touched since would be planned, and explained, exactly the same.
 */
export class BatchJournal {
  private readonly moves: PlanResult[] = [];
  private readonly plannedAt = new WeakMap<PlanResult, number>();
  private readonly servable = new Map<PlanRequest, Map<string, boolean>>();

  constructor(private readonly market: BatchMarket) {}

  work(): number {
    return this.market.work();
  }

  get horizon(): number {
    return this.market.horizon;
  }

  freeOn(lineId: string, day: number): number {
    return this.market.freeOn(lineId, day);
  }

  cheapestRate(request: PlanRequest): number {
    return this.market.cheapestRate(request);
  }

  lineFacts(lineId: string): LineFacts | undefined {
    return this.market.lineFacts(lineId);
  }

  linesFor(request: PlanRequest): readonly string[] {
    return this.market.linesFor(request);
  }

  plan(request: PlanRequest): PlanResult {
    const result = this.market.plan(request);
    this.plannedAt.set(result, this.moves.length);
    return result;
  }

  fits(request: PlanRequest): boolean {
    return this.market.fits(request);
  }

  reserve(result: PlanResult): void {
    if (!result.ok) return;
    this.market.reservePlan(result);
    this.moves.push(result);
  }

  release(result: PlanResult): void {
    if (!result.ok) return;
    this.market.releasePlan(result);
    this.moves.push(result);
  }

  /** Whether the line may serve the order; asked often for the same few pairs, so remembered. */
  canServe(lineId: string, request: PlanRequest): boolean {
    let known = this.servable.get(request);
    if (known === undefined) this.servable.set(request, (known = new Map<string, boolean>()));
    let can = known.get(lineId);
    if (can === undefined) known.set(lineId, (can = this.market.canServe(lineId, request)));
    return can;
  }

  /** Whether any reservation or release since `result` was planned touched a line `request` could use. */
  movedSince(result: PlanResult, request: PlanRequest): boolean {
    const since = this.plannedAt.get(result);
    if (since === undefined) return true;
    for (let m = since; m < this.moves.length; m++) {
      const move = this.moves[m];
      if (move?.ok && move.allocations.some((a) => this.canServe(a.lineId, request))) return true;
    }
    return false;
  }
}

/** Work left to spend, in lines visited; a step already begun finishes, so a batch may overrun by one step. */
export class Budget {
  private readonly until: number;
  constructor(private readonly journal: BatchJournal, work: number) {
    this.until = journal.work() + work;
  }

  left(): number {
    return this.until - this.journal.work();
  }
}
