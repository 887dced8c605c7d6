/** The API's view shapes come from one source, shared with the server's view classes. */
export type { Allocation, BrandCounterparties, Explanation, FactoryCounterparties, FactoryLoad, Line, MarketOrder, Match, NumberedPage, Order, OrderEvent, Organization, Page, UnmatchedByReason, Share, Stats, AlertList, CapacityForecast, MarketHistory } from '@cloudloom/contracts';

import type { FactoryContacts, OrganizationKind } from '@cloudloom/contracts';

export type Kind = OrganizationKind;

export interface MarketEvent {
  id: string;
  type: string;
  payload: Record<string, unknown> & { orderId?: string };
  receivedAt: number;
}

/** Names for ids, for the allocations a brand or factory sees. */
export interface Names {
  factory(id: string): string | undefined;
  line(id: string): string | undefined;
  /** A factory's contacts, once it has taken some of the brand's work (GET /counterparties). */
  contacts?(id: string): FactoryContacts | undefined;
}
