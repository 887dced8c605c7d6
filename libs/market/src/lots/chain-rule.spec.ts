import { type ChainPlace, inputRefusal } from './chain-rule';

const place = (kind: ChainPlace['kind'], stage: ChainPlace['stage'], orderId = 'o1', allocationId = `${orderId}-${stage}`): ChainPlace => ({ kind, stage, orderId, allocationId });

describe('the chain rule: which lots a lot may consume', () => {
  it('lets a later stage of the same order consume an earlier stage', () => {
    expect(inputRefusal(place('batch', 'finishing'), place('roll', 'weaving'))).toBeUndefined();
    expect(inputRefusal(place('bundle', 'sewing'), place('roll', 'weaving'))).toBeUndefined();
    expect(inputRefusal(place('bundle', 'sewing'), place('batch', 'finishing'))).toBeUndefined();
    expect(inputRefusal(place('carton', 'sewing'), place('bundle', 'sewing'))).toBeUndefined();
  });

  it("refuses another order's lot with the words of an unknown one", () => {
    const unknown = inputRefusal(place('bundle', 'sewing'), undefined);
    expect(unknown).toBeDefined();
    expect(inputRefusal(place('bundle', 'sewing'), place('roll', 'weaving', 'o2'))).toBe(unknown);
    expect(inputRefusal(place('carton', 'sewing'), place('bundle', 'sewing', 'o2'))).toBe(unknown);
  });

  it('refuses the same or a later stage, inputs to a roll, and cartons of other allocations or kinds', () => {
    expect(inputRefusal(place('roll', 'weaving'), place('roll', 'weaving'))).toMatch(/first stage/);
    expect(inputRefusal(place('batch', 'finishing'), place('batch', 'finishing'))).toMatch(/earlier stage/);
    expect(inputRefusal(place('bundle', 'sewing'), place('bundle', 'sewing'))).toMatch(/earlier stage/);
    expect(inputRefusal(place('bundle', 'sewing'), place('carton', 'sewing'))).toMatch(/earlier stage/);
    expect(inputRefusal(place('carton', 'sewing'), place('bundle', 'sewing', 'o1', 'other'))).toMatch(/own allocation/);
    expect(inputRefusal(place('carton', 'sewing'), place('roll', 'weaving'))).toMatch(/own allocation/);
  });
});
