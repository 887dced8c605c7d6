/**
 * Queue contracts in one place: every queue, every job name and its payload, checked by
 * the compiler on both the producing and the consuming side.
 */
export const QueueName = {
  Matching: 'matching',
  Offers: 'offers',
  Capacity: 'capacity',
  Maintenance: 'maintenance',
  Telemetry: 'telemetry',
  Webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/**
 * With the market partitioned among matchers (MATCH_PARTITIONS, ADR 0003), each partition's match
 * jobs have a queue of their own, consumed only by that partition's leader. The plain `matching`
 * queue stays: partition 0's leader drains it, so jobs queued before the switch are not stranded.
 */
export type MatchingPartitionQueue = `matching-${number}`;
export const matchingQueueOf = (partition: number): MatchingPartitionQueue => `matching-${partition}`;
/** Any queue the platform opens: a fixed one, or a matcher partition's. */
export type AnyQueueName = QueueName | MatchingPartitionQueue;

export interface JobPayloads {
  'match-order': { orderId: string };
  /** The orders of one bulk post: one job, so a hundred orders cost the queue what one does. */
  'match-orders': { orderIds: string[] };
  'expire-offer': { allocationId: string };
  /**
   * Unmatched orders may fit this line now. `window` numbers the short span the wake-up coalesces
   * (see the market's capacity wake): every change of the line within it is one job. `before`
   * marks a continuation of a wake-up that met its bound: it wakes only orders last planned
   * before that time (ms since the epoch), so a backlog larger than one wake is worked through
   * once and the chain ends.
   */
  'capacity-changed': { lineId: string; window?: number; before?: number };
  sweep: Record<string, never>;
  /** A batch of loom readings written ahead into `telemetry_batches` by the API: the job carries only its id. */
  'ingest-telemetry': { batchId: string };
  /**
   * One attempt at one webhook delivery (a row of `webhook_deliveries`, which holds the state).
   * `attempt` is the attempts made before this one: a stale job for an earlier attempt does nothing.
   */
  'deliver-webhook': { deliveryId: string; attempt: number };
}
export type JobName = keyof JobPayloads;

/** Which queue carries which job. */
export const JOB_QUEUE: { readonly [J in JobName]: QueueName } = {
  'match-order': QueueName.Matching,
  'match-orders': QueueName.Matching,
  'expire-offer': QueueName.Offers,
  'capacity-changed': QueueName.Capacity,
  sweep: QueueName.Maintenance,
  'ingest-telemetry': QueueName.Telemetry,
  'deliver-webhook': QueueName.Webhooks,
};

export type Job<J extends JobName = JobName> = { readonly [K in J]: { readonly name: K; readonly data: JobPayloads[K] } }[J];

/**
 * Deterministic job ids make re-adds harmless: enqueueing an order that is already waiting
 * is a no-op, so the sweep and the API can both enqueue without coordination. A finished job
 * (completed or failed) keeps nothing under its id (`removeOnComplete`/`removeOnFail` in the
 * queue backend), so the same work can always be added again.
 * BullMQ refuses ':' in custom ids, hence '.'.
 */
export function jobIdOf(job: Job): string {
  switch (job.name) {
    case 'match-order':
      return `match.${job.data.orderId}`;
    case 'match-orders':
      // The first order's id is this post's alone; its own match-order job (the sweep's) is another id.
      return `match-bulk.${job.data.orderIds[0] ?? 'none'}`;
    case 'expire-offer':
      return `expire.${job.data.allocationId}`;
    case 'capacity-changed':
      if (job.data.before !== undefined) return `capacity.${job.data.lineId}.more.${job.data.before}`;
      return job.data.window === undefined ? `capacity.${job.data.lineId}` : `capacity.${job.data.lineId}.${job.data.window}`;
    case 'sweep':
      return 'sweep';
    case 'ingest-telemetry':
      return `telemetry.${job.data.batchId}`;
    case 'deliver-webhook':
      // The attempt in the id: the next attempt is queued while this one's job may still be held.
      return `webhook.${job.data.deliveryId}.${job.data.attempt}`;
  }
}
