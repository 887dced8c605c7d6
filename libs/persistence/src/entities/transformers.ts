import type { ValueTransformer } from 'typeorm';

/**
 * pg returns numeric and bigint as strings to avoid precision loss. Capacity units stay far
 * below 2^53 (a 600-loom line weaves ~5e8 picks a day), so numbers are exact here.
 */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
