import { type Calibration, calibrate, type FactoryCalibrations, type GarmentCategory } from '@cloudloom/matching';
import type { EntityManager } from 'typeorm';

/**
 * Each factory's calibration for a garment category (docs/sam.md): its sewing allocations of that
 * category that reported output, each an observation of pieces produced against pieces its plan
 * expected by the day of the last report (the plan spreads the quantity evenly over its days).
 * Read across allocations, orders and lines in one query, as the factory's record is; the
 * arithmetic is the planner's pure `calibrate`.
 */
export async function sewingCalibrations(m: Pick<EntityManager, 'query'>, category: GarmentCategory): Promise<FactoryCalibrations> {
  const rows = await m.query<{ factoryId: string; produced: number[]; expected: number[] }[]>(
    `SELECT a.factory_id AS "factoryId", array_agg(a.produced_quantity::float8) AS produced,
            array_agg(a.quantity::float8 * least(1, greatest(0, (least(a.updated_at::date, a.end_date) - a.start_date + 1))::float8 / (a.end_date - a.start_date + 1))) AS expected
     FROM allocations a JOIN orders o ON o.id = a.order_id JOIN lines l ON l.id = a.line_id
     WHERE l.kind = 'sewing' AND a.status IN ('in_production', 'produced') AND o.spec->'garment'->>'category' = $1
     GROUP BY a.factory_id`,
    [category],
  );
  const out = new Map<string, Calibration>();
  for (const r of rows) {
    const calibration = calibrate(r.produced.map((produced, i) => ({ produced, expected: r.expected[i] ?? 0 })));
    if (calibration.observations > 0) out.set(r.factoryId, calibration);
  }
  return out;
}
