/**
 * The market's events: every type and its payload, shared by the server that writes them (one
 * row each in `events`, in the transaction of the change) and every reader of the live feed
 * (`GET /events`, the console). A type without a payload here does not compile on either side.
 */

/** Why the matcher found no plan, as the order's explanation carries it. */
export interface UnmatchedReason {
  readonly code: string;
  readonly message: string;
  readonly lines: number;
}

type OrderRef = { readonly orderId: string };
/** The stages of a style order's chain (DESIGN.md §8), in their order. */
export type ChainStageKind = 'weaving' | 'finishing' | 'sewing';
/**
 * Why the stage before a moved one slipped, the first that applies: its offer declined or expired,
 * its capacity cut (a breakdown, a line change), its production forecast past its planned end, or
 * otherwise planned again.
 */
export type StageMoveCause = 'declined' | 'expired' | 'capacity_cut' | 'forecast_late' | 'replanned';
type OfferRef = { readonly allocationId: string; readonly orderId: string };

export interface EventPayloads {
  'order.posted': OrderRef & { readonly kind: 'fabric' | 'garment' | 'style'; readonly quantity: number; readonly dueDate: string };
  /** `stage`: on a style order, the stage of the chain each allocation belongs to. */
  'order.matched': OrderRef & {
    readonly status: 'proposed' | 'confirmed';
    readonly allocations: readonly {
      readonly id: string; readonly factoryId: string; readonly lineId: string; readonly quantity: number; readonly status: 'offered' | 'accepted'; readonly stage?: ChainStageKind;
    }[];
  };
  /**
   * A style order's later stage moved because an earlier one slipped (a reject, an expiry, a
   * breakdown, a production forecast past its end): which stage, why (`cause` for software,
   * `reason` in words), its days before (null if it held none) and after. Sent to the brand and
   * to the factories whose work on that stage was released or newly offered.
   */
  'order.stage_moved': OrderRef & {
    readonly stage: ChainStageKind;
    readonly after: ChainStageKind;
    readonly cause: StageMoveCause;
    /** Every cause that applies, `cause` first: a console words each in its reader's language. */
    readonly causes: readonly StageMoveCause[];
    /** For `forecast_late`: the late stage's planned last day and the forecast one. */
    readonly forecast: { readonly plannedEnd: string; readonly forecastEnd: string } | null;
    readonly reason: string;
    readonly from: { readonly startDate: string; readonly endDate: string } | null;
    readonly to: { readonly startDate: string; readonly endDate: string };
    readonly released: readonly string[];
  };
  'order.unmatched': OrderRef & {
    readonly reasons: readonly UnmatchedReason[] | undefined;
    readonly closestMiss: { readonly coveredFraction: number; readonly coveredQuantity: number; readonly linesConsidered: number };
  };
  /** Part of the order is held (offered, accepted, running or produced); the remainder has no plan. */
  'order.partial': OrderRef & {
    readonly held: number;
    readonly produced: number;
    readonly remainder: number;
    readonly reasons: readonly UnmatchedReason[] | undefined;
    readonly closestMiss: { readonly coveredFraction: number; readonly coveredQuantity: number; readonly linesConsidered: number };
  };
  'order.confirmed': OrderRef;
  'order.in_production': OrderRef;
  /** `short`: a partial order past its due date, ended with what it made. */
  'order.completed': OrderRef & { readonly short?: boolean };
  /** The allocations whose capacity the cancellation gave back. */
  'order.cancelled': OrderRef & { readonly released: readonly string[] };
  'order.expired': OrderRef;
  /** A new plan costs more than the agreed price plus tolerance: the brand approves or declines it by `expiresAt` (DESIGN.md §9). */
  'order.awaiting_approval': OrderRef & {
    readonly price: number;
    readonly agreedPrice: number;
    readonly completes: string;
    readonly reason: string;
    readonly expiresAt: string;
  };
  /** The brand approved the new price: it is the agreed price now, and the order is planned within it. */
  'order.price_approved': OrderRef & { readonly price: number; readonly previousPrice: number };
  /** The brand declined the new price, or let the approval lapse (`lapsed`): the order is held to its agreed price. */
  'order.price_declined': OrderRef & { readonly price: number; readonly agreedPrice: number; readonly lapsed: boolean };
  'offer.created': OfferRef & { readonly factoryId: string; readonly quantity: number; readonly status: 'offered' | 'accepted'; readonly stage?: ChainStageKind };
  'offer.accepted': OfferRef & { readonly factoryId: string };
  /** `reasonCode` and `note`: why the factory said no (absent on events written before they existed). */
  'offer.rejected': OfferRef & { readonly reason: string; readonly reasonCode?: 'NO_CAPACITY' | 'PRICE' | 'SPEC' | 'MATERIAL' | 'OTHER'; readonly note?: string | null };
  'offer.expired': OfferRef & { readonly reason: string };
  /**
   * The factory answered the offer with terms of its own (DESIGN.md §9): a price (CNY, its whole
   * allocation) and/or a later end date, beside the offer's. The brand accepts or declines by
   * `expiresAt`, the offer's own time; unanswered, the offer expires with it.
   */
  'offer.countered': OfferRef & {
    readonly counterId: string;
    readonly factoryId: string;
    readonly price: number | null;
    readonly endDate: string | null;
    readonly note: string | null;
    readonly offerPrice: number;
    readonly offerEndDate: string;
    readonly expiresAt: string | null;
  };
  /** The counter's terms hold: the allocation is accepted at them. `by`: the brand, or its standing tolerance (docs/terms.md). */
  'offer.counter_accepted': OfferRef & { readonly counterId: string; readonly price: number; readonly startDate: string; readonly endDate: string; readonly by: 'brand' | 'tolerance' };
  /** The brand said no to the counter; the offer stays open at its own terms until its time. */
  'offer.counter_declined': OfferRef & { readonly counterId: string };
  /** The offer's time ran out with its counter unanswered: it expired, as an offer does. */
  'offer.counter_lapsed': OfferRef & { readonly counterId: string };
  /** A message between the brand and the factory of an offer; only they (and operators) hear it. */
  'offer.message': OfferRef & { readonly messageId: string; readonly from: 'brand' | 'factory'; readonly body: string };
  'allocation.progress': OfferRef & { readonly producedQuantity: number; readonly quantity: number; readonly status: 'in_production' | 'produced' };
  /**
   * An allocation released by a capacity cut (`reason`: the line's capacity was reduced), or
   * trimmed under running production by looms down, with what it keeps and the remainder
   * planned again.
   */
  'allocation.replanned': OfferRef & {
    readonly lineId: string;
    readonly reason: string;
    readonly status?: string;
    readonly quantity?: number;
    readonly producedQuantity?: number;
    readonly remainder?: number;
  };
  /** A line edited (`dailyCapacity`), its availability set (`availability`: days changed), or its capacity following its looms. */
  'line.changed': { readonly lineId: string } & (
    | { readonly dailyCapacity: number }
    | { readonly availability: number }
    | { readonly source: 'telemetry'; readonly machinesDown: number; readonly share: number; readonly days: readonly { readonly date: string; readonly capacity: number }[] }
  );
  /**
   * The radar's early warning (operators): what crossed what, since when, and the orders or lines
   * behind it. One open alert per `cause`; `alert.cleared` carries the same id when the cause ends.
   */
  'alert.raised': AlertPayload;
  'alert.cleared': { readonly alertId: string; readonly kind: AlertKind; readonly cause: string; readonly raisedAt: string };
}

