import { Module } from '@nestjs/common';
import { FairnessPolicySource } from './fairness-policy';
import { MarketSnapshot } from './market-snapshot';

/** The in-memory market both the worker (matching) and the API (quotes) plan on, and the fairness facts both plan with. */
@Module({ providers: [MarketSnapshot, FairnessPolicySource], exports: [MarketSnapshot, FairnessPolicySource] })
export class PlanningModule {}
