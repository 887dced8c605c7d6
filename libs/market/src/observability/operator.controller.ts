import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { LINE_KINDS, type LineKind, MACHINE_TYPES, type MachineType, REASON_CODES, type ReasonCode } from '@cloudloom/matching';
import { ApiProblems, invalid, invalidTransition, notFound } from '@cloudloom/platform';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { EVERYONE, People, Roles } from '../identity/principal';
import { isUuid } from '../core/ids';
import { EXAMPLE } from '../core/openapi-examples';
import { fairnessOf, SMALL_MILL } from './fairness';
import { utilizationBy } from './market.metrics';
import { type CountByKey, MarketQueries } from './market.queries';
import { FACTORY_SORTS, type FactoryCursor, type FactorySort, OperatorQueries } from './operator.queries';
import { FactoryPageView, MarketOrderListView, MarketStats, MatchListView, RejectReasonListView, RematchView, UnmatchedByReasonView, VerifiedView } from './operator.views';
import { orderFilterOf, OrderSearchQuery } from '../orders/order-search';

/** Where a page of factories ended, as the client passes it back: opaque to it. */
const encodeCursor = (c: FactoryCursor): string => Buffer.from(JSON.stringify([c.key, c.name, c.id])).toString('base64url');

export class LimitQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, example: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class MarketOrdersQuery extends OrderSearchQuery {
  @ApiPropertyOptional({ enum: REASON_CODES, example: 'INSUFFICIENT_CAPACITY_BEFORE_DUE', description: 'orders unmatched or partial for this reason (the groups of GET /market/unmatched)' })
  @IsOptional() @IsIn(REASON_CODES, { message: 'reason must be one of the planner\'s reason codes' }) reason?: ReasonCode;
}

export class FactoriesQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], example: 'false', description: 'only verified, or only unverified, factories' })
  @IsOptional() @IsIn(['true', 'false']) verified?: 'true' | 'false';
  @ApiPropertyOptional({ example: 'Shaoxing', minLength: 1, maxLength: 100, description: 'only factories in this city (one of the `cities` the list answers)' })
  @IsOptional() @IsString() @Length(1, 100, { message: 'city must be 1 to 100 characters' }) city?: string;
  @ApiPropertyOptional({ enum: LINE_KINDS, example: 'weaving', description: 'only lines of this kind, and the factories that have one' })
  @IsOptional() @IsIn(LINE_KINDS, { message: `kind must be one of: ${LINE_KINDS.join(', ')}` }) kind?: LineKind;
  @ApiPropertyOptional({ enum: MACHINE_TYPES, example: 'air_jet', description: 'only weaving lines with this loom type, and the factories that have one' })
  @IsOptional() @IsIn(MACHINE_TYPES, { message: `machineType must be one of: ${MACHINE_TYPES.join(', ')}` }) machineType?: MachineType;
  @ApiPropertyOptional({ enum: FACTORY_SORTS, example: '-load', description: "name: unverified first, then by name (the default); -load: busiest first; load: most room first (load: the mean reserved share of the shown lines' open days ahead)" })
  @IsOptional() @IsIn(FACTORY_SORTS, { message: `sort must be one of: ${FACTORY_SORTS.join(', ')}` }) sort?: FactorySort;
  @ApiPropertyOptional({ example: encodeCursor({ key: 0.62, name: 'Keqiao Weaving No. 3', id: EXAMPLE.factoryId }), description: "the previous page's nextCursor (with the same sort and filters)" })
  @IsOptional() @IsString() @Length(1, 400) cursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A cursor of the sort asked for: a name sort's pages start at a verification, a load sort's at a load. */
