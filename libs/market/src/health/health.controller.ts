import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueueBackend } from '@cloudloom/platform';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { QUEUE_BACKEND } from '../core/tokens';
import { Public } from '../identity/principal';

type Check = { status: 'up' } | { status: 'down'; error: string };

class AliveView {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status!: 'ok';
}

class CheckView {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status!: Check['status'];
  @ApiPropertyOptional({ example: 'no answer in 2000 ms', description: 'when down: the first line of the error, no stack' }) error?: string;
}

class ReadyView {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(CheckView) }, example: { database: { status: 'up' }, 'queue:redis': { status: 'up' } }, description: 'the database and the queue backend' })
  checks!: Record<string, Check>;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T08:15:00.000Z', description: 'when the checks ran: answers within a second share one run' })
  checkedAt!: string;
}

/** Readiness checks run at most once per this long per process; callers in between share the result. */
export const READY_CACHE_MS = 1_000;

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
@ApiExtraModels(CheckView)
@Controller('health')
export class HealthController {
  /** The last run of the checks (or the one in flight): anonymous callers cannot make more than one a second. */
  private last: { at: number; result: Promise<ReadyView> } | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
  ) {}

  /** Alive: the process answers. */
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Alive: the process answers' })
  @ApiOkResponse({ type: AliveView })
  alive(): AliveView {
    return { status: 'ok' };
  }

  /** Ready: the database and the queue backend answer; 503 otherwise, and back to 200 when they do. */
  @Get('ready')
  @ApiOperation({ summary: 'Ready: the database and the queue backend answer' })
  @ApiOkResponse({ type: ReadyView })
  @ApiServiceUnavailableResponse({ type: ReadyView, description: 'a dependency is down; back to 200 when it answers' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyView> {
    // Public and not rate-limited (orchestrators probe it from shared addresses), so a flood of
    // calls must not become a flood on both servers: a result a second old is fresh enough.
    if (!this.last || Date.now() - this.last.at >= READY_CACHE_MS) this.last = { at: Date.now(), result: this.check() };
    const result = await this.last.result;
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }

  private async check(): Promise<ReadyView> {
    const checkedAt = new Date().toISOString();
    const [database, queue] = await Promise.all([within(2_000, () => this.db.query('SELECT 1')), within(2_000, () => this.queues.ping())]);
    const ok = database.status === 'up' && queue.status === 'up';
    return { status: ok ? 'ok' : 'unavailable', checks: { database, [`queue:${this.queues.kind}`]: queue }, checkedAt };
  }
}