export type AlertKind = 'booked' | 'reason-rising' | 'looms-down' | 'stranded';

export interface AlertPayload {
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly cause: string;
  /** the cluster, or the reason code, or 'market' */
  readonly subject: string;
  /** what crossed what, in words */
  readonly summary: string;
  readonly value: number;
  readonly threshold: number;
  readonly since: string;
  /** the days concerned (booked: the coming days past the threshold) */
  readonly days?: readonly string[];
  readonly orderIds: readonly string[];
  readonly lineIds: readonly string[];
  /** API paths to the objects behind the alert */
  readonly links: readonly string[];
}

export type EventType = keyof EventPayloads;

/** Every event type; a record over `EventType`, so a type added above and not here does not compile. */
const TYPES: { readonly [T in EventType]: true } = {
  'order.posted': true,
  'order.matched': true,
  'order.unmatched': true,
  'order.partial': true,
  'order.confirmed': true,
  'order.in_production': true,
  'order.completed': true,
  'order.cancelled': true,
  'order.expired': true,
  'order.awaiting_approval': true,
  'order.price_approved': true,
  'order.price_declined': true,
  'order.stage_moved': true,
  'offer.created': true,
  'offer.accepted': true,
  'offer.rejected': true,
  'offer.expired': true,
  'offer.countered': true,
  'offer.counter_accepted': true,
  'offer.counter_declined': true,
  'offer.counter_lapsed': true,
  'offer.message': true,
  'allocation.progress': true,
  'allocation.replanned': true,
  'line.changed': true,
  'alert.raised': true,
  'alert.cleared': true,
};
export const EVENT_TYPES = Object.keys(TYPES) as readonly EventType[];

/** One event as the feed sends it in `data:` (the SSE `event:` field is its type). */
export type FeedEvent = {
  readonly [T in EventType]: { readonly id: string; readonly type: T; readonly orderId?: string; readonly payload: EventPayloads[T]; readonly createdAt: string };
}[EventType];
