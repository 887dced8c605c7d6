import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lots (DESIGN.md §10): a factory's output as rolls, batches, bundles and cartons, each with a
 * public identifier, and the input lots each one consumed.
 *
 * - `identifier` is unique by constraint and lots are never deleted (no cascade from their
 *   allocation or order), so an identifier once printed is never given to another lot.
 * - `order_id`, `factory_id` and `line_id` are copied from the allocation: the resolution reads a
 *   whole chain with no join back through allocations, and the chain rule (inputs from the same
 *   order only) is a comparison of two columns.
 * - `counted`: whether the lot's quantity counts toward its allocation's production (cartons pack
 *   bundles already counted); kept on the row so the sum is one indexed scan.
 * - `lot_inputs (lot_id, input_id)`: the edges the recursive resolution walks, by its primary key.
 */
export class Lots1765460000000 implements MigrationInterface {
  name = 'Lots1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE lots (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      identifier text NOT NULL CONSTRAINT lots_identifier UNIQUE,
      kind text NOT NULL CHECK (kind IN ('roll', 'batch', 'bundle', 'carton')),
      allocation_id uuid NOT NULL REFERENCES allocations(id),
      order_id uuid NOT NULL REFERENCES orders(id),
      factory_id uuid NOT NULL REFERENCES organizations(id),
      line_id uuid NOT NULL REFERENCES lines(id),
      quantity integer NOT NULL CHECK (quantity > 0),
      unit text NOT NULL CHECK (unit IN ('m', 'pcs')),
      counted boolean NOT NULL,
      made_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX lots_allocation ON lots (allocation_id, made_at, id)`);
    await q.query(`CREATE TABLE lot_inputs (
      lot_id bigint NOT NULL REFERENCES lots(id),
      input_id bigint NOT NULL REFERENCES lots(id),
      PRIMARY KEY (lot_id, input_id),
      CHECK (lot_id <> input_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lot_inputs`);
    await q.query(`DROP TABLE lots`);
  }
}
