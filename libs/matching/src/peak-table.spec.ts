import fc from 'fast-check';
import { LineStore } from './line-store';
import { windowUnits } from './line-table';
import { line } from './testing/fixtures';

const HORIZON = 8;

/** Operations on a store: add or replace a line, change a day, remove a line, move the horizon on. */
const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 12 }), free: fc.array(fc.integer({ min: 0, max: 900 }), { maxLength: HORIZON }) }),
  fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 12 }), day: fc.integer({ min: 0, max: HORIZON - 1 }), delta: fc.integer({ min: -400, max: 400 }) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('shift' as const), days: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ kind: 'read' as const }),
);

describe('PeakTable', () => {
  it('reads every window of every live line as its prefix-sum row does, whatever happened since it was placed', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const store = new LineStore(HORIZON, 2);
      const check = (): void => {
        const table = store.byPeak;
        for (const slot of store.liveSlots()) {
          for (let from = 0; from < HORIZON; from++) {
            for (let to = from; to < HORIZON; to++) expect(table.units(slot, from, to)).toBe(windowUnits(store.table, slot, from, to));
          }
        }
      };
      for (const o of ops) {
        const id = 'id' in o ? `L${o.id}` : '';
        if (o.kind === 'put') store.put(line(id, { free: o.free }));
        else if (o.kind === 'add') {
          const slot = store.slotOf(id);
          if (slot !== undefined) store.addFree(slot, o.day, Math.max(o.delta, -store.freeOn(slot, o.day)));
        } else if (o.kind === 'delete') store.delete(id);
        else if (o.kind === 'shift') store.shift(o.days);
        else check();
      }
      check();
    }), { numRuns: 300 });
  });
});
