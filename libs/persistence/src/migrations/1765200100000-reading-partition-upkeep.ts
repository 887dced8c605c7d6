import type { MigrationInterface, QueryRunner } from 'typeorm';

const ENSURE_V1 = `CREATE OR REPLACE FUNCTION ensure_reading_partitions(first_day date, last_day date) RETURNS int LANGUAGE plpgsql AS $$
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
      END $$`;

/**
 * Readings for a day without its partition land in the default partition (the sweep stopped for a
 * while, or a gateway sent a day nobody made yet). Creating that day's partition afterwards used
 * to fail (PostgreSQL refuses a new partition while the default holds rows of its range), so the
 * day could never be made again. Now the day's rows move out of the default into the new
 * partition, which is then attached, in the same transaction: nothing is lost or counted twice.
 * The default is locked first, so no reading of that day can slip in between.
 */
export class ReadingPartitionUpkeep1765200100000 implements MigrationInterface {
  name = 'ReadingPartitionUpkeep1765200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ensure_reading_partitions(first_day date, last_day date) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE d date; part text; lo timestamptz; hi timestamptz; made int := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(764401);
        FOR d IN SELECT g::date FROM generate_series(first_day, last_day, interval '1 day') AS g LOOP
          part := 'machine_readings_p' || to_char(d, 'YYYYMMDD');
          IF to_regclass(part) IS NULL THEN
            lo := d::timestamp AT TIME ZONE 'UTC';
            hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
            IF EXISTS (SELECT 1 FROM machine_readings_default WHERE at >= lo AND at < hi) THEN
              LOCK TABLE machine_readings_default IN ACCESS EXCLUSIVE MODE;
              EXECUTE format('CREATE TABLE %I (LIKE machine_readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
              EXECUTE format('WITH moved AS (DELETE FROM machine_readings_default WHERE at >= %L AND at < %L RETURNING machine_id, at, state, picks)
                              INSERT INTO %I (machine_id, at, state, picks) SELECT machine_id, at, state, picks FROM moved', lo, hi, part);
              EXECUTE format('ALTER TABLE machine_readings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
            ELSE
              EXECUTE format('CREATE TABLE %I PARTITION OF machine_readings FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
            END IF;
            made := made + 1;
          END IF;
        END LOOP;
        RETURN made;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ENSURE_V1);
  }
}
