import type { FabricType, GarmentCategory } from '../types';
import { BASE_OPERATIONS, FEATURE_OPERATIONS, isSamFeature, type Minutes, type SamFeature, SEAM_LENGTH, type SewingOperation } from './operations';

/** A garment described by its construction instead of a measured SAM. `features` counts each feature (2 patch pockets: `{patch_pocket: 2}`). */
export interface SamSpec {
  readonly category: GarmentCategory;
  readonly fabricType: FabricType;
  readonly features: Readonly<Partial<Record<SamFeature, number>>>;
}

export interface SamOperationLine {
  readonly name: string;
  readonly minutes: number;
}

export interface SamEstimate {
  /** The typical figure, what the planner uses. */
  readonly samMinutes: number;
  /** Sum of the operations' low and high figures: a range, not one false-precise number. */
  readonly range: readonly [low: number, high: number];
  readonly operations: readonly SamOperationLine[];
}

/**
 * Woven seams are neatened (serged) before or while they are closed and handled flatter; knit seams
 * close in one overlock pass. +10% on seam-length work for woven is an assumption (docs/sam.md).
 */
const FABRIC_SEAM_FACTOR: Readonly<Record<FabricType, number>> = { knit: 1, woven: 1.1 };

/** Most of one feature on one garment (buttons on a coat, darts on a dress); more is a typo. */
export const MAX_FEATURE_COUNT = 30;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The operation bulletin of a spec: the category's base construction, then each feature in the order given. */
export function estimateSam(spec: SamSpec): SamEstimate {
  const seam = SEAM_LENGTH[spec.category] * FABRIC_SEAM_FACTOR[spec.fabricType];
  const lines: { name: string; minutes: Minutes }[] = [];
  const add = (operation: SewingOperation, count: number): void => {
    const factor = (operation.scaling === 'seam' ? seam : 1) * count;
    const [low, typical, high] = operation.minutes;
    lines.push({ name: count === 1 ? operation.name : `${operation.name} x${count}`, minutes: [low * factor, typical * factor, high * factor] });
  };
  for (const operation of BASE_OPERATIONS[spec.category]) add(operation, 1);
  for (const [feature, count] of Object.entries(spec.features) as [SamFeature, number][]) {
    for (const operation of FEATURE_OPERATIONS[feature]) add(operation, count);
  }
  const sum = (i: 0 | 1 | 2): number => round2(lines.reduce((s, l) => s + l.minutes[i], 0));
  return {
    samMinutes: sum(1),
    range: [sum(0), sum(2)],
    operations: lines.map((l) => ({ name: l.name, minutes: round2(l.minutes[1]) })),
  };
}

/**
 * What is wrong with a spec's features, by feature name: a name the library does not know, or a
 * count that is not a whole number from 1 to MAX_FEATURE_COUNT. Empty when it can be estimated.
 */
export function featureErrors(features: Readonly<Record<string, unknown>>): { readonly feature: string; readonly message: string }[] {
  return Object.entries(features).flatMap(([feature, count]) => {
    if (!isSamFeature(feature)) return [{ feature, message: 'is not a known feature (the features are listed in the API documentation of POST /sam-estimates and in docs/sam.md)' }];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_FEATURE_COUNT) return [{ feature, message: `must be a whole number from 1 to ${MAX_FEATURE_COUNT}` }];
    return [];
  });
}
