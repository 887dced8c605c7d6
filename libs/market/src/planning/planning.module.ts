import { Module } from '@nestjs/common';
import { MarketSnapshot } from './market-snapshot';

/** The in-memory market both the worker (matching) and the API (quotes) plan on. */
@Module({ providers: [MarketSnapshot], exports: [MarketSnapshot] })
export class PlanningModule {}
