import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { ATTACHMENT_STORE, LocalFolderStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // No `dest` or `storage`: multer keeps the file in memory, so it is checked (type, size) before
      // any byte reaches the store. One file and one text field per request; past the size limit
      // multer stops reading and Nest answers 413.
      useFactory: (config: AppConfig) => ({ defParamCharset: 'utf8', limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 1, parts: 2, fieldSize: 1024 } }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentsRepository,
    { provide: ATTACHMENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalFolderStore(config.attachmentsDir) },
  ],
})
export class AttachmentsModule {}
