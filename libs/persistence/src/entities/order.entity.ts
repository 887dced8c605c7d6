import type { FabricSpec, FinishingProcess, OrderSpec, PlanNoteCode, ReasonCode, SizeBreakdown } from '@cloudloom/matching';
import type { ApprovalReasonCode, ApprovalReasonParams } from '@cloudloom/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from './transformers';

export const ORDER_STATUSES = ['pending', 'matching', 'proposed', 'confirmed', 'in_production', 'completed', 'unmatched', 'partial', 'cancelled', 'expired', 'awaiting_approval'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why the order stands where it does: the plan's summary or the reasons it is unmatched. */
export interface OrderExplanation {
  readonly summary: string;
  readonly reasons?: readonly { code: ReasonCode; message: string; lines: number }[];
  readonly closestMiss?: { coveredFraction: number; coveredQuantity: number; linesConsidered: number; cheapestPrice?: number };
  /** A style order's chain that no plan reaches: the first stage that fails and when its input would arrive. */
  readonly failedStage?: { index: number; kind: 'weaving' | 'finishing' | 'sewing'; inputReadyDate: string };
  /** On a matched order: where its plan gave way so that more of its batch could be matched (ADR 0002). */
  readonly notes?: readonly { code: PlanNoteCode; message: string }[];
  readonly plannedAt: string;
  /** The fairness policy chose a small mill's line (`lineId`) over the best-scored one. */
  readonly fairness?: {
    readonly lineId: string;
    readonly factoryId: string;
    readonly preferredOverLineId: string;
    readonly preferredOverFactoryId: string;
    readonly bestScore: number;
    readonly chosenScore: number;
  };
}

/**
 * A plan above the agreed price (plus tolerance) waiting for the brand: what it would cost, when
 * it would complete, and why the price moved. Nothing is reserved for it (see docs/architecture.md).
 */
export interface PriceApproval {
  /** CNY for the whole order: what it holds already plus the new plan. */
  readonly price: number;
  readonly agreedPrice: number;
  readonly completes: string;
  /** Why the price moved, in English words; `reasonCode` and `reasonParams` say it for a client to word (absent on approvals asked before they were stored). */
  readonly reason: string;
  readonly reasonCode?: ApprovalReasonCode;
  readonly reasonParams?: ApprovalReasonParams;
  readonly expiresAt: string;
}


/** What an order is: fabric, garment, or a style (a garment with its fabric, planned as one chain, DESIGN.md §8). */
export const ORDER_KINDS = ['fabric', 'garment', 'style'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/**
 * What a style order's earlier stages need beside its garment (which is the order's `spec`):
 * the fabric to weave, meters per piece, wastage, the finishing asked (if any) and transit days.
 */
export interface StoredStyle {
  readonly fabric: FabricSpec;
  readonly fabricPerPieceM: number;
  readonly wastagePct: number;
  readonly finishing?: { readonly process: FinishingProcess };
  readonly transitDays: number;
  /** Lines each stage may be split across, as sent; null: each stage's kind default. */
  readonly maxSplits: number | null;
}

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'brand_id', type: 'uuid' }) brandId!: string;
  @Column({ type: 'text' }) kind!: OrderKind;
  @Column({ type: 'text' }) status!: OrderStatus;
  /** The product delivered: a fabric, or a garment (a style order's too: what its sewing stage makes). */
  @Column({ type: 'jsonb' }) spec!: OrderSpec;
  /** Style orders only: the fabric side of the chain; null on fabric and garment orders. */
  @Column({ type: 'jsonb', nullable: true }) style!: StoredStyle | null;
  @Column({ type: 'integer' }) quantity!: number;
  @Column({ name: 'earliest_start', type: 'date' }) earliestStart!: string;
  @Column({ name: 'due_date', type: 'date' }) dueDate!: string;
  @Column({ name: 'max_splits', type: 'integer' }) maxSplits!: number;
  @Column({ name: 'min_split_quantity', type: 'integer', nullable: true }) minSplitQuantity!: number | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) certifications!: string[];
  @Column({ name: 'target_price', type: 'numeric', nullable: true, transformer: numeric }) targetPrice!: number | null;
  /** The target price, or the first complete plan's price: later plans above it (plus tolerance) need the brand. */
  @Column({ name: 'agreed_price', type: 'numeric', nullable: true, transformer: numeric }) agreedPrice!: number | null;
  @Column({ name: 'price_tolerance_pct', type: 'numeric', default: 0, transformer: numeric }) priceTolerancePct!: number;
  /** The brand declined a higher price: later plans are held to the agreed price. */
  @Column({ name: 'price_declined', type: 'boolean', default: false }) priceDeclined!: boolean;
  @Column({ type: 'jsonb', nullable: true }) approval!: PriceApproval | null;
  @Column({ name: 'approval_expires_at', type: 'timestamptz', nullable: true }) approvalExpiresAt!: Date | null;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'request_hash', type: 'text', nullable: true }) requestHash!: string | null;
  @Column({ type: 'jsonb', nullable: true }) explanation!: OrderExplanation | null;
  /** Pieces per size, summing to `quantity`; garment orders only, null when none was sent. */
  @Column({ type: 'jsonb', nullable: true }) sizes!: SizeBreakdown | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
