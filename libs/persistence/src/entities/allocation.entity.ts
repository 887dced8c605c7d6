import type { ScoreParts } from '@cloudloom/matching';
import type { PriceCovers, PriceUnit } from '@cloudloom/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from './transformers';

export const ALLOCATION_STATUSES = ['offered', 'accepted', 'rejected', 'expired', 'in_production', 'produced', 'cancelled'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/** Why a factory rejected an offer (DESIGN.md §9). */
export const REJECT_REASON_CODES = ['NO_CAPACITY', 'PRICE', 'SPEC', 'MATERIAL', 'OTHER'] as const;
export type RejectReasonCode = (typeof REJECT_REASON_CODES)[number];

/** The stage of a style order's chain an allocation belongs to (DESIGN.md §8); null on other orders. */
export const STAGE_KINDS = ['weaving', 'finishing', 'sewing'] as const;
export type AllocationStage = (typeof STAGE_KINDS)[number];

/** One piece of an order on one line. */
@Entity('allocations')
export class AllocationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId!: string;
  @Column({ name: 'factory_id', type: 'uuid' }) factoryId!: string;
  @Column({ name: 'line_id', type: 'uuid' }) lineId!: string;
  @Column({ type: 'integer' }) quantity!: number;
  /** Capacity units reserved in the ledger for this allocation (picks or standard minutes). */
  @Column({ type: 'bigint', transformer: numeric }) demand!: number;
  @Column({ name: 'start_date', type: 'date' }) startDate!: string;
  @Column({ name: 'end_date', type: 'date' }) endDate!: string;
  @Column({ type: 'text' }) status!: AllocationStatus;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'numeric', transformer: numeric }) score!: number;
  @Column({ name: 'score_parts', type: 'jsonb' }) scoreParts!: ScoreParts;
  @Column({ type: 'numeric', transformer: numeric }) price!: number;
  /** Copied from the line as the row is inserted (trigger `allocations_price_terms`): the terms the offer was made on. */
  @Column({ type: 'text', insert: false, update: false }) unit!: PriceUnit;
  @Column({ name: 'price_covers', type: 'text', insert: false, update: false }) priceCovers!: PriceCovers;
  @Column({ type: 'text', nullable: true }) stage!: AllocationStage | null;
  @Column({ name: 'produced_quantity', type: 'integer', default: 0 }) producedQuantity!: number;
  @Column({ name: 'reject_reason_code', type: 'text', nullable: true }) rejectReasonCode!: RejectReasonCode | null;
  @Column({ name: 'reject_note', type: 'text', nullable: true }) rejectNote!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** The exact ledger cells an allocation holds, so a release gives back precisely what was taken. */
@Entity('allocation_days')
export class AllocationDayEntity {
  @Column({ name: 'allocation_id', type: 'uuid', primary: true }) allocationId!: string;
  @Column({ type: 'date', primary: true }) day!: string;
  @Column({ name: 'line_id', type: 'uuid' }) lineId!: string;
  @Column({ type: 'bigint', transformer: numeric }) units!: number;
}
