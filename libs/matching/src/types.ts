/**
 * The vocabulary of the matcher: capacity in, plan out. Plain data, no framework.
 *
 * Time is counted in whole days from the start of the capacity horizon (day 0 =
 * the horizon's first date). The persistence layer translates dates to day indexes,
 * so the planner never parses a date and stays deterministic.
 */

export const MACHINE_TYPES = ['air_jet', 'water_jet', 'rapier', 'projectile', 'jacquard'] as const;
export type MachineType = (typeof MACHINE_TYPES)[number];

export const FIBERS = ['cotton', 'polyester', 'nylon', 'viscose', 'blend', 'wool', 'silk', 'linen'] as const;
export type Fiber = (typeof FIBERS)[number];

export const WEAVES = ['plain', 'twill', 'satin', 'dobby', 'jacquard'] as const;
export type Weave = (typeof WEAVES)[number];

export const GARMENT_CATEGORIES = [
  'tshirt', 'polo', 'shirt', 'dress', 'skirt', 'trousers', 'jeans', 'jacket', 'coat', 'sportswear', 'underwear',
] as const;
export type GarmentCategory = (typeof GARMENT_CATEGORIES)[number];

export const FABRIC_TYPES = ['knit', 'woven'] as const;
export type FabricType = (typeof FABRIC_TYPES)[number];

/** What a dye house or finishing mill does to woven fabric (a line lists the ones it runs). */
export const FINISHING_PROCESSES = ['dyeing', 'printing', 'finishing', 'washing', 'coating'] as const;
export type FinishingProcess = (typeof FINISHING_PROCESSES)[number];

export interface WeavingLineSpec {
  readonly kind: 'weaving';
  readonly machineType: MachineType;
  readonly machines: number;
  readonly rpm: number;
  readonly efficiency: number;
  readonly hoursPerDay: number;
  readonly maxWidthCm: number;
  /** A line may narrow what its machine can weave, never widen it. Absent = all the machine can. */
  readonly fibers?: readonly Fiber[];
}

export interface SewingLineSpec {
  readonly kind: 'sewing';
  readonly operators: number;
  readonly minutesPerDay: number;
  readonly efficiency: number;
  readonly categories: readonly GarmentCategory[];
  readonly fabricTypes: readonly FabricType[];
  readonly moq: number;
}

/**
 * A dye house or finishing line: fabric runs through it in meters. A vat or a printing table
 * takes a minimum batch (`minBatchM`, the finishing counterpart of a sewing line's moq), and the
 * stenter frame that dries and sets the fabric bounds its width (`maxWidthCm`).
 */
export interface FinishingLineSpec {
  readonly kind: 'finishing';
  readonly processes: readonly FinishingProcess[];
  readonly metersPerDay: number;
  readonly minBatchM: number;
  readonly maxWidthCm: number;
}

export type LineSpec = WeavingLineSpec | SewingLineSpec | FinishingLineSpec;
export type LineKind = LineSpec['kind'];
export const LINE_KINDS = ['weaving', 'sewing', 'finishing'] as const satisfies readonly LineKind[];

export interface FabricSpec {
  readonly fiber: Fiber;
  readonly weave: Weave;
  readonly widthCm: number;
  readonly picksPerCm: number;
}

export interface GarmentSpec {
  readonly category: GarmentCategory;
  readonly fabricType: FabricType;
  /** Standard minutes per piece: as sent, or the typical figure of `samEstimate`. */
  readonly samMinutes: number;
  /** When the brand sent a construction spec instead of minutes: its features and the estimate's range (sam/estimate.ts). */
  readonly samEstimate?: { readonly features: Readonly<Record<string, number>>; readonly range: readonly [low: number, high: number] };
}

export interface FinishingSpec {
  readonly process: FinishingProcess;
  readonly widthCm: number;
}

/** What a brand orders on its own: fabric or garments. */
export type OrderSpec =
  | { readonly kind: 'fabric'; readonly fabric: FabricSpec }
  | { readonly kind: 'garment'; readonly garment: GarmentSpec };

/**
 * What one planning request makes: an order's product, or a stage of a style order, which may
 * also be finishing (dyeing, printing ...) of fabric woven by another stage (see chain.ts).
 */
export type ProductSpec = OrderSpec | { readonly kind: 'finishing'; readonly finishing: FinishingSpec };

/** What the planner knows of one line: its spec, its owner and its free capacity per day. */
export interface CandidateLine {
  readonly lineId: string;
  readonly factoryId: string;
  readonly spec: LineSpec;
  /** CNY per 1,000 picks (weaving), per standard minute (sewing) or per meter (finishing). */
  readonly ratePerUnit: number;
  readonly certifications: readonly string[];
  readonly factoryVerified: boolean;
  readonly factoryActive: boolean;
  /**
   * The factory's record, 0..1 each; a new factory starts at a neutral prior. `responseScore`
   * rates how fast it answers offers (1 instant, 0 as late as an offer lives); absent, the record
   * is the two rates alone.
   */
  readonly record: { readonly onTimeRate: number; readonly acceptanceRate: number; readonly responseScore?: number };
  /** Share of the line's horizon capacity already reserved, 0..1 (for load spread). */
  readonly load: number;
  /** Free capacity units per day index (day 0 = horizon start). Integers. */
  readonly free: ArrayLike<number>;
}

