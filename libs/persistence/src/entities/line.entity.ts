import type { PriceCovers } from '@cloudloom/contracts';
import type { LineSpec } from '@cloudloom/matching';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numeric } from './transformers';

@Entity('lines')
export class LineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'factory_id', type: 'uuid' }) factoryId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: LineSpec['kind'];
  /** The machine description in real units (looms x rpm, operators x minutes). */
  @Column({ type: 'jsonb' }) spec!: LineSpec;
  @Column({ name: 'rate_per_unit', type: 'numeric', transformer: numeric }) ratePerUnit!: number;
  /** What the rate pays for: processing only, or the yarn too (DESIGN.md §9). */
  @Column({ name: 'price_covers', type: 'text', default: 'processing' }) priceCovers!: PriceCovers;
  @Column({ name: 'daily_capacity', type: 'bigint', transformer: numeric }) dailyCapacity!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
