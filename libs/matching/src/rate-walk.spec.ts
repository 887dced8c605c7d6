import { describe, expect, it } from 'vitest';
import { walkByRate } from './rate-walk';

/** The walk it replaces: every position tested, in order. */
function walkEvery(peaks: Float64Array, windowDays: number, least: number, stops: (at: number) => boolean, visit: (at: number) => void): number {
  let i = 0;
  for (; i < peaks.length; i++) {
    if (stops(i)) break;
    if ((peaks[i] ?? 0) * windowDays >= least) visit(i);
  }
  return i;
}

describe('walkByRate', () => {
  it('visits the same lines and stops at the same position as a walk over every line', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 500; trial++) {
      const n = Math.floor(random() * 40);
      const peaks = Float64Array.from({ length: n }, () => Math.floor(random() * 10));
      // A stop that moves only when a visit raises the best found, as the searches' bounds do.
      const bound = Float64Array.from({ length: n }, () => random()).sort().reverse();
      const run = (walk: typeof walkEvery): { at: number; visited: number[] } => {
        let best = -1;
        const visited: number[] = [];
        const at = walk(peaks, 3, 15, (i) => (bound[i] ?? 0) < best, (i) => {
          visited.push(i);
          if (random() < 0.3) best = Math.max(best, (bound[i] ?? 0) * 0.9);
        });
        return { at, visited };
      };
      const saved = seed;
      const expected = run(walkEvery);
      seed = saved;
      expect(run(walkByRate)).toEqual(expected);
    }
  });
});
