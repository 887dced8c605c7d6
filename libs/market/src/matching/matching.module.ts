import { Module } from '@nestjs/common';
import { CandidatesRepository } from './candidates.repository';

/** What both the worker (matching) and the API (quotes) read of the market. */
@Module({ providers: [CandidatesRepository], exports: [CandidatesRepository] })
export class MatchingModule {}
