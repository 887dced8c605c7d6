import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, DomainError, notFound } from '@cloudloom/platform';
import { LineEntity, MachineEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import type { Principal } from '../identity/principal';
import { isUuid } from '../core/ids';
import { parseTelemetryBatch } from './telemetry-batch';
import type { RegisterMachinesDto } from './machines.dto';
import type { MachineView } from './machine.view';

const machineView = (m: MachineEntity): MachineView => ({
  id: m.id,
  lineId: m.lineId,
  externalId: m.externalId,
  state: m.state,
  stateAt: m.stateAt?.toISOString() ?? null,
  downSince: m.downSince?.toISOString() ?? null,
});

/** How many machines a line has: looms for weaving, operators' stations for sewing, one range (vat, printer, stenter) for finishing. */
export function machineCount(line: Pick<LineEntity, 'spec'>): number {
  switch (line.spec.kind) {
    case 'weaving':
      return line.spec.machines;
    case 'sewing':
      return line.spec.operators;
    case 'finishing':
      return 1;
  }
}

/** A line's machines as the gateway knows them, and the gateway's readings (written ahead, processed by the worker). */
@Injectable()
export class MachinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  private async ownLine(m: EntityManager, principal: Principal, id: string): Promise<LineEntity> {
    const line = isUuid(id) ? await m.findOne(LineEntity, { where: { id, factoryId: principal.organizationId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!line) throw notFound('Line');
    return line;
  }

  /** All or nothing: a repeated external id (in the request or already in the factory) is a 409 naming it. */
  async register(principal: Principal, lineId: string, dto: RegisterMachinesDto): Promise<{ items: MachineView[] }> {
    const ids = dto.machines.map((x) => x.externalId);
    const repeated = ids.flatMap((id, i) => (ids.indexOf(id) !== i ? [{ field: `machines.${i}.externalId`, message: `${id} is listed twice` }] : []));
    if (repeated.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid request: ${repeated.map((e) => e.field).join(', ')}`, repeated);
    const saved = await this.db.transaction(async (m) => {
      const line = await this.ownLine(m, principal, lineId);
      const taken: { externalId: string }[] = await m.query(`SELECT external_id AS "externalId" FROM machines WHERE factory_id = $1 AND external_id = ANY($2::text[])`, [principal.organizationId, ids]);
      if (taken.length > 0) {
        const names = new Set(taken.map((t) => t.externalId));
        const fields = ids.flatMap((id, i) => (names.has(id) ? [{ field: `machines.${i}.externalId`, message: `${id} is already registered in this factory` }] : []));
        throw new DomainError('CONFLICT', `Already registered: ${[...names].slice(0, 5).join(', ')}`, fields);
      }
      const [{ n }] = await m.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM machines WHERE line_id = $1`, [line.id]);
      const limit = machineCount(line);
      if (n + ids.length > limit) {
        throw new DomainError('VALIDATION_FAILED', `machines: the line has ${limit} machines and ${n} are registered`, [{ field: 'machines', message: `at most ${limit - n} more on this line` }]);
      }
      return m.save(ids.map((externalId) => m.create(MachineEntity, { factoryId: principal.organizationId, lineId: line.id, externalId, state: null, stateAt: null, downSince: null })));
    });
    return { items: saved.map(machineView) };
  }

  async list(principal: Principal, lineId: string): Promise<{ items: MachineView[] }> {
    const line = isUuid(lineId) ? await this.db.manager.findOneBy(LineEntity, { id: lineId, factoryId: principal.organizationId }) : null;
    if (!line) throw notFound('Line');
    const machines = await this.db.manager.find(MachineEntity, { where: { lineId }, order: { externalId: 'ASC' } });
    return { items: machines.map(machineView) };
  }

  /**
   * Checks the batch, resolves the gateway's ids among the factory's own machines, writes the
   * batch ahead in one row and queues a pointer to it. Another factory's machine (or an unknown
   * id) refuses the whole batch, naming each reading. The worker writes the readings.
   */
  async ingest(principal: Principal, body: unknown): Promise<{ batchId: string; readings: number }> {
    const readings = parseTelemetryBatch(body, this.clock.now(), this.config.telemetryRetentionDays);
    const names = [...new Set(readings.map((r) => r.machineId))];
    const known: { externalId: string; id: string }[] = await this.db.query(
      `SELECT external_id AS "externalId", id FROM machines WHERE factory_id = $1 AND external_id = ANY($2::text[])`,
      [principal.organizationId, names],
    );
    const byName = new Map(known.map((k) => [k.externalId, k.id]));
    const unknown = readings.flatMap((r, i) => (byName.has(r.machineId) ? [] : [{ field: `readings.${i}.machineId`, message: `${r.machineId} is not a machine of this factory` }]));
    if (unknown.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid request: ${unknown.slice(0, 5).map((e) => e.field).join(', ')}`, unknown.slice(0, 100));
    const [batch] = await this.db.query<{ id: string }[]>(
      `INSERT INTO telemetry_batches (factory_id, machine_ids, ats, states, picks) VALUES ($1, $2::uuid[], $3::timestamptz[], $4::text[], $5::bigint[]) RETURNING id::text`,
      [principal.organizationId, readings.map((r) => byName.get(r.machineId)!), readings.map((r) => r.at.toISOString()), readings.map((r) => r.state), readings.map((r) => r.picks)],
    );
    try {
      await this.jobs.ingestTelemetry(batch!.id);
    } catch {
      // The batch is in PostgreSQL: the sweep queues batches left waiting.
    }
    return { batchId: batch!.id, readings: readings.length };
  }
}
