import type { LotKind } from './identifier';

/**
 * The stages of a chain in order. `finishing` is the style chain's middle stage (DESIGN.md §8):
 * its lines make batches; listed here so that its lots plug in when its lines exist.
 */
export const STAGES = ['weaving', 'finishing', 'sewing'] as const;
export type Stage = (typeof STAGES)[number];

/** What each stage's lines make: a lot's kind follows its allocation's line kind. */
export const LOT_KINDS_OF_STAGE: Record<Stage, readonly LotKind[]> = {
  weaving: ['roll'],
  finishing: ['batch'],
  sewing: ['bundle', 'carton'],
};

/** Meters of fabric, pieces of garments. */
export const UNIT_OF_STAGE: Record<Stage, 'm' | 'pcs'> = { weaving: 'm', finishing: 'm', sewing: 'pcs' };

/**
 * Whether a lot's quantity counts toward its allocation's produced quantity. A carton packs
 * bundles whose pieces are already counted, so it would count them twice: cartons never count.
 */
export const COUNTS_TOWARD_PRODUCTION: Record<LotKind, boolean> = { roll: true, batch: true, bundle: true, carton: false };

export const isStage = (kind: string): kind is Stage => (STAGES as readonly string[]).includes(kind);

/** A lot as the chain rule sees it: where in which order's chain it was made. */
export interface ChainPlace {
  readonly kind: LotKind;
  readonly orderId: string;
  readonly allocationId: string;
  readonly stage: Stage;
}

/**
 * The one rule of which lots a new lot may name as its inputs; undefined when allowed, else why
 * not (in words for the factory). Only the same order's chain: a lot made by an earlier stage of
 * this order (a bundle from this order's rolls or batches, a batch from its rolls), or, for a
 * carton, bundles of the same allocation. Never another order's lot, so never another factory's
 * work that this factory was not given; a roll, the first stage, names none.
 *
 * A lot of another order is refused with the same words as an unknown identifier: the answer
 * must not tell a factory that someone else's identifier exists.
 */
export function inputRefusal(lot: ChainPlace, input: ChainPlace | undefined): string | undefined {
  const notInChain = "is not a lot of this order's chain";
  if (!input || input.orderId !== lot.orderId) return notInChain;
  if (lot.kind === 'carton') return input.kind === 'bundle' && input.allocationId === lot.allocationId ? undefined : 'a carton packs bundles of its own allocation only';
  if (STAGES.indexOf(input.stage) >= STAGES.indexOf(lot.stage)) return lot.kind === 'roll' ? 'a roll is the first stage: it has no input lots' : `a ${lot.kind} takes its inputs from an earlier stage of the order (${STAGES.slice(0, STAGES.indexOf(lot.stage)).join(' or ')})`;
  return undefined;
}
