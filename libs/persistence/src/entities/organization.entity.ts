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
  @Column({ type: 'boolean', default: false }) verified!: boolean;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
