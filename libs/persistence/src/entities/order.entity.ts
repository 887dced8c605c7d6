import type { OrderSpec, ReasonCode, SizeBreakdown } from '@cloudloom/matching';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from './transformers';

export const ORDER_STATUSES = ['pending', 'matching', 'proposed', 'confirmed', 'in_production', 'completed', 'unmatched', 'partial', 'cancelled', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why the order stands where it does: the plan's summary or the reasons it is unmatched. */
export interface OrderExplanation {
  readonly summary: string;
  readonly reasons?: readonly { code: ReasonCode; message: string; lines: number }[];
  readonly closestMiss?: { coveredFraction: number; coveredQuantity: number; linesConsidered: number };
  readonly plannedAt: string;
}

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'brand_id', type: 'uuid' }) brandId!: string;
  @Column({ type: 'text' }) kind!: OrderSpec['kind'];
  @Column({ type: 'text' }) status!: OrderStatus;
  @Column({ type: 'jsonb' }) spec!: OrderSpec;
  @Column({ type: 'integer' }) quantity!: number;
  @Column({ name: 'earliest_start', type: 'date' }) earliestStart!: string;
  @Column({ name: 'due_date', type: 'date' }) dueDate!: string;
  @Column({ name: 'max_splits', type: 'integer' }) maxSplits!: number;
  @Column({ name: 'min_split_quantity', type: 'integer', nullable: true }) minSplitQuantity!: number | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) certifications!: string[];
  @Column({ name: 'target_price', type: 'numeric', nullable: true, transformer: numeric }) targetPrice!: number | null;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'request_hash', type: 'text', nullable: true }) requestHash!: string | null;
  @Column({ type: 'jsonb', nullable: true }) explanation!: OrderExplanation | null;
  /** Pieces per size, summing to `quantity`; garment orders only, null when none was sent. */
  @Column({ type: 'jsonb', nullable: true }) sizes!: SizeBreakdown | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
