import { JOB_QUEUE, jobIdOf, QueueName } from './queues';

describe('queue contracts', () => {
  it('gives the same job the same id, and different orders different ids', () => {
    const a = jobIdOf({ name: 'match-order', data: { orderId: 'o1' } });
    expect(a).toBe(jobIdOf({ name: 'match-order', data: { orderId: 'o1' } }));
    expect(a).not.toBe(jobIdOf({ name: 'match-order', data: { orderId: 'o2' } }));
    expect(a).not.toContain(':');
  });

  it('routes every job to a known queue', () => {
    const queues = new Set<string>(Object.values(QueueName));
    for (const queue of Object.values(JOB_QUEUE)) expect(queues.has(queue)).toBe(true);
  });
});
