import type { AlertPayload } from './events';
import type { FabricSpec, GarmentSpec, ScoreParts } from '@cloudloom/matching';

/**
 * The API's view shapes as they travel (JSON: dates as ISO strings), one source for both sides:
 * the server's view classes `implement` them (so a field the server drops or retypes does not
 * compile) and the console reads responses as them.
 */

export type OrganizationKind = 'brand' | 'factory' | 'operator';

export interface Organization {
  id: string;
  kind: OrganizationKind;
  name: string;
  city: string | null;
  province: string | null;
  certifications: string[];
  autoAccept: boolean;
  verified: boolean;
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
  producedQuantity: number;
  /** On a rejected allocation: why the factory said no (its brand and the factory itself see it; no other factory does). */
  rejectReason?: { code: string; note?: string };
  /** Who accepted or rejected the offer: `person:<id>`, `key:<id>`, or null for the platform; absent while unanswered. */
  answeredBy?: string | null;
  /** A garment order's sizes: this allocation's pieces per size (they sum to its quantity). */
  sizes?: SizeCount[];
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
  plannedAt: string;
}

export interface Order {
  id: string;
  brandId: string;
  kind: 'fabric' | 'garment';
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
  /** How far above the agreed price a later plan may go without the brand, in percent. */
  priceTolerancePct: number;
  /** While `awaiting_approval`: the new plan's price (whole order), completion, why it moved and until when the brand may answer. */
  approval?: { price: number; agreedPrice: number; completes: string; reason: string; expiresAt: string };
  /** Garment orders: pieces per size, summing to quantity. */
  sizes?: SizeCount[];
  allocations: Allocation[];
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
  factories: { id: string; name: string; city: string | null; province: string | null }[];
  lines: { id: string; name: string; kind: 'weaving' | 'sewing' | 'finishing'; machineType: string }[];
  nextCursor?: string;
}

/** A page of each list (by id); `nextCursor` fetches the next page of both, absent on the last. */
export interface FactoryCounterparties {
  brands: { id: string; name: string; city: string | null }[];
  orders: { id: string; brandId: string; kind: 'fabric' | 'garment'; spec: { fabric?: FabricSpec; garment?: GarmentSpec }; quantity: number; dueDate: string }[];
  nextCursor?: string;
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
