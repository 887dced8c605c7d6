/** A size breakdown: pieces per size label, in the brand's order (S, M, L …). */
export type SizeBreakdown = readonly { readonly size: string; readonly quantity: number }[];

/**
 * Splits `quantity` pieces of what is left of each size in proportion to it, by largest
 * remainder: the shares sum to `quantity` exactly and none exceeds what is left of its size.
 * Ties go to the size listed first, so the answer is deterministic.
 */
function shareOf(left: readonly number[], quantity: number): number[] {
  const total = left.reduce((s, n) => s + n, 0);
  if (quantity >= total) return [...left];
  const exact = left.map((n) => (n * quantity) / total);
  const shares = exact.map(Math.floor);
  let short = quantity - shares.reduce((s, n) => s + n, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (short === 0) break;
    shares[i]! += 1;
    short -= 1;
  }
  return shares;
}

/**
 * Each allocation's pieces per size, taken in the order given: each gets its share of what the
 * allocations before it left, so every allocation's sizes sum to its quantity and, when the
 * allocations cover the order, every size's shares sum to that size exactly. Allocations listed
 * first keep their sizes whatever happens to those after them, so the caller lists work already
 * in production first.
 */
export function sizeShares(sizes: SizeBreakdown, quantities: readonly number[]): SizeBreakdown[] {
  const left = sizes.map((s) => s.quantity);
  return quantities.map((quantity) => {
    const shares = shareOf(left, quantity);
    shares.forEach((n, i) => (left[i]! -= n));
    return sizes.map((s, i) => ({ size: s.size, quantity: shares[i]! }));
  });
}
