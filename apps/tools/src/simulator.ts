import { randomUUID } from 'node:crypto';
import { type SeededKey, SeedRng, smallOrder } from '@cloudloom/market';

export interface SimulatorOptions {
  /** The API, e.g. http://127.0.0.1:3000/api/v1. */
  readonly baseUrl: string;
  readonly keys: readonly SeededKey[];
  readonly ordersPerSecond: number;
  readonly seed: number;
  /** Share of offers accepted, rejected; the rest are left to expire. */
  readonly acceptShare: number;
  readonly rejectShare: number;
  readonly log: (line: string) => void;
}

interface Offer {
  id: string;
  quantity: number;
  status: string;
  producedQuantity: number;
}

const REJECT_REASONS = ['looms booked for a repeat order', 'yarn not in stock', 'width change needs a new warp', 'line down for maintenance'];
/** How often each factory looks at its offers, and how long it takes to decide. */
const FACTORY_POLL_MS = 4000;
const DECIDE_MS: readonly [number, number] = [2000, 15_000];
/** Production runs in compressed time: a report every few seconds, done in four to eight. */
const PROGRESS_MS: readonly [number, number] = [4000, 10_000];

/**
 * Brands and factories as HTTP clients of the API: brands post a stream of small orders;
 * each factory polls its offers, accepts, rejects or lets them expire, then reports
 * production in steps until the allocation is produced. stop() lets requests in flight finish.
 */
export class Simulator {
  private readonly rng: SeedRng;
  private readonly brands: readonly SeededKey[];
  private readonly factories: readonly SeededKey[];
  private readonly seen = new Set<string>();
  private readonly producing = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  private pollCursor = 0;
  readonly counts = { posted: 0, accepted: 0, rejected: 0, ignored: 0, progress: 0, produced: 0, errors: 0 };

  constructor(private readonly options: SimulatorOptions) {
    this.rng = new SeedRng(options.seed);
    this.brands = options.keys.filter((k) => k.kind === 'brand');
    this.factories = options.keys.filter((k) => k.kind === 'factory');
  }

  start(): void {
    this.every(1000 / this.options.ordersPerSecond, () => this.track(this.postOrder()));
    // Each tick polls a slice of the factories, so every factory looks once per FACTORY_POLL_MS.
    const slice = Math.max(1, Math.ceil(this.factories.length / (FACTORY_POLL_MS / 500)));
    this.every(500, () => {
      for (let i = 0; i < slice; i++) this.track(this.pollFactory(this.factories[this.pollCursor++ % this.factories.length]!));
    });
    this.every(10_000, () => {
      const c = this.counts;
      this.options.log(`simulator: ${c.posted} orders posted; offers ${c.accepted} accepted, ${c.rejected} rejected, ${c.ignored} left to expire; ${c.progress} progress reports, ${c.produced} allocations produced${c.errors ? `; ${c.errors} errors` : ''}`);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private every(ms: number, work: () => void): void {
    const tick = (): void => {
      if (this.stopped) return;
      work();
      this.later(ms * this.rng.range(0.5, 1.5), tick);
    };
    this.later(ms, tick);
  }

  private later(ms: number, work: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) this.track(Promise.resolve(work()));
    }, ms);
    this.timers.add(timer);
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((error: unknown) => {
      this.counts.errors++;
      if (this.counts.errors <= 5) this.options.log(`simulator: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async postOrder(): Promise<void> {
    const brand = this.rng.pick(this.brands);
    const today = new Date().toISOString().slice(0, 10);
    await this.call(brand, 'POST', '/orders', smallOrder(this.rng, today), { 'idempotency-key': randomUUID() });
    this.counts.posted++;
  }

  private async pollFactory(factory: SeededKey): Promise<void> {
    const offered = await this.call<{ items: Offer[] }>(factory, 'GET', '/offers?status=offered');
    for (const offer of offered.items) {
      if (this.seen.has(offer.id)) continue;
      this.seen.add(offer.id);
      const choice = this.rng.next();
      if (choice < this.options.acceptShare) {
        this.later(this.rng.range(...DECIDE_MS), async () => {
          await this.call(factory, 'POST', `/offers/${offer.id}/accept`);
          this.counts.accepted++;
        });
      } else if (choice < this.options.acceptShare + this.options.rejectShare) {
        this.later(this.rng.range(...DECIDE_MS), async () => {
          await this.call(factory, 'POST', `/offers/${offer.id}/reject`, { reason: this.rng.pick(REJECT_REASONS) });
          this.counts.rejected++;
        });
      } else this.counts.ignored++;
    }
    // Accepted work (including what auto-accepting factories were dispatched) goes to the floor.
    const accepted = await this.call<{ items: Offer[] }>(factory, 'GET', '/offers?status=accepted');
    for (const allocation of accepted.items) if (!this.producing.has(allocation.id)) this.produce(factory, allocation);
  }

  private produce(factory: SeededKey, allocation: Offer): void {
    this.producing.add(allocation.id);
    const steps = this.rng.int(4, 8);
    let produced = allocation.producedQuantity;
    const step = async (): Promise<void> => {
      produced = Math.min(allocation.quantity, produced + Math.ceil(allocation.quantity / steps));
      await this.call(factory, 'POST', `/allocations/${allocation.id}/progress`, { producedQuantity: produced });
      this.counts.progress++;
      if (produced < allocation.quantity) this.later(this.rng.range(...PROGRESS_MS), step);
      else this.counts.produced++;
    };
    this.later(this.rng.range(...PROGRESS_MS), step);
  }

  private async call<T = unknown>(who: SeededKey, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${who.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // 409: the offer expired or the order was re-planned meanwhile, as happens to real clients.
    if (!response.ok && response.status !== 409) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}