export interface PlanRequest {
  readonly order: ProductSpec;
  /** Meters (fabric, finishing) or pieces (garment), a positive integer. */
  readonly quantity: number;
  /** Inclusive day indexes of the production window [earliestStart, dueDate]. */
  readonly startDay: number;
  readonly endDay: number;
  readonly maxSplits: number;
  readonly minSplitQuantity?: number;
  readonly certifications?: readonly string[];
  /** Lines that rejected or let an offer of this order expire: never planned again. */
  readonly excludedLineIds?: readonly string[];
  /**
   * A hard ceiling on what this request may cost, CNY for its quantity: the brand's target price
   * (or the agreed price it declined to exceed) less what the order already holds. A line whose
   * rate alone would price the request above it is not used, nor is a plan above it; a miss
   * caused by price alone says so (`PRICE_ABOVE_TARGET` or `PRICE_ABOVE_AGREED`, after `source`).
   */
  readonly priceCeiling?: PriceCeiling;
  /** Absent = no fairness policy: the plan is the best-scored one, as always. */
  readonly fairness?: FairnessPolicy;
}

export interface PriceCeiling {
  readonly price: number;
  readonly source: 'target' | 'agreed';
}

/**
 * The optional fairness policy (DESIGN.md §12, issue 20): among whole-order plans, one at a small
 * mill whose score is within `margin` of the best is preferred, while small mills hold less than
 * `targetShare` of the orders. The market supplies the facts as data (which factories are small,
 * the share over its rolling window), so the planner stays pure. It only chooses among plans the
 * hard rules already admit, and never a split plan over a whole-order one.
 */
export interface FairnessPolicy {
  /** Factories that count as small mills (≤ 50 looms and ≤ 30 operators). */
  readonly smallFactoryIds: ReadonlySet<string>;
  /** How far below the best score a small mill's plan may be, as a share of it (0.02 = 2 %). */
  readonly margin: number;
  /** Small mills' share of the orders over the market's rolling window, now. */
  readonly currentShare: number;
  /** The share the policy works up to; at or above it the policy stands aside. */
  readonly targetShare: number;
}

/** Why the fairness policy chose this allocation: the plan it set aside and their scores. */
export interface FairnessChoice {
  readonly preferredOverLineId: string;
  readonly preferredOverFactoryId: string;
  readonly bestScore: number;
  readonly chosenScore: number;
}

export interface DayReservation {
  readonly day: number;
  readonly units: number;
}

export interface ScoreParts {
  readonly splits: number;
  readonly slack: number;
  readonly price: number;
  readonly record: number;
  readonly loadSpread: number;
}

export interface PlannedAllocation {
  readonly lineId: string;
  readonly factoryId: string;
  /** Meters or pieces. */
  readonly quantity: number;
  /** Capacity units: sum of `days[].units`. */
  readonly demand: number;
  /** Ascending by day; each units <= the line's free capacity that day. */
  readonly days: readonly DayReservation[];
  readonly startDay: number;
  readonly endDay: number;
  /** CNY: demand x ratePerUnit (per 1,000 picks for weaving). */
  readonly price: number;
  readonly score: number;
  readonly scoreParts: ScoreParts;
  /** Present only when the fairness policy chose this line over a better-scored one. */
  readonly fairness?: FairnessChoice;
}

export const REASON_CODES = [
  'NO_CAPABLE_LINE',
  'WIDTH_EXCEEDS_MAX',
  'FIBER_NOT_SUPPORTED',
  'WEAVE_NOT_SUPPORTED',
  'CATEGORY_NOT_SUPPORTED',
  'FABRIC_TYPE_NOT_SUPPORTED',
  'PROCESS_NOT_SUPPORTED',
  'CERTIFICATION_MISSING',
  'FACTORY_NOT_VERIFIED',
  'BELOW_MOQ',
  'WINDOW_OUTSIDE_HORIZON',
  'INSUFFICIENT_CAPACITY_BEFORE_DUE',
  'TOO_MANY_SPLITS_NEEDED',
  'PRICE_ABOVE_TARGET',
  'PRICE_ABOVE_AGREED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface UnmatchedReason {
  readonly code: ReasonCode;
  /** One sentence a merchandiser can read, e.g. "no line weaves cotton at 280 cm". */
  readonly message: string;
  /** How many candidate lines this reason ruled out (0 for plan-level reasons). */
  readonly lines: number;
}

/** Notes on a matched plan; today only one: a preference gave way so that more of the batch could be matched. */
export const PLAN_NOTE_CODES = ['PREFERENCE_YIELDED_TO_BATCH'] as const;
export type PlanNoteCode = (typeof PLAN_NOTE_CODES)[number];

export interface PlanNote {
  readonly code: PlanNoteCode;
  /** One sentence a merchandiser can read, e.g. "completes on day 9 instead of day 6 ...". */
  readonly message: string;
}

export interface ClosestMiss {
  /** Share of the order the best feasible plan covers by the due date, 0..1. */
  readonly coveredFraction: number;
  readonly coveredQuantity: number;
  readonly linesConsidered: number;
  /** When price was the reason: the cheapest feasible plan the planner found, CNY for the request. */
  readonly cheapestPrice?: number;
}

export type PlanResult =
  | {
      readonly ok: true;
      readonly allocations: readonly PlannedAllocation[];
      readonly totalDemand: number;
      readonly totalPrice: number;
      readonly completionDay: number;
      /** Present only when planning the order in a batch moved it off the plan it would get alone (ADR 0002). */
      readonly notes?: readonly PlanNote[];
    }
  | {
      readonly ok: false;
      readonly reasons: readonly UnmatchedReason[];
      readonly closestMiss: ClosestMiss;
    };
