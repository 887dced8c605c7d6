import type { AlertPayload, ChainStageKind } from './events';
import type { FabricSpec, GarmentSpec, ScoreParts } from '@cloudloom/matching';

/**
 * The API's view shapes as they travel (JSON: dates as ISO strings), one source for both sides:
 * the server's view classes `implement` them (so a field the server drops or retypes does not
 * compile) and the console reads responses as them.
 */

export type OrganizationKind = 'brand' | 'factory' | 'operator';

/** What a line's rate, and so a price made on it, pays for (DESIGN.md §9): processing only, or the yarn too. */
export const PRICE_COVERS = ['processing', 'yarn_included'] as const;
export type PriceCovers = (typeof PRICE_COVERS)[number];

/** What a price per unit is per: a meter of fabric (woven or finished) or a sewn piece. */
export type PriceUnit = 'meter' | 'piece';

/**
 * A band of the market's rates (`GET /market/rates`, DESIGN.md §9): quartiles of active lines'
 * `ratePerUnit` of one kind of line, machine type, sewing category or finishing process, in a
 * city or, when the city has too few such lines to say, across the market.
 */
export interface MarketRates {
  kind: 'weaving' | 'sewing' | 'finishing';
  machineType?: string;
  category?: string;
  process?: string;
  /** The city asked for; null when the band is the whole market's (none asked, or too few lines there). */
  city: string | null;
  /** What the rates are per: 1,000 weft picks, a standard minute or a meter. */
  rateUnit: 'picks_1000' | 'minute' | 'meter';
  /** Lines in the band; the quartiles are null when it is 0. */
  n: number;
  p25: number | null;
  median: number | null;
  p75: number | null;
}

/** How a brand reaches a mill about its work: each part optional. */
export interface FactoryContacts {
  /** who answers, e.g. 李伟 (dispatcher) */
  name?: string;
  phone?: string;
  wechat?: string;
}

export interface Organization {
  id: string;
  kind: OrganizationKind;
  name: string;
  city: string | null;
  province: string | null;
  certifications: string[];
  autoAccept: boolean;
  verified: boolean;
  /** Factories: their contacts (GET /me; brands see them only where the factory has taken their work, GET /counterparties). */
  contacts?: FactoryContacts;
  /** Brands: counters at most this much (percent) above an offer's price are accepted for it without asking (docs/terms.md). */
  counterTolerancePct?: number;
  /** Brands: ... and at most this many days after the offer's end date. */
  counterToleranceDays?: number;
}

export interface Allocation {
  id: string;
  orderId: string;
  factoryId: string;
  lineId: string;
  quantity: number;
  demand: number;
  startDate: string;
  endDate: string;
  status: string;
  expiresAt?: string;
  score: number;
  scoreParts: ScoreParts;
  price: number;
  /** CNY per unit (`price / quantity`): per meter of fabric, per sewn piece. */
  pricePerUnit: number;
  unit: PriceUnit;
  /** What the price pays for, as the line declared it when the offer was made. */
  priceCovers: PriceCovers;
  producedQuantity: number;
  /** On a rejected allocation: why the factory said no (its brand and the factory itself see it; no other factory does). */
  rejectReason?: { code: string; note?: string };
  /** Who last answered the offer (accepted, rejected or countered it): `person:<id>`, `key:<id>`, or null for the platform; absent while unanswered. */
  answeredBy?: string | null;
  /** A garment order's sizes: this allocation's pieces per size (they sum to its quantity). */
  sizes?: SizeCount[];
  /** The factory's latest counteroffer on this offer, whatever became of it (its brand and the factory see it). */
  counter?: Counter;
  /** A style order's allocation: the stage of the chain it belongs to. */
  stage?: ChainStageKind;
  /** A later stage's offer: when its input (the previous stage's work) arrives at the earliest, and from where. */
  input?: StageInput;
}

/** Why an offer was not accepted: gone (another organization's or unknown), run out, already accepted, rejected, or withdrawn (its order or the offer was cancelled). */
export const ACCEPT_REFUSALS = ['not_found', 'expired', 'taken', 'rejected', 'withdrawn'] as const;
export type AcceptRefusal = (typeof ACCEPT_REFUSALS)[number];

/** One offer of a bulk accept (POST /offers/accept): accepted, with the offer as it is now, or refused and why. */
export type OfferAcceptOutcome =
  | { id: string; outcome: 'accepted'; offer: Allocation }
  | { id: string; outcome: 'refused'; reason: AcceptRefusal; detail: string };

