import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loom readings by day: at 9,000 readings/s a single table grows by ~780 million rows a day.
 * `machine_readings` becomes range-partitioned on `at` (UTC days, named machine_readings_pYYYYMMDD);
 * the sweep creates days ahead and drops days past the retention period. A reading outside every
 * day lands in the default partition, which the retention also trims.
 */
export class ReadingPartitions1764950000000 implements MigrationInterface {
  name = 'ReadingPartitions1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine_readings RENAME TO machine_readings_unpartitioned`);
    await q.query(`ALTER TABLE machine_readings_unpartitioned RENAME CONSTRAINT machine_readings_pkey TO machine_readings_unpartitioned_pkey`);
    await q.query(`CREATE TABLE machine_readings (
      machine_id uuid NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
      at timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'idle', 'down')),
      picks bigint CHECK (picks >= 0),
      PRIMARY KEY (machine_id, at)
    ) PARTITION BY RANGE (at)`);
    await q.query(`CREATE TABLE machine_readings_default PARTITION OF machine_readings DEFAULT`);
    // One caller at a time (several workers sweep); a day already present is left alone.
    await q.query(`CREATE FUNCTION ensure_reading_partitions(first_day date, last_day date) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE d date; part text; made int := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(764401);
        FOR d IN SELECT g::date FROM generate_series(first_day, last_day, interval '1 day') AS g LOOP
          part := 'machine_readings_p' || to_char(d, 'YYYYMMDD');
          IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF machine_readings FOR VALUES FROM (%L) TO (%L)',
              part, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
            made := made + 1;
          END IF;
        END LOOP;
        RETURN made;
      END $$`);
    await q.query(`CREATE FUNCTION drop_reading_partitions(before_day date) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE r record; dropped int := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(764401);
        FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'machine_readings'::regclass AND c.relname ~ '^machine_readings_p[0-9]{8}$'
                   AND to_date(substr(c.relname, 19), 'YYYYMMDD') < before_day LOOP
          EXECUTE format('DROP TABLE %I', r.relname);
          dropped := dropped + 1;
        END LOOP;
        DELETE FROM machine_readings_default WHERE at < before_day::timestamp AT TIME ZONE 'UTC';
        RETURN dropped;
      END $$`);
    await q.query(`SELECT ensure_reading_partitions((now() AT TIME ZONE 'UTC')::date - 2, (now() AT TIME ZONE 'UTC')::date + 14)`);
    await q.query(`INSERT INTO machine_readings (machine_id, at, state, picks) SELECT machine_id, at, state, picks FROM machine_readings_unpartitioned`);
    await q.query(`DROP TABLE machine_readings_unpartitioned`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE machine_readings_unpartitioned (
      machine_id uuid NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
      at timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'idle', 'down')),
      picks bigint CHECK (picks >= 0),
      CONSTRAINT machine_readings_unpartitioned_pkey PRIMARY KEY (machine_id, at)
    )`);
    await q.query(`INSERT INTO machine_readings_unpartitioned SELECT machine_id, at, state, picks FROM machine_readings`);
    await q.query(`DROP TABLE machine_readings`);
    await q.query(`DROP FUNCTION drop_reading_partitions(date)`);
    await q.query(`DROP FUNCTION ensure_reading_partitions(date, date)`);
    await q.query(`ALTER TABLE machine_readings_unpartitioned RENAME TO machine_readings`);
    await q.query(`ALTER TABLE machine_readings RENAME CONSTRAINT machine_readings_unpartitioned_pkey TO machine_readings_pkey`);
  }
}
