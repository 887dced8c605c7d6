/**
 * Fairness figures for /stats: does the work reach the small mills the platform exists for?
 * Pure functions over per-factory totals, so they are tested without a database.
 */

/** DESIGN.md §12: a small mill runs at most 50 looms or at most 30 operators. */
export const SMALL_MILL = { maxLooms: 50, maxOperators: 30 } as const;

/**
 * A factory is small when each kind of capacity it runs is small: a weaving mill by its looms, a
 * sewing shop by its operators. A mill with 40 looms and 200 operators is a large sewing shop, so
 * both bounds must hold (a missing kind counts as 0).
 */
export function isSmallMill(looms: number, operators: number): boolean {
  return looms <= SMALL_MILL.maxLooms && operators <= SMALL_MILL.maxOperators;
}

/**
 * SQL: the verified factories with an active line and whether each is a small mill by
 * `isSmallMill` ($1 = max looms, $2 = max operators), for a `WITH` clause. One definition for
 * `/stats` and for the fairness policy the matcher applies.
 */
export const FACTORY_SIZES_SQL = `SELECT o.id,
         coalesce(sum((l.spec->>'machines')::int) FILTER (WHERE l.kind = 'weaving'), 0) <= $1
         AND coalesce(sum((l.spec->>'operators')::int) FILTER (WHERE l.kind = 'sewing'), 0) <= $2 AS small
       FROM organizations o JOIN lines l ON l.factory_id = o.id AND l.active
       WHERE o.kind = 'factory' AND o.verified GROUP BY o.id`;

/**
 * Gini coefficient of non-negative amounts: 0 when every factory has the same work, towards 1
 * when one has it all. Factories with no work count (they are the unfairness); null when there is
 * nothing to share. Sorted form: G = Σ (2i − n − 1)·x_i / (n·Σx), i = 1..n ascending.
 */
export function gini(amounts: readonly number[]): number | null {
  const n = amounts.length;
  const total = amounts.reduce((s, x) => s + x, 0);
  if (n === 0 || total <= 0) return null;
  const sorted = [...amounts].sort((a, b) => a - b);
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * sorted[i]!;
  return weighted / (n * total);
}

export interface FactoryWork {
  readonly small: boolean;
  /** CNY of the work it holds. */
  readonly value: number;
}

export interface Fairness {
  readonly factories: number;
  readonly smallMills: number;
  /** Share of the orders holding work that have some of it at a small mill. */
  readonly smallMillOrderShare: number | null;
  /** Share of the processing value (CNY) held by small mills. */
  readonly smallMillValueShare: number | null;
  readonly gini: number | null;
}

export function fairnessOf(factories: readonly FactoryWork[], orders: { readonly total: number; readonly atSmallMills: number }): Fairness {
  const value = factories.reduce((s, f) => s + f.value, 0);
  const smallValue = factories.reduce((s, f) => s + (f.small ? f.value : 0), 0);
  return {
    factories: factories.length,
    smallMills: factories.filter((f) => f.small).length,
    smallMillOrderShare: orders.total > 0 ? orders.atSmallMills / orders.total : null,
    smallMillValueShare: value > 0 ? smallValue / value : null,
    gini: gini(factories.map((f) => f.value)),
  };
}
