/** Lots and their resolution as they travel (DESIGN.md §10); the server's view classes implement these. */

export type LotKindName = 'roll' | 'batch' | 'bundle' | 'carton';
export type LotUnit = 'm' | 'pcs';

/** A lot as its factory and the order's brand list it. */
export interface Lot {
  readonly identifier: string;
  readonly kind: LotKindName;
  readonly quantity: number;
  readonly unit: LotUnit;
  /** Whether it counts toward the allocation's produced quantity (cartons pack counted bundles). */
  readonly counted: boolean;
  readonly allocationId: string;
  readonly orderId: string;
  readonly madeAt: string;
  readonly inputs: readonly string[];
  /** The phone page its QR code opens. */
  readonly url: string;
}

export interface LotList {
  readonly items: readonly Lot[];
  /** Counted quantity of the allocation's lots (rolls, batches, bundles). */
  readonly countedQuantity: number;
  readonly nextCursor?: string;
}

/** What anyone may read of a lot: the label's words. */
export interface LotPublic {
  readonly identifier: string;
  readonly kind: LotKindName;
  readonly product: string;
  readonly quantity: number;
  readonly unit: LotUnit;
  readonly city: string | null;
  readonly madeOn: string;
}

/** A machine of the lot's line and what stopped it while the lot was made. */
export interface LotMachine {
  readonly id: string;
  readonly externalId: string;
  /** Runs of `down` readings that began in the window. */
  readonly stops: number;
  readonly downSeconds: number;
}

/** One lot of a chain, for the parties of its order. */
export interface ChainLot {
  readonly identifier: string;
  readonly kind: LotKindName;
  readonly quantity: number;
  readonly unit: LotUnit;
  readonly madeAt: string;
  readonly stage: string;
  readonly allocationId: string;
  readonly factory: { readonly id: string; readonly name: string; readonly city: string | null };
  readonly line: { readonly id: string; readonly name: string; readonly kind: string };
  /** The window the machines are read over: from the allocation's previous lot (or its start) to this one. */
  readonly window: { readonly from: string; readonly to: string };
  readonly machines: readonly LotMachine[];
  readonly inputs: readonly string[];
}

export interface LotChain {
  readonly order: { readonly id: string; readonly kind: string; readonly product: string; readonly quantity: number; readonly unit: LotUnit; readonly dueDate: string };
  /** The resolved lot first, then its inputs, recursively, each once. */
  readonly lots: readonly ChainLot[];
}

/** The resolution: the public part, and the chain only for the order's brand and the chain's factories. */
export interface LotResolution extends LotPublic {
  readonly chain?: LotChain;
}
