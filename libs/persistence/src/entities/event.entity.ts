import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Domain events, written in the same transaction as the change they describe. */
@Entity('events')
export class EventEntity {
  /** bigserial: the live feed's Last-Event-ID. */
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ name: 'order_id', type: 'uuid', nullable: true }) orderId!: string | null;
  /** Organizations allowed to see this event besides operators. */
  @Column({ name: 'audience', type: 'uuid', array: true, default: () => "'{}'" }) audience!: string[];
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
