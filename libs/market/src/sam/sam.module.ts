import { Module } from '@nestjs/common';
import { SamController } from './sam.controller';

@Module({ controllers: [SamController] })
export class SamModule {}
