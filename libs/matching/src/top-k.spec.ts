import fc from 'fast-check';
import { firstOf, largest } from './top-k';

describe('top-k selection', () => {
  it('largest(values, k) equals the first k of a full descending sort', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.integer({ min: 0, max: 6 }), (values, k) => {
      expect(largest(values, k)).toEqual([...values].sort((a, b) => b - a).slice(0, k));
    }));
  });

  it('firstOf(items, n, order) equals the first n of a full sort', () => {
    const order = (a: readonly [number, string], b: readonly [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 2 }))), fc.integer({ min: 1, max: 8 }), (items, n) => {
      expect(firstOf(items, n, order)).toEqual([...items].sort(order).slice(0, n));
    }));
  });
});
