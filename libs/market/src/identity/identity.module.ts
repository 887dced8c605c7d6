import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PeopleController } from '../people/people.controller';
import { PeopleModule } from '../people/people.module';
import { SessionsController } from '../people/sessions.controller';
import { AuthGuard } from './auth.guard';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { ApiKeyCache } from './key-cache';

/** Who calls: organizations and their keys, and their people with their sessions (people/). */
@Module({
  imports: [PeopleModule],
  controllers: [IdentityController, SessionsController, PeopleController],
  providers: [IdentityService, ApiKeyCache, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityService],
})
export class IdentityModule {}
