import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MACHINE_STATES = ['running', 'idle', 'down'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/** One loom (or sewing station) of a line, known to the factory's gateway by its external id. */
@Entity('machines')
export class MachineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'factory_id', type: 'uuid' }) factoryId!: string;
  @Column({ name: 'line_id', type: 'uuid' }) lineId!: string;
  @Column({ name: 'external_id', type: 'text' }) externalId!: string;
  /** The state of the reading with the latest `at`; null until the first reading. */
  @Column({ type: 'text', nullable: true }) state!: MachineState | null;
  @Column({ name: 'state_at', type: 'timestamptz', nullable: true }) stateAt!: Date | null;
  /** Start of the current run of `down` readings. */
  @Column({ name: 'down_since', type: 'timestamptz', nullable: true }) downSince!: Date | null;
  /** When the platform first received the current run of `down` readings: the down bound counts from the later of the two. */
  @Column({ name: 'down_seen_at', type: 'timestamptz', nullable: true }) downSeenAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
