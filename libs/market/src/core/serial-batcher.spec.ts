import { SerialBatcher } from './serial-batcher';

/** A batch runner whose batches finish only when the test says so. */
function gated(): { runs: string[][]; release: () => void; run: (keys: readonly string[]) => Promise<string[]> } {
  const runs: string[][] = [];
  const gates: (() => void)[] = [];
  return {
    runs,
    release: () => gates.shift()?.(),
    run: (keys) => {
      runs.push([...keys]);
      return new Promise((resolve) => gates.push(() => resolve(keys.map((k) => k.toUpperCase()))));
    },
  };
}

describe('SerialBatcher', () => {
  it('puts requests of one turn in one batch and answers each with its own result', async () => {
    const g = gated();
    const batcher = new SerialBatcher(g.run, 10);
    const answers = Promise.all(['a', 'b', 'c'].map((k) => batcher.submit(k)));
    await vi.waitFor(() => expect(g.runs).toHaveLength(1));
    g.release();
    expect(await answers).toEqual(['A', 'B', 'C']);
    expect(g.runs).toEqual([['a', 'b', 'c']]);
  });

  it('runs one batch at a time; what arrives meanwhile waits and goes together, at most maxBatch', async () => {
    const g = gated();
    const batcher = new SerialBatcher(g.run, 2);
    const first = batcher.submit('a');
    await vi.waitFor(() => expect(g.runs).toHaveLength(1));
    const later = ['b', 'c', 'd'].map((k) => batcher.submit(k));
    // The first batch still runs: nothing else may start.
    await new Promise((r) => setImmediate(r));
    expect(g.runs).toHaveLength(1);
    g.release();
    expect(await first).toBe('A');
    await vi.waitFor(() => expect(g.runs).toHaveLength(2));
    g.release();
    await vi.waitFor(() => expect(g.runs).toHaveLength(3));
    g.release();
    expect(await Promise.all(later)).toEqual(['B', 'C', 'D']);
    expect(g.runs).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('fails every request of a failed batch, and only those', async () => {
    let calls = 0;
    const batcher = new SerialBatcher((keys: readonly string[]) => {
      calls++;
      return keys.includes('bad') ? Promise.reject(new Error('boom')) : Promise.resolve(keys.map((k) => k.length));
    }, 2);
    const failed = [batcher.submit('bad'), batcher.submit('xx')];
    const fine = batcher.submit('yyy');
    await expect(failed[0]).rejects.toThrow('boom');
    await expect(failed[1]).rejects.toThrow('boom');
    expect(await fine).toBe(3);
    expect(calls).toBe(2);
  });

  it('refuses a runner that answers a batch with the wrong number of results', async () => {
    const batcher = new SerialBatcher(() => Promise.resolve([1]), 5);
    await expect(Promise.all([batcher.submit('a'), batcher.submit('b')])).rejects.toThrow('a batch of 2 got 1 results');
  });
});
