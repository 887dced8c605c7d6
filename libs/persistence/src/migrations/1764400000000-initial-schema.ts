import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, keys, lines and their capacity ledger, orders, allocations, events. */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE organizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('brand', 'factory', 'operator')),
      name text NOT NULL,
      city text,
      province text,
      certifications text[] NOT NULL DEFAULT '{}',
      auto_accept boolean NOT NULL DEFAULT false,
      verified boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      key_hash text NOT NULL UNIQUE,
      label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX api_keys_organization ON api_keys (organization_id)`);
    await q.query(`CREATE TABLE lines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      factory_id uuid NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('weaving', 'sewing')),
      spec jsonb NOT NULL,
      rate_per_unit numeric NOT NULL CHECK (rate_per_unit >= 0),
      daily_capacity bigint NOT NULL CHECK (daily_capacity >= 0),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX lines_factory ON lines (factory_id)`);
    await q.query(`CREATE TABLE capacity_days (
      line_id uuid NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
      day date NOT NULL,
      capacity bigint NOT NULL,
      reserved bigint NOT NULL DEFAULT 0,
      fraction numeric NOT NULL DEFAULT 1 CHECK (fraction >= 0 AND fraction <= 1),
      PRIMARY KEY (line_id, day),
      CONSTRAINT capacity_days_reserved_within_capacity CHECK (reserved >= 0 AND reserved <= capacity)
    )`);
    await q.query(`CREATE TABLE orders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      brand_id uuid NOT NULL REFERENCES organizations(id),
      kind text NOT NULL CHECK (kind IN ('fabric', 'garment')),
      status text NOT NULL,
      spec jsonb NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      earliest_start date NOT NULL,
      due_date date NOT NULL,
      max_splits integer NOT NULL CHECK (max_splits >= 1),
      min_split_quantity integer,
      certifications text[] NOT NULL DEFAULT '{}',
      target_price numeric,
      idempotency_key text,
      request_hash text,
      explanation jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (due_date >= earliest_start)
    )`);
    await q.query(`CREATE UNIQUE INDEX orders_idempotency ON orders (brand_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX orders_brand ON orders (brand_id, created_at DESC)`);
    // The sweep looks for orders still waiting for the matcher.
    await q.query(`CREATE INDEX orders_waiting ON orders (status, updated_at) WHERE status IN ('pending', 'matching', 'unmatched')`);
    await q.query(`CREATE TABLE allocations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      order_id uuid NOT NULL REFERENCES orders(id),
      factory_id uuid NOT NULL REFERENCES organizations(id),
      line_id uuid NOT NULL REFERENCES lines(id),
      quantity integer NOT NULL CHECK (quantity > 0),
      demand bigint NOT NULL CHECK (demand > 0),
      start_date date NOT NULL,
      end_date date NOT NULL,
      status text NOT NULL,
      expires_at timestamptz,
      score numeric NOT NULL,
      score_parts jsonb NOT NULL,
      price numeric NOT NULL,
      produced_quantity integer NOT NULL DEFAULT 0 CHECK (produced_quantity >= 0 AND produced_quantity <= quantity),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX allocations_order ON allocations (order_id)`);
    await q.query(`CREATE INDEX allocations_factory ON allocations (factory_id, status, created_at DESC)`);
    await q.query(`CREATE TABLE allocation_days (
      allocation_id uuid NOT NULL REFERENCES allocations(id) ON DELETE CASCADE,
      day date NOT NULL,
      line_id uuid NOT NULL,
      units bigint NOT NULL CHECK (units > 0),
      PRIMARY KEY (allocation_id, day)
    )`);
    await q.query(`CREATE INDEX allocation_days_line ON allocation_days (line_id, day)`);
    await q.query(`CREATE TABLE events (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      order_id uuid,
      audience uuid[] NOT NULL DEFAULT '{}',
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX events_audience ON events USING gin (audience)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['events', 'allocation_days', 'allocations', 'orders', 'capacity_days', 'lines', 'api_keys', 'organizations']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