/** The answer to a bulk accept, in the order the ids were sent. */
export interface BulkAccept {
  items: OfferAcceptOutcome[];
  accepted: number;
  refused: number;
}

/** A factory's answer to an offer with terms of its own (DESIGN.md §9). */
export interface Counter {
  id: string;
  /** CNY for the allocation; absent: the offer's price stands. */
  price?: number;
  /** absent: the offer's end date stands */
  endDate?: string;
  note?: string;
  offerPrice: number;
  offerEndDate: string;
  status: 'open' | 'accepted' | 'declined' | 'lapsed' | 'withdrawn';
  /** on an accepted counter: the brand, or its standing tolerance */
  acceptedBy?: 'brand' | 'tolerance';
  createdAt: string;
  answeredAt?: string;
}

/** One message of an offer's conversation. */
export interface OfferMessage {
  id: string;
  allocationId: string;
  orderId: string;
  from: 'brand' | 'factory';
  /** who wrote it: person:<id>, key:<id> */
  author: string | null;
  body: string;
  createdAt: string;
}

/** Where a later stage's input comes from: the previous stage's last day plus transit, and the places it is made. */
export interface StageInput {
  readyDate: string;
  from: { city: string | null; province: string | null }[];
}

/** Pieces of one size. */
export interface SizeCount {
  size: string;
  quantity: number;
}

export interface Explanation {
  summary: string;
  reasons?: readonly { code: string; message: string; lines: number }[];
  closestMiss?: { coveredFraction: number; coveredQuantity: number; linesConsidered: number; cheapestPrice?: number };
  /** A style order no chain reaches: the first stage without a plan and when its input would arrive. */
  failedStage?: { index: number; kind: ChainStageKind; inputReadyDate: string };
  /** On a matched order: `PREFERENCE_YIELDED_TO_BATCH` when its plan gave way so that more of its batch could be matched. */
  notes?: readonly { code: string; message: string }[];
  plannedAt: string;
}

/** A reason and how close the best plan came, as an instant quote without a plan answers them. */
interface QuoteMiss {
  reasons: { code: string; message: string }[];
  closestMiss: { coveredFraction: number; coveredQuantity: number; cheapestPrice?: number };
}

/** `POST /quotes` for a fabric or garment order: nothing reserved, only what posting now would give. */
export type Quote = { quantity: number; dueDate: string; quotedAt: string } & (
  | {
    feasible: true; earliestCompletion: string; slackDays: number; price: number; pricePerUnit: number; unit: PriceUnit;
    priceCovers: PriceCovers | 'mixed'; currency: 'CNY'; withinTargetPrice: boolean | null; splits: number; factories: number;
  }
  | ({ feasible: false } & QuoteMiss)
);

/** One stage of a quoted style chain: what it makes, on how many lines, when, and its part of the price. */
export interface StyleQuoteStage {
  kind: ChainStageKind;
  quantity: number;
  unit: 'meters' | 'pieces';
  lines: number;
  factories: number;
  inputReadyDate: string;
  startDate: string;
  endDate: string;
  price: number;
  pricePerUnit: number;
  priceCovers: PriceCovers | 'mixed';
}

/** `POST /quotes` for a style: one ready date and one price with each stage's part, or the stage no chain reaches. */
export type StyleQuote = { kind: 'style'; quantity: number; dueDate: string; quotedAt: string } & (
  | { feasible: true; readyDate: string; slackDays: number; price: number; pricePerUnit: number; currency: 'CNY'; withinTargetPrice: boolean | null; stages: StyleQuoteStage[] }
  | ({ feasible: false; failedStage: { index: number; kind: ChainStageKind; inputReadyDate: string } } & QuoteMiss)
);

/** One stage of a style order's chain as its brand follows it (DESIGN.md §8). */
export interface OrderStage {
  kind: ChainStageKind;
  quantity: number;
  unit: 'meters' | 'pieces';
  /** unplanned: holds nothing; short: holds part; offered: placed, some offers open; accepted; in_production; produced. */
  status: 'unplanned' | 'short' | 'offered' | 'accepted' | 'in_production' | 'produced';
  /** The first and last day of the work the stage holds; null while it holds none. */
  startDate: string | null;
  endDate: string | null;
  /** The earliest day its input arrives: the previous stage's last day plus transit (the order's start for the first stage). */
  inputReadyDate: string | null;
  allocations: Allocation[];
  /** Offers of this stage by answer. */
  offers: { open: number; accepted: number; rejected: number; expired: number };
  progress: { producedQuantity: number; quantity: number };
  /** Why the stage stands where it does, when the order's explanation is about it. */
  explanation?: string;
}

