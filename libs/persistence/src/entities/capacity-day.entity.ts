import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numeric } from './transformers';

/** The capacity ledger: one row per line and date. The database enforces 0 <= reserved <= capacity. */
@Entity('capacity_days')
export class CapacityDayEntity {
  @PrimaryColumn({ name: 'line_id', type: 'uuid' }) lineId!: string;
  @PrimaryColumn({ type: 'date' }) day!: string;
  @Column({ type: 'bigint', transformer: numeric }) capacity!: number;
  @Column({ type: 'bigint', transformer: numeric, default: 0 }) reserved!: number;
  /** Availability override: share of the nominal daily capacity usable that day. */
  @Column({ type: 'numeric', transformer: numeric, default: 1 }) fraction!: number;
}