function decodeCursor(text: string, sort: FactorySort): FactoryCursor {
  try {
    const [key, name, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    const keyFits = sort === 'name' ? typeof key === 'boolean' : typeof key === 'number' && Number.isFinite(key);
    if (keyFits && typeof name === 'string' && typeof id === 'string' && UUID.test(id)) return { key: key as boolean | number, name, id };
  } catch {
    // falls through to the field error
  }
  throw invalid('cursor', 'not a cursor this list returned');
}

const MATCHED = ['proposed', 'confirmed', 'in_production', 'completed'];
const DECIDED = [...MATCHED, 'unmatched', 'expired'];
const TAKEN = ['accepted', 'in_production', 'produced'];
const ANSWERED = [...TAKEN, 'rejected', 'expired'];
const UTILIZATION_DAYS = 30;
const REMATCHABLE = new Set(['pending', 'matching', 'unmatched', 'partial']);
/** Seconds: the time-to-match chart's bars. */
const STATS_BUCKETS = [0.25, 1, 5, 30, 300, 3600];

const record = (rows: readonly CountByKey[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.key, r.count]));
const sumOf = (counts: Record<string, number>, keys: readonly string[]): number => keys.reduce((s, k) => s + (counts[k] ?? 0), 0);
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** What the operators' console reads: the whole market, for operators only. */
@ApiTags('operator')
@Roles('operator')
@Controller()
export class OperatorController {
  constructor(
    private readonly market: MarketQueries,
    private readonly operator: OperatorQueries,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  /** The newest allocations, with the names an operator reads them by. */
  @People(...EVERYONE)
  @Get('matches')
  @ApiOperation({ summary: 'The newest allocations across the market' })
  @ApiOkResponse({ type: MatchListView })
  async matches(@Query() query: LimitQuery): Promise<MatchListView> {
    return { items: await this.operator.recentMatches(query.limit ?? 100) };
  }

  /** Why factories say no, summed per factory and code: a mill that always says PRICE is priced below its costs. */
  @People(...EVERYONE)
  @Get('market/reject-reasons')
  @ApiOperation({ summary: 'Rejections per factory and reason code, the most first' })
  @ApiOkResponse({ type: RejectReasonListView })
  async rejectReasons(@Query() query: LimitQuery): Promise<RejectReasonListView> {
    return { items: await this.operator.rejectReasons(query.limit ?? 100) };
  }

  /** Orders across all brands: what the operator searches, filters and acts on, a page at a time. */
  @People(...EVERYONE)
  @Get('market/orders')
  @ApiOperation({
    summary: 'Orders of all brands: search, filter, sort, a page at a time',
    description: "Words (`q`) match the start of the id, the brand's name, the fabric, weave, garment or certifications; `reason` narrows to one group of GET /market/unmatched; `total` counts every page.",
  })
  @ApiOkResponse({ type: MarketOrderListView })
  async marketOrders(@Query() query: MarketOrdersQuery): Promise<MarketOrderListView> {
    const filter = orderFilterOf(query, query.reason ? { reason: query.reason } : {});
    return { ...(await this.operator.orders(filter)), page: filter.page, pageSize: filter.pageSize };
  }

  /** The orders without a plan, grouped by the planner's reason: 102 of 158 waiting for one reason is one problem, not 102. */
  @People(...EVERYONE)
  @Get('market/unmatched')
  @ApiOperation({ summary: 'Unmatched orders grouped by reason, the most first', description: 'Orders unmatched or partial now; each group lists its newest few, and GET /market/orders?reason= lists them all.' })
  @ApiOkResponse({ type: UnmatchedByReasonView })
  unmatched(): Promise<UnmatchedByReasonView> {
    return this.operator.unmatchedByReason();
  }

  @People(...EVERYONE)
  @Get('stats')
  @ApiOperation({ summary: 'Market figures: orders, fill rate, offers, time to match, utilization, fairness' })
  @ApiOkResponse({ type: MarketStats })
  async stats(): Promise<MarketStats> {
    const [orders, offers, timeToMatch, histogram, load, work] = await Promise.all([
      this.market.ordersByStatus(),
      this.market.allocationsByStatus(),
      this.market.timeToMatchPercentiles(),
      this.market.timeToMatchHistogram(STATS_BUCKETS),
      this.market.load(this.clock.today(), UTILIZATION_DAYS),
      this.market.workByFactory(SMALL_MILL.maxLooms, SMALL_MILL.maxOperators),
    ]);
    const byStatus = record(orders);
    const offerCounts = record(offers);
    return {
      orders: { byStatus, total: orders.reduce((s, r) => s + r.count, 0) },
      fillRate: share(sumOf(byStatus, MATCHED), sumOf(byStatus, DECIDED)),
      offers: { byStatus: offerCounts, acceptanceRate: share(sumOf(offerCounts, TAKEN), sumOf(offerCounts, ANSWERED)) },
      timeToMatch: {
        count: timeToMatch.count,
        p50Seconds: timeToMatch.p50,
        p95Seconds: timeToMatch.p95,
        // Per bucket, not cumulative: orders matched within (previous bound, le]; le null is "slower".
        histogram: [...STATS_BUCKETS, null].map((le, i) => ({ le, count: (histogram.buckets[i] ?? histogram.count) - (i > 0 ? (histogram.buckets[i - 1] ?? 0) : 0) })),
      },
      utilization: {
        days: UTILIZATION_DAYS,
        byMachineType: utilizationBy(load, (r) => r.machineType),
        byCluster: utilizationBy(load, (r) => [r.city, r.province].filter(Boolean).join(', ') || 'unknown'),
      },
      fairness: fairnessOf(work.factories, work.orders),
    };
  }

  /** Factories and their lines with the next 30 days' load per line and day; unverified first. */
  @People(...EVERYONE)
  @Get('factories')
  @ApiOperation({
    summary: "Factories, their lines and the next 30 days' load",
    description: 'Unverified first, then by name, or by load; filters by city, line kind and loom type; pages with `cursor`.',
  })
  @ApiOkResponse({ type: FactoryPageView })
  async factories(@Query() query: FactoriesQuery): Promise<FactoryPageView> {
    const sort = query.sort ?? 'name';
    const page = await this.operator.factories(this.clock.today(), UTILIZATION_DAYS, query.limit ?? 50, {
      sort,
      ...(query.verified ? { verified: query.verified === 'true' } : {}),
      ...(query.city ? { city: query.city } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.machineType ? { machineType: query.machineType } : {}),
      ...(query.cursor ? { after: decodeCursor(query.cursor, sort) } : {}),
    });
    return { days: page.days, cities: page.cities, items: page.items, ...(page.nextCursor ? { nextCursor: encodeCursor(page.nextCursor) } : {}) };
  }

  /**
   * Asks the matcher to try an order again now (after capacity was added, say). Only an order
   * still waiting qualifies; the job itself re-checks that under the order's row lock.
   */
  @People('operator')
  @Post('orders/:id/rematch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Match a waiting order again now' })
  @ApiAcceptedResponse({ type: RematchView })
  @ApiProblems(409)
  async rematch(@Param('id') id: string): Promise<RematchView> {
    const order = isUuid(id) ? await this.operator.orderStatus(id) : undefined;
    if (!order) throw notFound('Order');
    if (!REMATCHABLE.has(order.status)) throw invalidTransition('This order', order.status, 're-matched');
    await this.jobs.match({ id, dueDate: order.dueDate }, this.clock.today());
    return { id, status: order.status, queued: true };
  }

  @People('operator')
  @Post('factories/:id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify a factory', description: 'Until then the matcher offers it nothing.' })
  @ApiOkResponse({ type: VerifiedView })
  async verify(@Param('id') id: string): Promise<VerifiedView> {
    const lines = isUuid(id) ? await this.operator.verifyFactory(id) : undefined;
    if (!lines) throw notFound('Factory');
    // A newly verified factory is new capacity: wake the unmatched orders its lines can make.
    for (const lineId of lines) await this.jobs.capacityChanged(lineId);
    return { id, verified: true };
  }
}
