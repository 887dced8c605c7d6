/**
 * The exact re-pack of a trade (ADR 0002): a few orders — one the batch left out and the
 * matched orders dropped to make room for it — are packed again onto the lines they may use,
 * by branch and bound, for the most matched quantity. The rest of the batch stays where it is.
 *
 * The search branches, order by order (largest first), on where the order goes: whole on one
 * line, split over up to `maxSplits` lines, or out. A split's quantities are the corners of
 * what the lines admit: every line but one takes the most it has room for and the remaining one
 * the rest, each line in turn, each share at least its minimum. Interior splits are not tried
 * (they would make the branching infinite), so the search is exact over where each order goes
 * and these corners, within a node budget; for orders that go whole it is exact outright (the
 * spec checks it against brute force). A branch is cut when what it matched plus every order
 * still to place cannot beat the best found. Plain data in, plain data out: the space measures
 * room and holds shares.
 */

/** What one line can take of one order as the space stands: at most `most`, and a split at least `least`. */
export interface LineRoom {
  readonly lineId: string;
  readonly most: number;
  readonly least: number;
}

export interface Share {
  readonly lineId: string;
  readonly quantity: number;
}

/** The batch as the re-pack sees it; `rooms` measures the lines an order may use, as the shares placed so far leave them. */
export interface PackSpace {
  quantity(o: number): number;
  maxSplits(o: number): number;
  rooms(o: number): readonly LineRoom[];
  put(o: number, shares: readonly Share[]): void;
  take(o: number): void;
  /** False once the search has spent its budget: the best packing found so far stands. */
  spend(): boolean;
}

/** Placements tried per order at each node of the search: enough for best-fit and the roomiest splits, few enough to stay small. */
const PLACEMENTS = 10;
/** Lines among which an order's splits are chosen, roomiest first. */
const SPLIT_LINES = 5;

/**
 * The packing of `orders` that matches the most, if it matches more than `floor` (the quantity
 * they held before); null otherwise. Leaves the space as it found it.
 */
export function bestPacking(space: PackSpace, orders: readonly number[], floor: number): Map<number, readonly Share[]> | null {
  const sequence = [...orders].sort((a, b) => space.quantity(b) - space.quantity(a) || a - b);
  const after = sequence.map((_, i) => sequence.slice(i).reduce((s, o) => s + space.quantity(o), 0));
  const chosen = new Map<number, readonly Share[]>();
  let best = floor;
  let bestPlan: Map<number, readonly Share[]> | null = null;
  let stopped = false;

  const search = (i: number, matched: number): void => {
    if (matched > best) {
      best = matched;
      bestPlan = new Map(chosen);
    }
    if (i === sequence.length || stopped || matched + (after[i] ?? 0) <= best) return;
    if (!space.spend()) {
      stopped = true;
      return;
    }
    const o = sequence[i] as number;
    for (const shares of placements(space.rooms(o), space.quantity(o), space.maxSplits(o))) {
      space.put(o, shares);
      chosen.set(o, shares);
      search(i + 1, matched + space.quantity(o));
      chosen.delete(o);
      space.take(o);
      if (stopped || matched + (after[i] ?? 0) <= best) return;
    }
    // Left out: only worth it while the orders after it could still beat the best.
    if (matched + (after[i + 1] ?? 0) > best) search(i + 1, matched);
  };
  search(0, 0);
  return bestPlan;
}

/**
 * Where an order of `quantity` may go on these rooms: whole on one line, tightest first (it leaves
 * the roomier lines to the orders after it); then over two or more of the roomiest lines, the
 * fewest first, each split at least its line's minimum.
 */
export function placements(rooms: readonly LineRoom[], quantity: number, maxSplits: number): Share[][] {
  const usable = rooms.filter((r) => r.most >= r.least && r.most > 0);
  const out: Share[][] = usable.filter((r) => r.most >= quantity)
    .sort((a, b) => a.most - b.most || (a.lineId < b.lineId ? -1 : 1))
    .map((r) => [{ lineId: r.lineId, quantity }]);
  const roomy = usable.filter((r) => r.most < quantity)
    .sort((a, b) => b.most - a.most || (a.lineId < b.lineId ? -1 : 1)).slice(0, SPLIT_LINES);
  for (let k = 2; k <= Math.min(maxSplits, roomy.length) && out.length < PLACEMENTS; k++) {
    for (const lines of combinations(roomy, k)) {
      if (lines.reduce((s, r) => s + r.most, 0) < quantity) continue;
      for (let rest = lines.length - 1; rest >= 0; rest--) {
        const split = corner(lines, rest, quantity);
        if (split !== null && !out.some((p) => sameSplit(p, split))) out.push(split);
      }
    }
  }
  return out.slice(0, PLACEMENTS);
}

/** Every line but `rest` takes the most it can while leaving the others their minimums; `rest` takes what is left. */
function corner(lines: readonly LineRoom[], rest: number, quantity: number): Share[] | null {
  const shares: Share[] = [];
  let left = quantity;
  let minimumsAfter = lines.reduce((s, r) => s + r.least, 0);
  for (let i = 0; i < lines.length; i++) {
    if (i === rest) continue;
    const r = lines[i] as LineRoom;
    minimumsAfter -= r.least;
    const take = Math.min(r.most, left - minimumsAfter);
    if (take < r.least) return null;
    shares.push({ lineId: r.lineId, quantity: take });
    left -= take;
  }
  const r = lines[rest] as LineRoom;
  if (left < r.least || left > r.most) return null;
  shares.push({ lineId: r.lineId, quantity: left });
  return shares.sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
}

function sameSplit(a: readonly Share[], b: readonly Share[]): boolean {
  return a.length === b.length && a.every((s, i) => s.lineId === b[i]?.lineId && s.quantity === b[i]?.quantity);
}

/** Every subset of `items` with exactly k members, each in the items' order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const grow = (start: number, chosen: T[]): void => {
    if (chosen.length === k) {
      out.push(chosen);
      return;
    }
    for (let i = start; i <= items.length - (k - chosen.length); i++) grow(i + 1, [...chosen, items[i] as T]);
  };
  grow(0, []);
  return out;
}