export interface Order {
  id: string;
  brandId: string;
  kind: 'fabric' | 'garment' | 'style';
  status: string;
  /** What the status means for this order now, in words: what it holds, what is still sought, what happens at its due date. */
  outlook: string;
  fabric?: FabricSpec;
  garment?: GarmentSpec;
  quantity: number;
  earliestStart: string;
  dueDate: string;
  maxSplits: number;
  certifications: string[];
  targetPrice?: number;
  /** CNY for the whole order: its target price, or its first complete plan's price, or the last price the brand approved. */
  agreedPrice?: number;
  /** What the per-unit prices are per: meters (fabric) or pieces (garment). */
  unit: PriceUnit;
  /** The target and agreed prices per unit (the whole order's price over its quantity). */
  targetPricePerUnit?: number;
  agreedPricePerUnit?: number;
  /** How far above the agreed price a later plan may go without the brand, in percent. */
  priceTolerancePct: number;
  /** While `awaiting_approval`: the new plan's price (whole order), completion, why it moved and until when the brand may answer. */
  approval?: { price: number; agreedPrice: number; pricePerUnit: number; agreedPricePerUnit: number; completes: string; reason: string; expiresAt: string };
  /** Garment orders: pieces per size, summing to quantity. */
  sizes?: SizeCount[];
  allocations: Allocation[];
  /** Style orders: the fabric side of the chain, as posted with defaults filled. */
  style?: { fabric: FabricSpec; fabricPerPieceM: number; wastagePct: number; finishing?: { process: string }; transitDays: number };
  /** Style orders: each stage of the chain, weaving to sewing. */
  stages?: OrderStage[];
  /** What the brand follows; forecasts come from the looms' reported rate where they report. */
  progress?: { producedQuantity: number; quantity: number; expectedCompletion: string | null; forecastCompletion: string | null; onTimeRisk: 'low' | 'medium' | 'high' | null };
  explanation: Explanation | null;
  createdAt: string;
  updatedAt: string;
  /** The order's latest event and who caused it (`person:<id>`, `key:<id>`, `operator`, or null for the platform). */
  lastChange?: { type: string; at: string; by: string | null };
}

export interface Line {
  id: string;
  name: string;
  kind: 'weaving' | 'sewing' | 'finishing';
  machineType?: string;
  machines?: number;
  rpm?: number;
  maxWidthCm?: number;
  operators?: number;
  categories?: readonly string[];
  fabricTypes?: readonly string[];
  processes?: readonly string[];
  metersPerDay?: number;
  minBatchM?: number;
  ratePerUnit: number;
  priceCovers: PriceCovers;
  dailyCapacity: number;
  capacityUnit: 'picks' | 'minutes' | 'meters';
  active: boolean;
}

export interface Match {
  allocationId: string;
  orderId: string;
  orderKind: 'fabric' | 'garment';
  orderStatus: string;
  brandName: string;
  factoryId: string;
  factoryName: string;
  factoryCity: string | null;
  lineName: string;
  quantity: number;
  status: string;
  score: number;
  price: number;
  startDate: string;
  endDate: string;
  matchedAt: string;
  secondsToMatch: number;
}

export interface Share {
  key: string;
  reserved: number;
  capacity: number;
  ratio: number;
}

export interface Stats {
  orders: { byStatus: Record<string, number>; total: number };
  fillRate: number | null;
  offers: { byStatus: Record<string, number>; acceptanceRate: number | null };
  timeToMatch: { count: number; p50Seconds: number | null; p95Seconds: number | null; histogram: { le: number | null; count: number }[] };
  utilization: { days: number; byMachineType: Share[]; byCluster: Share[] };
  /** Small mills: at most 50 looms and at most 30 operators. Gini of processing value over factories. */
  fairness: { factories: number; smallMills: number; smallMillOrderShare: number | null; smallMillValueShare: number | null; gini: number | null };
}

