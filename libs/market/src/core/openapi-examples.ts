/** Ids and dates the OpenAPI examples share, so one example order points at one example line and factory. */
export const EXAMPLE = {
  orderId: '0b6c3f0e-5d1a-4e8b-9c2f-7a1d3e5b9c40',
  brandId: '2f9a7c1e-8b3d-4c6a-a1e5-5d7f9b3c1e28',
  factoryId: '6a1f5a8e-2c1d-4f0b-9a57-0c3b1d2e4f60',
  lineId: 'c4e2a7b9-1f3d-4a6c-8e5b-9d2f7a1c3e05',
  allocationId: 'e7d3b1a9-4c2f-4e6a-b8d1-3f5a7c9e1b62',
  machineId: '9a3c5e7b-2d4f-4b6a-8c1e-7f9b3d5a1c84',
  keyId: '5b8d2f4a-7c9e-4a1b-9d3f-1e5a7c9b3d26',
  counterId: '3c7e9a1b-5d2f-4e8a-b6c1-8f2d4a6b9e13',
  messageId: '8e1a3c5f-7b9d-4f2a-9c4e-2b6d8f1a3c57',
  date: '2026-12-20',
  startDate: '2026-12-02',
  endDate: '2026-12-09',
  dateTime: '2026-11-30T08:15:00.000Z',
} as const;

const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Dates that requests send, counted from when the process started: an order due on a fixed day
 * becomes a past date (a 400) the day after, and the document's examples are sent as they stand
 * (tests/security/openapi-examples.e2e.ts).
 */
export const AHEAD = {
  earliestStart: daysFromNow(3),
  dueDate: daysFromNow(30),
  /** A day a line closes or changes: past the examples' orders, so it never cuts into their work. */
  closedDay: daysFromNow(40),
  readingAt: minutesAgo(5),
} as const;
