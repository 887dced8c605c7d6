interface Waiting<K, R> {
  readonly key: K;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers single requests into batches and runs one batch at a time. Whatever arrives while a
 * batch runs waits for the next one, so batches grow with the load and cost nothing when it
 * is light (a lone request runs on the next turn of the event loop).
 *
 * Why not DataLoader: it dispatches every tick's batch at once, concurrently with the ones
 * still running. Here batches must not overlap — each plans on the same in-memory market and
 * would otherwise race itself for the same loom-days — and their size should follow the backlog.
 */
export class SerialBatcher<K, R> {
  private waiting: Waiting<K, R>[] = [];
  private running = false;

  /** `run` answers every key of a batch, in order; if it throws, every request of the batch fails with it. */
  constructor(
    private readonly run: (keys: readonly K[]) => Promise<readonly R[]>,
    private readonly maxBatch: number,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }

  submit(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Requests handed over in the same turn (a queue worker fetching several jobs) share the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((w) => w.key));
        if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${results.length} results`);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}
