import {
  FIBERS, type CandidateLine, type Fiber, type LineSpec, type MachineType, type ProductSpec, type ReasonCode,
} from './types';

const ANY_FIBER: readonly Fiber[] = FIBERS;
const FIBERS_BY_MACHINE: Readonly<Record<MachineType, readonly Fiber[]>> = {
  // Water-jet looms wet the yarn: only hydrophobic filament survives it.
  water_jet: ['polyester', 'nylon'],
  // Air-jet insertion needs light, even yarns; wool, silk and linen snag or break.
  air_jet: ['cotton', 'viscose', 'blend', 'polyester', 'nylon'],
  rapier: ANY_FIBER,
  projectile: ANY_FIBER,
  jacquard: ANY_FIBER,
};

export function machineFibers(machineType: MachineType): readonly Fiber[] {
  return FIBERS_BY_MACHINE[machineType];
}

/** What the line may weave: the machine's fibres, narrowed (never widened) by the line's own list. */
export function lineFibers(spec: LineSpec): readonly Fiber[] {
  if (spec.kind !== 'weaving') return [];
  const machine = machineFibers(spec.machineType);
  return spec.fibers === undefined ? machine : machine.filter((f) => spec.fibers?.includes(f) === true);
}

/**
 * The first product rule the line breaks for this order, or null if it can make it.
 * Returns 'NO_CAPABLE_LINE' for a line of the other kind, which is not worth reporting.
 */
export function productMismatch(spec: LineSpec, order: ProductSpec): ReasonCode | null {
  switch (order.kind) {
    case 'fabric':
      if (spec.kind !== 'weaving') return 'NO_CAPABLE_LINE';
      if (!lineFibers(spec).includes(order.fabric.fiber)) return 'FIBER_NOT_SUPPORTED';
      if (order.fabric.weave === 'jacquard' && spec.machineType !== 'jacquard') return 'WEAVE_NOT_SUPPORTED';
      if (spec.maxWidthCm < order.fabric.widthCm) return 'WIDTH_EXCEEDS_MAX';
      return null;
    case 'garment':
      if (spec.kind !== 'sewing') return 'NO_CAPABLE_LINE';
      if (!spec.categories.includes(order.garment.category)) return 'CATEGORY_NOT_SUPPORTED';
      if (!spec.fabricTypes.includes(order.garment.fabricType)) return 'FABRIC_TYPE_NOT_SUPPORTED';
      return null;
    case 'finishing':
      if (spec.kind !== 'finishing') return 'NO_CAPABLE_LINE';
      if (!spec.processes.includes(order.finishing.process)) return 'PROCESS_NOT_SUPPORTED';
      // The stenter frame sets the fabric's width: a wider fabric does not go through it.
      if (spec.maxWidthCm < order.finishing.widthCm) return 'WIDTH_EXCEEDS_MAX';
      return null;
  }
}

/** The width a line must hold for this order (loom or stenter), 0 where width does not apply (sewing). */
export function orderWidthCm(order: ProductSpec): number {
  switch (order.kind) {
    case 'fabric':
      return order.fabric.widthCm;
    case 'finishing':
      return order.finishing.widthCm;
    case 'garment':
      return 0;
  }
}

export function holdsCertifications(held: readonly string[], required: readonly string[] | undefined): boolean {
  return required === undefined || required.every((c) => held.includes(c));
}

/** Every hard rule that depends on the line alone (not on its capacity), first failure wins. */
export function lineMismatch(
  line: Pick<CandidateLine, 'spec' | 'certifications' | 'factoryVerified' | 'factoryActive'>,
  order: ProductSpec, certifications: readonly string[] | undefined,
): ReasonCode | null {
  const product = productMismatch(line.spec, order);
  if (product !== null) return product;
  if (!holdsCertifications(line.certifications, certifications)) return 'CERTIFICATION_MISSING';
  if (!line.factoryVerified || !line.factoryActive) return 'FACTORY_NOT_VERIFIED';
  return null;
}
