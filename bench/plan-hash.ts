import { createHash } from 'node:crypto';
import { MarketIndex } from '@cloudloom/matching';
import { buildMarket, REFERENCE } from './support/market';
import { buildOrders } from './support/orders';

/**
 * A fingerprint of 4,000 reference plans: the planner bench's market (seed 42) and order mix,
 * 3,000 orders planned and reserved one after another as the worker does, then 1,000 more
 * planned in batches of 64 (`planBatch`). Every result (allocations, days, scores, reasons,
 * closest misses) goes into one SHA-256, so a change that should leave plans alone shows
 * the same hash before and after. Run: npm run bench:plan-hash
 */
const SINGLES = 3_000;
const BATCHED = 1_000;
const BATCH = 64;

function main(): void {
  const mix = { garmentShare: 0.3, scarceShare: 0.15, horizon: REFERENCE.horizon };
  const index = new MarketIndex({ horizon: REFERENCE.horizon });
  for (const line of buildMarket(REFERENCE, 42)) index.upsertLine(line);
  const hash = createHash('sha256');
  let matched = 0;
  for (const request of buildOrders(mix, SINGLES, 7)) {
    const result = index.plan(request);
    if (result.ok) {
      index.reservePlan(result);
      matched++;
    }
    hash.update(JSON.stringify(result));
  }
  const batched = buildOrders(mix, BATCHED, 13);
  for (let i = 0; i < batched.length; i += BATCH) {
    for (const result of index.planBatch(batched.slice(i, i + BATCH))) {
      if (result.ok) matched++;
      hash.update(JSON.stringify(result));
    }
  }
  console.log(`plans: ${SINGLES + BATCHED} (${SINGLES} one by one, ${BATCHED} in batches of ${BATCH}), matched ${matched}`);
  console.log(`plan hash: ${hash.digest('hex')}`);
}

main();
