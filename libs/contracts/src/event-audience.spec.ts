import { cancelledPayload, payloadFor } from './event-audience';

const brand = { organizationId: 'b', kind: 'brand' } as const;
const factoryA = { organizationId: 'fa', kind: 'factory' } as const;
const factoryB = { organizationId: 'fb', kind: 'factory' } as const;
const operator = { organizationId: '0', kind: 'operator' } as const;

describe('payloadFor: each party of a split order sees its own share', () => {
  const matched = {
    orderId: 'o',
    status: 'proposed' as const,
    allocations: [
      { id: 'a1', factoryId: 'fa', lineId: 'la', quantity: 300, status: 'offered' as const },
      { id: 'a2', factoryId: 'fb', lineId: 'lb', quantity: 200, status: 'offered' as const },
    ],
  };

  it('order.matched: a factory sees its allocations only; the brand and the operator all', () => {
    expect(payloadFor('order.matched', matched, factoryA).allocations.map((a) => a.id)).toEqual(['a1']);
    expect(payloadFor('order.matched', matched, factoryB).allocations.map((a) => a.id)).toEqual(['a2']);
    expect(payloadFor('order.matched', matched, brand)).toEqual(matched);
    expect(payloadFor('order.matched', matched, operator)).toEqual(matched);
  });

  it('order.cancelled: a factory sees the ids released from it; nobody sees whose each was', () => {
    const stored = cancelledPayload('o', [{ id: 'a1', factoryId: 'fa' }, { id: 'a2', factoryId: 'fb' }]);
    expect(payloadFor('order.cancelled', stored, factoryA)).toEqual({ orderId: 'o', released: ['a1'] });
    expect(payloadFor('order.cancelled', stored, factoryB)).toEqual({ orderId: 'o', released: ['a2'] });
    expect(payloadFor('order.cancelled', stored, brand)).toEqual({ orderId: 'o', released: ['a1', 'a2'] });
    expect(payloadFor('order.cancelled', stored, operator)).toEqual({ orderId: 'o', released: ['a1', 'a2'] });
  });

  it('a row written before the rule (no owners stored) shows a factory no released id', () => {
    expect(payloadFor('order.cancelled', { orderId: 'o', released: ['a1', 'a2'] }, factoryA)).toEqual({ orderId: 'o', released: [] });
  });
});
