import { lineFibers, machineFibers, productMismatch } from './capability';
import { fabric, garment, sewingSpec, weavingSpec } from './testing/fixtures';
import { FIBERS, MACHINE_TYPES, WEAVES, type Fiber, type MachineType } from './types';

const CAN_WEAVE: Record<MachineType, readonly Fiber[]> = {
  water_jet: ['polyester', 'nylon'],
  air_jet: ['cotton', 'viscose', 'blend', 'polyester', 'nylon'],
  rapier: FIBERS,
  projectile: FIBERS,
  jacquard: FIBERS,
};

const cases = MACHINE_TYPES.flatMap((machineType) => FIBERS.map((fiber) => [machineType, fiber, CAN_WEAVE[machineType].includes(fiber)] as const));

describe('fibre by machine', () => {
  it.each(cases)('%s weaves %s: %s', (machineType, fiber, ok) => {
    expect(machineFibers(machineType).includes(fiber)).toBe(ok);
    expect(productMismatch(weavingSpec({ machineType }), fabric({ fiber })) === null).toBe(ok);
    if (!ok) expect(productMismatch(weavingSpec({ machineType }), fabric({ fiber }))).toBe('FIBER_NOT_SUPPORTED');
  });

  it('lets a line narrow its fibres but never widen them', () => {
    expect(lineFibers(weavingSpec({ machineType: 'rapier', fibers: ['wool', 'silk'] }))).toEqual(['wool', 'silk']);
    expect(lineFibers(weavingSpec({ machineType: 'water_jet', fibers: ['cotton', 'nylon'] }))).toEqual(['nylon']);
    expect(productMismatch(weavingSpec({ machineType: 'water_jet', fibers: ['cotton'] }), fabric({ fiber: 'cotton' }))).toBe('FIBER_NOT_SUPPORTED');
    expect(productMismatch(weavingSpec({ machineType: 'rapier', fibers: ['wool'] }), fabric({ fiber: 'cotton' }))).toBe('FIBER_NOT_SUPPORTED');
  });
});

describe('weave by machine', () => {
  const weaveCases = MACHINE_TYPES.flatMap((machineType) => WEAVES.map((weave) => [machineType, weave, weave !== 'jacquard' || machineType === 'jacquard'] as const));
  it.each(weaveCases)('%s weaves %s: %s', (machineType, weave, ok) => {
    const mismatch = productMismatch(weavingSpec({ machineType }), fabric({ fiber: 'polyester', weave }));
    expect(mismatch).toBe(ok ? null : 'WEAVE_NOT_SUPPORTED');
  });
});

describe('width', () => {
  it.each([[190, 190, null], [190, 191, 'WIDTH_EXCEEDS_MAX'], [280, 150, null]] as const)(
    'a %i cm loom and %i cm fabric: %s', (maxWidthCm, widthCm, expected) => {
      expect(productMismatch(weavingSpec({ maxWidthCm }), fabric({ widthCm }))).toBe(expected);
    },
  );
});

describe('sewing', () => {
  it.each([
    ['tshirt', 'knit', null],
    ['jeans', 'woven', 'CATEGORY_NOT_SUPPORTED'],
    ['shirt', 'woven', 'FABRIC_TYPE_NOT_SUPPORTED'],
  ] as const)('%s in %s: %s', (category, fabricType, expected) => {
    const spec = sewingSpec({ categories: ['tshirt', 'shirt'], fabricTypes: ['knit'] });
    expect(productMismatch(spec, garment({ category, fabricType }))).toBe(expected);
  });

  it('never offers a garment to a loom or fabric to a sewing line', () => {
    expect(productMismatch(weavingSpec(), garment())).toBe('NO_CAPABLE_LINE');
    expect(productMismatch(sewingSpec(), fabric())).toBe('NO_CAPABLE_LINE');
  });
});
