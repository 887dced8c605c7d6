import { lineFibers, machineFibers } from './capability';
import {
  MACHINE_TYPES, type FabricType, type Fiber, type FinishingProcess, type GarmentCategory, type LineSpec, type MachineType,
  type ProductSpec,
} from './types';

/**
 * Capability buckets of the market index. A line is filed under every key it can serve and an
 * order looks up only the keys that can serve it, so a planner never walks lines of the wrong
 * machine, fibre, garment or width class. A line appears at most once per order's key set:
 * the fibre and the width class of its machine are single-valued for a given order.
 */

/** Lower edges (cm) of the loom width classes; an order scans only classes that can fit it. */
const WIDTH_EDGES = [0, 150, 170, 190, 230, 280, 340] as const;

export function widthClass(maxWidthCm: number): number {
  let c = 0;
  while (c + 1 < WIDTH_EDGES.length && maxWidthCm >= (WIDTH_EDGES[c + 1] ?? Infinity)) c++;
  return c;
}

export function lineKeys(spec: LineSpec): string[] {
  switch (spec.kind) {
    case 'sewing':
      return [...new Set(spec.categories.flatMap((c) => spec.fabricTypes.map((f) => sewingKey(c, f))))];
    case 'finishing': {
      const w = widthClass(spec.maxWidthCm);
      return [...new Set(spec.processes)].map((p) => `finish|${p}|${w}`);
    }
    case 'weaving': {
      const w = widthClass(spec.maxWidthCm);
      return lineFibers(spec).map((fiber) => `weave|${spec.machineType}|${fiber}|${w}`);
    }
  }
}

/** Every key of one finishing process, across all width classes (a stenter's width, like a loom's). */
export function finishingKeys(process: FinishingProcess): string[] {
  return WIDTH_EDGES.map((_, c) => `finish|${process}|${c}`);
}

/** Every key of one machine type and fibre, across all width classes. */
export function fiberKeys(machineType: MachineType, fiber: Fiber): string[] {
  return WIDTH_EDGES.map((_, c) => `weave|${machineType}|${fiber}|${c}`);
}

export function sewingKey(category: GarmentCategory, fabricType: FabricType): string {
  return `sew|${category}|${fabricType}`;
}

export function orderKeys(order: ProductSpec): string[] {
  if (order.kind === 'garment') return [sewingKey(order.garment.category, order.garment.fabricType)];
  if (order.kind === 'finishing') {
    // Lines in the class holding widthCm may still be narrower: the planner re-checks width.
    return finishingKeys(order.finishing.process).slice(widthClass(order.finishing.widthCm));
  }
  const { fiber, weave, widthCm } = order.fabric;
  const keys: string[] = [];
  for (const machineType of MACHINE_TYPES) {
    if (weave === 'jacquard' && machineType !== 'jacquard') continue;
    if (!machineFibers(machineType).includes(fiber)) continue;
    // Lines in the class holding widthCm may still be narrower: the planner re-checks width.
    for (let c = widthClass(widthCm); c < WIDTH_EDGES.length; c++) keys.push(`weave|${machineType}|${fiber}|${c}`);
  }
  return keys;
}
