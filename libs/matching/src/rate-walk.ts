/**
 * Walks a bucket in rate order from its cheapest line, offering `visit` the position of each
 * line whose peak times the window's length reaches `least`, and stops at the first position
 * where `stops` holds; returns that position (the lines walked, as the work meter counts them).
 *
 * `stops` must be monotone for as long as `visit` changes nothing it reads: once it holds at a
 * position it holds at every later one. The bounds a walk stops on are (rates rise, the bounds
 * of the lines left fall, and the best found only rises in `visit`), so between two visited
 * lines it is tested once, at the later one, and searched back only when it holds there. On a
 * scarce order most lines fail the peak test, and passing one then costs a read and a compare.
 */
export function walkByRate(
  peaks: Float64Array, windowDays: number, least: number, stops: (at: number) => boolean, visit: (at: number) => void,
): number {
  const n = peaks.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && (peaks[j] ?? 0) * windowDays < least) j++;
    const last = j < n ? j : n - 1;
    if (stops(last)) return firstStop(i, last, stops);
    if (j === n) return n;
    visit(j);
    i = j + 1;
  }
  return i;
}

/** The first position in [lo, hi] where `stops` holds, given that it holds at hi. */
function firstStop(lo: number, hi: number, stops: (at: number) => boolean): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (stops(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}
