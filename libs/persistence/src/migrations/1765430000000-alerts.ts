import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The radar's early warnings. One row per raised alert; `cause` names what it is about (its kind
 * and subject: `booked:Shaoxing, Zhejiang`), and at most one alert per cause is open at a time
 * (the partial unique index), so the periodic evaluation raises an alert once and clears it when
 * the cause ends. Cleared rows stay as the history of what happened.
 */
export class Alerts1765430000000 implements MigrationInterface {
  name = 'Alerts1765430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE alerts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('booked', 'reason-rising', 'looms-down', 'stranded')),
      cause text NOT NULL,
      subject text NOT NULL,
      detail jsonb NOT NULL,
      raised_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      cleared_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX alerts_open_cause ON alerts (cause) WHERE cleared_at IS NULL`);
    await q.query(`CREATE INDEX alerts_raised ON alerts (raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts`);
  }
}
