import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { EventMail } from './event-mail';

/** The event notifier runs where the queue workers run (a worker process, or the API with RUN_WORKER). */
@Module({ imports: [MailModule], providers: [EventMail] })
export class EventMailModule {}
