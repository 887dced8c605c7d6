import { inDays } from '../support/harness';

/** A dye house's range: dyeing only, 6,000 m a day, batches from 500 m. */
export const dyeRange = { kind: 'finishing', name: 'Dye range 1', processes: ['dyeing'], metersPerDay: 6000, minBatchM: 500, maxWidthCm: 200, ratePerUnit: 1.8 };

/** A sewing factory's line of 30 operators for one woven category. */
export const sewingLine = (category = 'dress'): Record<string, unknown> => ({ kind: 'sewing', name: 'Line 1', operators: 30, categories: [category], fabricTypes: ['woven'], moq: 50, ratePerUnit: 0.6 });

/** A style the chain tests post: 300 dyed cotton dresses, due in 40 days, with what a test changes. */
export const styleOrder = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'style',
  garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 },
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 },
  fabricPerPieceM: 2,
  finishing: { process: 'dyeing' },
  quantity: 300,
  dueDate: inDays(40),
  ...over,
});
