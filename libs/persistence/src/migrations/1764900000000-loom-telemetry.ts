import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loom telemetry: a line's machines with the gateway's external ids, their readings (one per
 * machine and instant, so a repeated reading is a no-op), batches written ahead by the API for
 * the worker, and the picks telemetry has credited to each allocation.
 */
export class LoomTelemetry1764900000000 implements MigrationInterface {
  name = 'LoomTelemetry1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE machines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      factory_id uuid NOT NULL REFERENCES organizations(id),
      line_id uuid NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
      external_id text NOT NULL,
      state text CHECK (state IN ('running', 'idle', 'down')),
      state_at timestamptz,
      down_since timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT machines_external_id UNIQUE (factory_id, external_id)
    )`);
    await q.query(`CREATE INDEX machines_line ON machines (line_id)`);
    await q.query(`CREATE INDEX machines_down ON machines (line_id) WHERE state = 'down'`);
    await q.query(`CREATE TABLE machine_readings (
      machine_id uuid NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
      at timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'idle', 'down')),
      picks bigint CHECK (picks >= 0),
      PRIMARY KEY (machine_id, at)
    )`);
    await q.query(`CREATE TABLE telemetry_batches (
      id bigserial PRIMARY KEY,
      factory_id uuid NOT NULL,
      machine_ids uuid[] NOT NULL,
      ats timestamptz[] NOT NULL,
      states text[] NOT NULL,
      picks bigint[] NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX telemetry_batches_received ON telemetry_batches (received_at)`);
    await q.query(`CREATE TABLE allocation_telemetry (
      allocation_id uuid PRIMARY KEY REFERENCES allocations(id) ON DELETE CASCADE,
      picks bigint NOT NULL DEFAULT 0 CHECK (picks >= 0)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['allocation_telemetry', 'telemetry_batches', 'machine_readings', 'machines']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
