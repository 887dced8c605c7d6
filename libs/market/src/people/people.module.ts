import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';
import { SessionsService } from './sessions.service';

/** People, sessions and their tokens; the controllers are wired by IdentityModule, beside the keys. */
@Module({
  imports: [MailModule],
  providers: [PeopleRepository, PeopleService, SessionsService],
  exports: [PeopleRepository, PeopleService, SessionsService],
})
export class PeopleModule {}
