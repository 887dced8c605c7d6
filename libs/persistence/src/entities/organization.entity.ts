import type { FactoryContacts } from '@cloudloom/contracts';
import { numeric } from './transformers';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OrganizationKind = 'brand' | 'factory' | 'operator';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) kind!: OrganizationKind;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) city!: string | null;
  @Column({ type: 'text', nullable: true }) province!: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) certifications!: string[];
  @Column({ name: 'auto_accept', type: 'boolean', default: false }) autoAccept!: boolean;
  /** A brand's standing tolerance: counters within this much above the offer's price are accepted for it (docs/terms.md). */
  @Column({ name: 'counter_tolerance_pct', type: 'numeric', default: 0, transformer: numeric }) counterTolerancePct!: number;
  /** ... and within this many days after the offer's end date. */
  @Column({ name: 'counter_tolerance_days', type: 'integer', default: 0 }) counterToleranceDays!: number;
  /** A factory's contacts, shown to the brands it works for (empty for brands). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) contacts!: FactoryContacts;
  @Column({ type: 'boolean', default: false }) verified!: boolean;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
