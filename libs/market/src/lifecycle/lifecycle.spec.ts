import { DomainError } from '@cloudloom/platform';
import { ORDER_STATUSES } from '@cloudloom/persistence';
import { assertAllocationMove, assertMatchVerdict, assertOrderMove, canMoveOrder, orderStatusesMovableTo } from './lifecycle';

describe('order lifecycle', () => {
  it('follows the happy path of the design', () => {
    const path = ['pending', 'proposed', 'confirmed', 'in_production', 'completed'] as const;
    for (let i = 1; i < path.length; i++) expect(canMoveOrder(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('never leaves a final status', () => {
    for (const final of ['completed', 'cancelled', 'expired'] as const) {
      for (const to of ORDER_STATUSES) expect(canMoveOrder(final, to)).toBe(false);
    }
  });

  it('refuses to cancel an order in production or to complete one never confirmed, with a 409', () => {
    expect(() => assertOrderMove('in_production', 'cancelled', 'cancelled')).toThrow(DomainError);
    try {
      assertOrderMove('proposed', 'completed', 'completed');
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).status).toBe(409);
    }
  });

  it('lets an offer be answered once', () => {
    expect(() => assertAllocationMove('offered', 'accepted', 'accepted')).not.toThrow();
    expect(() => assertAllocationMove('rejected', 'accepted', 'accepted')).toThrow(/rejected/);
    expect(() => assertAllocationMove('produced', 'in_production', 'reported')).toThrow(DomainError);
  });

  it('expires only the orders still owed a plan (the sweep also requires that they hold nothing)', () => {
    expect(orderStatusesMovableTo('expired')).toEqual(['pending', 'matching', 'unmatched', 'partial', 'awaiting_approval']);
  });

  it('keeps a partial order out of production: that status promises the whole quantity', () => {
    expect(orderStatusesMovableTo('in_production')).toEqual(['confirmed']);
    expect(() => assertMatchVerdict('partial', 'partial')).not.toThrow();
    expect(() => assertMatchVerdict('pending', 'partial')).not.toThrow();
    expect(() => assertMatchVerdict('proposed', 'partial')).toThrow(DomainError);
  });

  it("takes the matcher's verdicts on waiting orders only; an unmatched order may stay unmatched", () => {
    expect(() => assertMatchVerdict('pending', 'proposed')).not.toThrow();
    expect(() => assertMatchVerdict('unmatched', 'confirmed')).not.toThrow();
    expect(() => assertMatchVerdict('unmatched', 'unmatched')).not.toThrow();
    expect(() => assertMatchVerdict('proposed', 'proposed')).toThrow(DomainError);
    expect(() => assertMatchVerdict('cancelled', 'unmatched')).toThrow(DomainError);
  });
});