export interface FactoryLoad {
  id: string;
  name: string;
  city: string | null;
  province: string | null;
  verified: boolean;
  active: boolean;
  autoAccept: boolean;
  certifications: string[];
  lines: { id: string; name: string; kind: 'weaving' | 'sewing' | 'finishing'; machineType: string; dailyCapacity: number; active: boolean; load: (number | null)[]; open: (number | null)[] }[];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A page of each list (by id); `nextCursor` fetches the next page of both, absent on the last. */
export interface BrandCounterparties {
  /** `contacts` once the factory has taken some of the brand's work, else null. */
  factories: { id: string; name: string; city: string | null; province: string | null; contacts: FactoryContacts | null }[];
  lines: { id: string; name: string; kind: 'weaving' | 'sewing' | 'finishing'; machineType: string }[];
  nextCursor?: string;
}

/** A page of each list (by id); `nextCursor` fetches the next page of both, absent on the last. */
export interface FactoryCounterparties {
  brands: { id: string; name: string; city: string | null }[];
  orders: { id: string; brandId: string; kind: 'fabric' | 'garment'; spec: { fabric?: FabricSpec; garment?: GarmentSpec }; quantity: number; dueDate: string }[];
  nextCursor?: string;
}

/** A numbered page of a searched list, with how many match in all (GET /orders, GET /market/orders). */
export interface NumberedPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** One event of an order's history, oldest first (GET /orders/{id}/history). */
export interface OrderEvent {
  id: string;
  type: string;
  at: string;
  /** person:<id>, key:<id>, operator, or null for the platform. */
  by: string | null;
  payload: Record<string, unknown>;
}

/** GET /market/unmatched: the orders without a plan, grouped by the planner's reason. */
export interface UnmatchedByReason {
  /** Orders unmatched or partial now (an order with two reasons counts in both groups, once here). */
  total: number;
  items: { code: string; orders: number; soonestDue: string; orderIds: string[] }[];
}

export interface MarketOrder {
  id: string;
  kind: 'fabric' | 'garment';
  status: string;
  spec: { fabric?: FabricSpec; garment?: GarmentSpec };
  quantity: number;
  earliestStart: string;
  dueDate: string;
  brandId: string;
  brandName: string;
  allocations: number;
  explanation: Explanation | null;
  createdAt: string;
}

/** GET /market/forecast: per cluster and segment (loom type or garment category), per coming day. */
export interface CapacityForecastDay {
  date: string;
  capacity: number;
  booked: number;
  free: number;
  demand: number;
}

export interface CapacityForecastRow {
  cluster: string;
  kind: 'weaving' | 'sewing';
  segment: string;
  unit: 'picks' | 'minutes';
  lines: number;
  days: CapacityForecastDay[];
}

/** A cluster's weaving or sewing side at a glance: who is there and how fast work comes back. */
export interface CapacityForecastCluster {
  cluster: string;
  kind: 'weaving' | 'sewing';
  /** Verified, active factories with an active line of this kind. */
  mills: number;
  lines: number;
  /** Looms (weaving) or operators (sewing) on those lines. */
  machines: number;
  /** Median days from an order's posting to the end date of its work here, over the history window; null without work. */
  leadTimeDays: number | null;
}

export interface CapacityForecast {
  from: string;
  days: number;
  historyDays: number;
  method: string;
  items: CapacityForecastRow[];
  clusters: CapacityForecastCluster[];
}

/** GET /alerts: open first, then cleared within the last day. */
export interface AlertList {
  items: (AlertPayload & { clearedAt: string | null })[];
}

/** One bucket of GET /market/history: the market-wide figures of an hour or a UTC day. */
export interface MarketHistoryBucket {
  at: string;
  /** Hours the bucket covers (1 for an hour; up to 24 for a day). */
  hours: number;
  ordersPosted: number;
  ordersMatched: number;
  /** Orders first matched in the bucket over orders posted in it; null when none were posted. */
  fillRate: number | null;
  meanTimeToMatchSeconds: number | null;
  offersAnswered: number;
  offersAccepted: number;
  acceptance: number | null;
  unmatched: { reason: string; orders: number }[];
}

/** A cluster × loom type (or `sewing`) over the buckets: load ahead and looms down. */
export interface MarketHistorySegment {
  cluster: string;
  segment: string;
  points: { at: string; booked7d: number; capacity7d: number; bookedShare: number | null; loomsDown: number; loomsReporting: number }[];
}

/** GET /market/history: the hourly or daily rollups between two instants. */
export interface MarketHistory {
  granularity: 'hour' | 'day';
  from: string;
  to: string;
  buckets: MarketHistoryBucket[];
  segments: MarketHistorySegment[];
}
