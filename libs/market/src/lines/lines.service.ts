import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyCapacity, machineFibers, type LineSpec } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG, DomainError, type FieldError, invalid } from '@cloudloom/platform';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../core/clock';
import type { Principal } from '../identity/principal';
import { type CreateLineDto, SEWING_ONLY, WEAVING_ONLY } from './lines.dto';

export type LineView = {
  id: string;
  factoryId: string;
  name: string;
  ratePerUnit: number;
  dailyCapacity: number;
  capacityUnit: 'picks' | 'minutes';
  active: boolean;
  createdAt: string;
} & LineSpec;

export function lineView(line: LineEntity): LineView {
  return {
    id: line.id,
    factoryId: line.factoryId,
    name: line.name,
    ...line.spec,
    ratePerUnit: line.ratePerUnit,
    dailyCapacity: line.dailyCapacity,
    capacityUnit: line.kind === 'weaving' ? 'picks' : 'minutes',
    active: line.active,
    createdAt: line.createdAt.toISOString(),
  };
}

/** Builds the machine description from the request; refuses fields of the other kind of line. */
export function lineSpecOf(dto: CreateLineDto): LineSpec {
  const foreign = (dto.kind === 'weaving' ? SEWING_ONLY : WEAVING_ONLY).filter((f) => dto[f] !== undefined);
  if (foreign.length > 0) {
    const fields: FieldError[] = foreign.map((field) => ({ field, message: `not a field of a ${dto.kind} line` }));
    throw new DomainError('VALIDATION_FAILED', `Invalid request: ${foreign.join(', ')}`, fields);
  }
  if (dto.kind === 'weaving') {
    const machineType = dto.machineType!;
    const allowed = machineFibers(machineType);
    const refused = (dto.fibers ?? []).filter((f) => !allowed.includes(f));
    if (refused.length > 0) throw invalid('fibers', `${machineType} looms cannot weave ${refused.join(', ')}`);
    return {
      kind: 'weaving',
      machineType,
      machines: dto.machines!,
      rpm: dto.rpm!,
      maxWidthCm: dto.maxWidthCm!,
      efficiency: dto.efficiency ?? 0.85,
      hoursPerDay: dto.hoursPerDay ?? 22,
      ...(dto.fibers ? { fibers: dto.fibers } : {}),
    };
  }
  return {
    kind: 'sewing',
    operators: dto.operators!,
    minutesPerDay: dto.minutesPerDay ?? 480,
    efficiency: dto.efficiency ?? 0.6,
    categories: dto.categories!,
    fabricTypes: dto.fabricTypes!,
    moq: dto.moq ?? 0,
  };
}

@Injectable()
export class LinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateLineDto): Promise<LineView> {
    const spec = lineSpecOf(dto);
    const line = await this.db.transaction(async (m) => {
      const saved = await m.save(
        m.create(LineEntity, { factoryId: principal.organizationId, name: dto.name, kind: spec.kind, spec, ratePerUnit: dto.ratePerUnit, dailyCapacity: dailyCapacity(spec) }),
      );
      await this.openLedger(m, saved.id, saved.dailyCapacity);
      return saved;
    });
    return lineView(line);
  }

  async list(principal: Principal): Promise<{ items: LineView[] }> {
    const lines = await this.db.manager.find(LineEntity, { where: { factoryId: principal.organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: lines.map(lineView) };
  }

  /** One ledger row per day of the rolling horizon, starting today. */
  private async openLedger(m: EntityManager, lineId: string, capacity: number): Promise<void> {
    await m.query(
      `INSERT INTO capacity_days (line_id, day, capacity)
       SELECT $1, d::date, $2 FROM generate_series($3::date, $3::date + ($4 - 1), interval '1 day') AS d
       ON CONFLICT DO NOTHING`,
      [lineId, capacity, this.clock.today(), this.config.horizonDays],
    );
  }
}
