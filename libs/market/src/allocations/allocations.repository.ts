import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AllocationEntity, type AllocationStatus, type RejectReasonCode } from '@cloudloom/persistence';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { StageInput } from '@cloudloom/contracts';

/**
 * Where an allocation is stored, beside the ledger it holds (ledger.ts) and the matcher's
 * settling statement (match-writes.ts). Status changes are written only for the lifecycle
 * (lifecycle/), which checks them. The static methods take the caller's transaction.
 */
@Injectable()
export class AllocationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A factory's allocations, optionally of one line. Open offers come most urgent first (the one
   * about to expire on top, where a dispatcher answers it in time); everything else newest first.
   */
  listForFactory(factoryId: string, filter: { status?: AllocationStatus; lineId?: string }, limit: number): Promise<AllocationEntity[]> {
    const urgent = filter.status === 'offered';
    return this.db.manager.find(AllocationEntity, {
      where: { factoryId, ...(filter.status ? { status: filter.status } : {}), ...(filter.lineId ? { lineId: filter.lineId } : {}) },
      order: urgent ? { expiresAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC', id: 'ASC' } : { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** The allocations of these orders, oldest first. */
  ofOrders(orderIds: readonly string[]): Promise<AllocationEntity[]> {
    return orderIds.length ? this.db.manager.find(AllocationEntity, { where: { orderId: In([...orderIds]) }, order: { createdAt: 'ASC', id: 'ASC' } }) : Promise.resolve([]);
  }

  /**
   * For allocations of a later stage of a style (finishing, sewing): when the previous stage's live
   * work ends plus the order's transit days, and where it is made (its factories' city and province).
   */
  async inputsOf(allocationIds: readonly string[]): Promise<Map<string, StageInput>> {
    if (allocationIds.length === 0) return new Map();
    const rows = await this.db.query<({ id: string } & StageInput)[]>(
      `SELECT a.id, to_char(max(p.end_date) + (o.style->>'transitDays')::int, 'YYYY-MM-DD') AS "readyDate",
              json_agg(DISTINCT jsonb_build_object('city', f.city, 'province', f.province)) AS "from"
       FROM allocations a
       JOIN orders o ON o.id = a.order_id
       JOIN allocations p ON p.order_id = a.order_id AND p.status IN ('offered', 'accepted', 'in_production', 'produced')
        AND p.stage = CASE a.stage WHEN 'finishing' THEN 'weaving' ELSE CASE WHEN o.style ? 'finishing' THEN 'finishing' ELSE 'weaving' END END
       JOIN organizations f ON f.id = p.factory_id
       WHERE a.id = ANY($1::uuid[]) AND a.stage IN ('finishing', 'sewing')
       GROUP BY a.id, o.style`,
      [allocationIds],
    );
    return new Map(rows.map(({ id, ...input }) => [id, input]));
  }

  /** Offers past their time, for the sweep to expire (each through the offers' own expiry). */
  async offersPastTime(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(`SELECT id FROM allocations WHERE status = 'offered' AND expires_at < now() LIMIT ${limit}`);
    return rows.map((r) => r.id);
  }

  /** Whether the factory was ever offered work on the order (any status: it has seen the order's work). */
  async offeredTo(orderId: string, factoryId: string): Promise<boolean> {
    return this.db.manager.existsBy(AllocationEntity, { orderId, factoryId });
  }

  static find(m: EntityManager, id: string): Promise<AllocationEntity | null> {
    return m.findOneBy(AllocationEntity, { id });
  }

  /** An allocation of this factory (another factory's is not found). */
  static findOwn(m: EntityManager, id: string, factoryId: string): Promise<AllocationEntity | null> {
    return m.findOneBy(AllocationEntity, { id, factoryId });
  }

  /** Locks one allocation; its order's lock is taken first (OrdersRepository.lock), as every writer does. */
  static lock(m: EntityManager, id: string): Promise<AllocationEntity> {
    return m.findOneOrFail(AllocationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An order's allocations, locked if `lock`. */
  static ofOrder(m: EntityManager, orderId: string, lock = false): Promise<AllocationEntity[]> {
    return lock ? m.find(AllocationEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } }) : m.findBy(AllocationEntity, { orderId });
  }

  /** An allocation of an order of this brand (another brand's is not found). */
  static async findForBrand(m: EntityManager, id: string, brandId: string): Promise<AllocationEntity | null> {
    return m.createQueryBuilder(AllocationEntity, 'a').where('a.id = :id', { id }).andWhere('EXISTS (SELECT 1 FROM orders o WHERE o.id = a.order_id AND o.brand_id = :brandId)', { brandId }).getOne();
  }

  /** A counteroffer's terms, once accepted: its price, and the days the ledger now holds for it (ledger.ts `relayAllocation`). */
  static async writeTerms(m: EntityManager, id: string, terms: { price: number; startDate: string; endDate: string }): Promise<void> {
    await m.update(AllocationEntity, { id }, terms);
  }

  /** Why a factory rejected its offer; written beside the lifecycle's move to `rejected`. */
  static async writeRejectReason(m: EntityManager, id: string, code: RejectReasonCode, note: string | null): Promise<void> {
    await m.update(AllocationEntity, { id }, { rejectReasonCode: code, rejectNote: note });
  }

  /** For the lifecycle only: it has checked the moves. An allocation leaving `offered` no longer expires. */
  static async writeStatus(m: EntityManager, ids: readonly string[], status: AllocationStatus): Promise<void> {
    if (ids.length > 0) await m.update(AllocationEntity, { id: In([...ids]) }, { status, expiresAt: null });
  }
}
