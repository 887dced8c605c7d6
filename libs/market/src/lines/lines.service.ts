import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { dailyCapacity, machineFibers, type LineSpec } from '@cloudloom/matching';
import { type AppConfig, APP_CONFIG, DomainError, type FieldError, flattenValidationErrors, invalid, notFound } from '@cloudloom/platform';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { addDays, Clock, daysBetween } from '../core/clock';
import { EventsWriter } from '../events/events.writer';
import { JobQueue } from '../jobs/job-queue';
import type { Principal } from '../identity/principal';
import { isUuid } from '../core/ids';
import { applyCapacity, LINE_EDIT_LOCK, requeueAfterCapacityChange } from './capacity-change';
import { type AvailabilityDto, CreateLineDto, FIELDS_OF_KIND, type UpdateLineDto } from './lines.dto';
import type { AvailabilityView, LineView } from './line.view';

const CAPACITY_UNIT = { weaving: 'picks', sewing: 'minutes', finishing: 'meters' } as const;

export function lineView(line: LineEntity): LineView {
  return {
    id: line.id,
    factoryId: line.factoryId,
    name: line.name,
    ...line.spec,
    ratePerUnit: line.ratePerUnit,
    priceCovers: line.priceCovers,
    dailyCapacity: line.dailyCapacity,
    capacityUnit: CAPACITY_UNIT[line.kind],
    active: line.active,
    createdAt: line.createdAt.toISOString(),
  };
}

/** Builds the machine description from the request; refuses fields of the other kind of line. */
export function lineSpecOf(dto: CreateLineDto): LineSpec {
  const own = FIELDS_OF_KIND[dto.kind];
  const foreign = [...new Set(Object.values(FIELDS_OF_KIND).flat())].filter((f) => !own.includes(f) && dto[f] !== undefined);
  if (foreign.length > 0) {
    const fields: FieldError[] = foreign.map((field) => ({ field, message: `not a field of a ${dto.kind} line` }));
    throw new DomainError('VALIDATION_FAILED', `Invalid request: ${foreign.join(', ')}`, fields);
  }
  // Yarn goes into fabric on the loom; a dye house or a sewing line that includes its materials
  // is selling something else (dyestuff, trims), which `processing` already means for the buyer.
  if (dto.priceCovers === 'yarn_included' && dto.kind !== 'weaving') throw invalid('priceCovers', `only a weaving line's rate can include the yarn`);
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
  if (dto.kind === 'finishing') {
    return { kind: 'finishing', processes: dto.processes!, metersPerDay: dto.metersPerDay!, minBatchM: dto.minBatchM ?? 0, maxWidthCm: dto.maxWidthCm! };
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

/** The request a line would be created with: what an update is merged into and validated as. */
function asCreateRequest(line: LineEntity): Record<string, unknown> {
  return { name: line.name, ratePerUnit: line.ratePerUnit, priceCovers: line.priceCovers, ...line.spec };
}

@Injectable()
export class LinesService {
  private readonly logger = new Logger('lines');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly events: EventsWriter,
  ) {}

  private async ownLine(m: EntityManager, principal: Principal, id: string): Promise<LineEntity> {
    const line = isUuid(id) ? await m.findOne(LineEntity, { where: { id, factoryId: principal.organizationId }, lock: LINE_EDIT_LOCK }) : null;
    if (!line) throw notFound('Line');
    return line;
  }

  /** Changes the machines or the rate; the ledger follows from today on. */
  async update(principal: Principal, id: string, dto: UpdateLineDto): Promise<LineView> {
    const { line, change } = await this.db.transaction(async (m) => {
      const current = await this.ownLine(m, principal, id);
      const { active, ...fields } = dto;
      const merged = plainToInstance(CreateLineDto, { ...asCreateRequest(current), ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) });
      const errors = flattenValidationErrors(await validate(merged, { whitelist: true, forbidNonWhitelisted: true }));
      if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
      const spec = lineSpecOf(merged);
      const daily = dailyCapacity(spec);
      await m.update(LineEntity, { id }, { name: merged.name, spec, ratePerUnit: merged.ratePerUnit, priceCovers: merged.priceCovers ?? 'processing', dailyCapacity: daily, ...(active !== undefined ? { active } : {}) });
      const days: { day: string; fraction: number }[] = await m.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, fraction::float8 AS fraction FROM capacity_days WHERE line_id = $1 AND day >= $2::date ORDER BY day`,
        [id, this.clock.today()],
      );
      const change = await applyCapacity(m, id, days.map((d) => ({ day: d.day, fraction: d.fraction, capacity: Math.floor(daily * d.fraction) })));
      await this.events.append(m, [...change.events, { type: 'line.changed', audience: [principal.organizationId], payload: { lineId: id, dailyCapacity: daily } }]);
      return { line: await m.findOneByOrFail(LineEntity, { id }), change };
    });
    await requeueAfterCapacityChange(this.jobs, this.logger, line.id, change, this.clock.today());
    return lineView(line);
  }

  /** Holidays, maintenance, overtime: a share of the nominal capacity per date. */
  async setAvailability(principal: Principal, id: string, dto: AvailabilityDto): Promise<AvailabilityView> {
    const today = this.clock.today();
    const last = addDays(today, this.config.horizonDays - 1);
    const errors: FieldError[] = dto.days.flatMap((d, i) =>
      daysBetween(today, d.date) < 0 || daysBetween(d.date, last) < 0 ? [{ field: `days.${i}.date`, message: `must be between ${today} and ${last}` }] : [],
    );
    if (new Set(dto.days.map((d) => d.date)).size !== dto.days.length) errors.push({ field: 'days', message: 'each date at most once' });
    if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
    const { line, change } = await this.db.transaction(async (m) => {
      const line = await this.ownLine(m, principal, id);
      const change = await applyCapacity(m, id, dto.days.map((d) => ({ day: d.date, fraction: d.fraction, capacity: Math.floor(line.dailyCapacity * d.fraction) })));
      await this.events.append(m, [...change.events, { type: 'line.changed', audience: [principal.organizationId], payload: { lineId: id, availability: dto.days.length } }]);
      return { line, change };
    });
    await requeueAfterCapacityChange(this.jobs, this.logger, line.id, change, this.clock.today());
    return { lineId: id, days: dto.days.map((d) => ({ date: d.date, fraction: d.fraction, capacity: Math.floor(line.dailyCapacity * d.fraction) })) };
  }

  async create(principal: Principal, dto: CreateLineDto): Promise<LineView> {
    const [line] = await this.createMany(principal, [dto]);
    return line!;
  }

  /**
   * Several lines at once (a spreadsheet of a mill's halls): each checked as a single line is,
   * all stored in one transaction or none.
   */
  async createMany(principal: Principal, dtos: readonly CreateLineDto[]): Promise<LineView[]> {
    const specs = dtos.map(lineSpecOf);
    const lines = await this.db.transaction(async (m) => {
      const saved: LineEntity[] = [];
      for (const [i, dto] of dtos.entries()) {
        const spec = specs[i]!;
        const line = await m.save(
          m.create(LineEntity, { factoryId: principal.organizationId, name: dto.name, kind: spec.kind, spec, ratePerUnit: dto.ratePerUnit, priceCovers: dto.priceCovers ?? 'processing', dailyCapacity: dailyCapacity(spec) }),
        );
        await this.openLedger(m, line.id, line.dailyCapacity);
        saved.push(line);
      }
      return saved;
    });
    for (const line of lines) await requeueAfterCapacityChange(this.jobs, this.logger, line.id, { replannedOrders: [], grew: true }, this.clock.today());
    return lines.map(lineView);
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
