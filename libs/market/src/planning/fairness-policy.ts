import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FairnessPolicy } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { FACTORY_SIZES_SQL, SMALL_MILL } from '../observability/fairness';

/**
 * The facts the planner's fairness policy needs, read from the market when the policy is on
 * (`FAIRNESS_POLICY`, off by default): which factories are small mills, and the share of the
 * orders placed over the rolling window that went (at least in part) to one. The planner stays
 * pure: it gets these as data in the `PlanRequest`.
 */
@Injectable()
export class FairnessPolicySource {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Undefined when the policy is off: the plan is then the best-scored one, as always. */
  async current(m?: EntityManager): Promise<FairnessPolicy | undefined> {
    const { enabled, margin, targetShare, windowDays } = this.config.fairness;
    if (!enabled) return undefined;
    // Work placed in the window, by allocation creation (indexed); offers later declined or let
    // expire still count: the policy steers where work is offered, and a declined offer was offered.
    const [row] = await (m ?? this.db).query<{ small: string[] | null; total: number; atSmall: number }[]>(
      `WITH f AS (${FACTORY_SIZES_SQL}),
       w AS (SELECT order_id, factory_id FROM allocations WHERE created_at >= now() - make_interval(days => $3))
       SELECT (SELECT array_agg(id::text) FROM f WHERE small) AS small,
              (SELECT count(DISTINCT order_id)::int FROM w) AS total,
              (SELECT count(DISTINCT w.order_id)::int FROM w JOIN f ON f.id = w.factory_id AND f.small) AS "atSmall"`,
      [SMALL_MILL.maxLooms, SMALL_MILL.maxOperators, windowDays],
    );
    const total = row?.total ?? 0;
    return {
      smallFactoryIds: new Set(row?.small ?? []),
      margin,
      targetShare,
      // No work placed yet: nothing reached the small mills, so the policy acts.
      currentShare: total > 0 ? (row?.atSmall ?? 0) / total : 0,
    };
  }
}
