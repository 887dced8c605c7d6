import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueueBackend } from '@cloudloom/platform';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { QUEUE_BACKEND } from '../core/tokens';
import { Public } from '../identity/principal';

type Check = { status: 'up' } | { status: 'down'; error: string };

const within = async (ms: number, probe: () => Promise<unknown>): Promise<Check> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe(), new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms)))]);
    return { status: 'up' };
  } catch (error) {
    // The message only: connection errors can carry hosts, never credentials, but no stack either.
    return { status: 'down', error: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
  ) {}

  /** Alive: the process answers. */
  @Get()
  @HttpCode(200)
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: the database and the queue backend answer; 503 otherwise, and back to 200 when they do. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, Check> }> {
    const [database, queue] = await Promise.all([within(2_000, () => this.db.query('SELECT 1')), within(2_000, () => this.queues.ping())]);
    const ok = database.status === 'up' && queue.status === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, [`queue:${this.queues.kind}`]: queue } };
  }
}
