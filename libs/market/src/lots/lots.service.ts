import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, type FieldError, invalidFields, invalidTransition, notFound } from '@cloudloom/platform';
import { type AllocationEntity, LineEntity, type OrderEntity } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { Lot, LotList } from '@cloudloom/contracts';
import type { Principal } from '../identity/principal';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { ProductionService } from '../production/production.service';
import { isUuid } from '../core/ids';
import { COUNTS_TOWARD_PRODUCTION, inputRefusal, isStage, LOT_KINDS_OF_STAGE, type Stage, UNIT_OF_STAGE } from './chain-rule';
import { formatIdentifier, type LotKind, newCode, parseIdentifier } from './identifier';
import { LotsRepository, type LotRow, type NewLot } from './lots.repository';

/** A lot as posted: one by itself, or one item of a batch. */
export interface LotInput {
  readonly kind: LotKind;
  readonly quantity: number;
  readonly inputs?: readonly string[];
}

/** Allocations a factory may record lots on: work it has taken and not finished. */
const RECORDING = new Set(['accepted', 'in_production']);

/** Lots a list page or a label sheet holds at most. */
export const LOTS_PAGE_MAX = 500;

/**
 * Lots: recorded by the allocation's factory, listed to it and to the order's brand. Lots drive
 * the allocation's production through ProductionService.record, the progress report's own rule.
 */
@Injectable()
export class LotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly production: ProductionService,
    private readonly orders: OrdersRepository,
  ) {}

  /**
   * Records lots on an allocation, all or none. `field` names a posted lot's field in the
   * problem document: `quantity` for a single lot, `lots.3.quantity` for a batch's fourth.
   */
  async record(principal: Principal, allocationId: string, lots: readonly LotInput[], field: (i: number, name: string) => string): Promise<Lot[]> {
    return this.db.transaction(async (m) => {
      const found = isUuid(allocationId) ? await AllocationsRepository.findOwn(m, allocationId, principal.organizationId) : null;
      if (!found) throw notFound('Allocation');
      // The order's lock first, then the allocation's, as every writer of them takes them.
      await OrdersRepository.lock(m, found.orderId);
      const allocation = await AllocationsRepository.lock(m, allocationId);
      if (!RECORDING.has(allocation.status)) throw invalidTransition('This allocation', allocation.status, 'given lots');
      const line = await m.findOneByOrFail(LineEntity, { id: allocation.lineId });
      const lineKind: string = line.kind;
      if (!isStage(lineKind)) throw invalidTransition(`A ${lineKind} line's allocation`, lineKind, 'given lots');
      const stage: Stage = lineKind;

      const errors: FieldError[] = [];
      const named = [...new Set(lots.flatMap((l) => l.inputs ?? []))];
      const parsed = new Map(named.map((text) => [text, parseIdentifier(text)]));
      const places = await LotsRepository.places(m, [...parsed.values()].flatMap((p) => (p.ok ? [p.identifier] : [])));
      lots.forEach((lot, i) => {
        if (!LOT_KINDS_OF_STAGE[stage].includes(lot.kind)) errors.push({ field: field(i, 'kind'), message: `a ${stage} line makes ${LOT_KINDS_OF_STAGE[stage].join(' or ')} lots` });
        if (lot.kind === 'carton' && (lot.inputs ?? []).length === 0) errors.push({ field: field(i, 'inputs'), message: 'a carton names the bundles it packs' });
        (lot.inputs ?? []).forEach((text, j) => {
          const p = parsed.get(text)!;
          const refusal = p.ok ? inputRefusal({ kind: lot.kind, stage, orderId: allocation.orderId, allocationId }, places.get(p.identifier)) : p.reason === 'checksum' ? 'its check character does not match: the code is mistyped' : 'is not a lot identifier';
          if (refusal) errors.push({ field: field(i, `inputs.${j}`), message: `${text}: ${refusal}` });
        });
      });
      if (errors.length > 0) throw invalidFields(errors);

      // Lots add up: counted lots never above the allocation, cartons never more than the bundles they pack.
      const sums = await LotsRepository.sums(m, allocationId);
      let counted = sums.counted;
      let bundles = sums.bundles;
      let cartons = sums.cartons;
      lots.forEach((lot, i) => {
        if (COUNTS_TOWARD_PRODUCTION[lot.kind]) counted += lot.quantity;
        if (lot.kind === 'bundle') bundles += lot.quantity;
        if (lot.kind === 'carton') cartons += lot.quantity;
        if (COUNTS_TOWARD_PRODUCTION[lot.kind] && counted > allocation.quantity && errors.length === 0) {
          errors.push({ field: field(i, 'quantity'), message: `the allocation's lots would add up to ${counted}, above its ${allocation.quantity}` });
        }
        if (lot.kind === 'carton' && cartons > bundles && !errors.some((e) => e.field === field(i, 'quantity'))) {
          errors.push({ field: field(i, 'quantity'), message: `cartons would hold ${cartons} pieces, more than the ${bundles} in the allocation's bundles` });
        }
      });
      if (errors.length > 0) throw invalidFields(errors);

      const identifiers = await this.insert(m, allocation, UNIT_OF_STAGE[stage], lots);
      await LotsRepository.insertInputs(m, lots.flatMap((lot, i) => [...new Set(lot.inputs ?? [])].map((text) => {
        const p = parsed.get(text)!;
        return { lotId: identifiers[i]!.id, inputId: places.get(p.ok ? p.identifier : '')!.id };
      })));
      // Never backwards: telemetry or a report may already be ahead of the lots.
      if (counted > allocation.producedQuantity) await this.production.record(m, allocationId, counted);
      return (await LotsRepository.byIdentifiers(m, identifiers.map((x) => x.identifier))).map((row) => this.view(row));
    });
  }

  /** Inserts with fresh identifiers, drawing again for any the unique constraint turned away. */
  private async insert(m: EntityManager, allocation: AllocationEntity, unit: 'm' | 'pcs', lots: readonly LotInput[]): Promise<{ id: string; identifier: string }[]> {
    const done: ({ id: string; identifier: string } | undefined)[] = lots.map(() => undefined);
    for (let attempt = 0; attempt < 5 && done.some((d) => d === undefined); attempt++) {
      const pending = lots.flatMap((lot, i): (NewLot & { i: number })[] => (done[i] ? [] : [{ i, identifier: formatIdentifier(this.config.identifierPrefix, lot.kind, newCode()), kind: lot.kind, quantity: lot.quantity, counted: COUNTS_TOWARD_PRODUCTION[lot.kind] }]));
      const stored = await LotsRepository.insert(m, allocation, unit, pending);
      for (const p of pending) {
        const id = stored.get(p.identifier);
        if (id) done[p.i] = { id, identifier: p.identifier };
      }
    }
    if (done.some((d) => d === undefined)) throw new Error('lot identifiers kept colliding: the random source is broken');
    return done as { id: string; identifier: string }[];
  }

  /** The allocation's lots, to its factory and to its order's brand; anyone else: 404. */
  async list(principal: Principal, allocationId: string, cursor: string | undefined, limit: number): Promise<LotList> {
    const m = this.db.manager;
    await this.visibleAllocation(m, principal, allocationId);
    const rows = await LotsRepository.ofAllocation(m, allocationId, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const { counted } = await LotsRepository.sums(m, allocationId);
    return { items: page.map((r) => this.view(r)), countedQuantity: counted, ...(rows.length > limit ? { nextCursor: page[page.length - 1]!.id } : {}) };
  }

  /** The allocation if the caller is its factory or its order's brand. */
  async visibleAllocation(m: EntityManager, principal: Principal, allocationId: string): Promise<{ allocation: AllocationEntity; order: OrderEntity }> {
    const allocation = isUuid(allocationId) ? await AllocationsRepository.find(m, allocationId) : null;
    const order = allocation ? await this.orders.findById(allocation.orderId) : null;
    if (!allocation || !order || (allocation.factoryId !== principal.organizationId && order.brandId !== principal.organizationId)) throw notFound('Allocation');
    return { allocation, order };
  }

  /** Where a lot's QR code points: the console's phone page. */
  pageUrl(identifier: string): string {
    return `${this.config.publicUrl}/id/${identifier}`;
  }

  view(row: LotRow): Lot {
    return {
      identifier: row.identifier,
      kind: row.kind,
      quantity: row.quantity,
      unit: row.unit,
      counted: row.counted,
      allocationId: row.allocationId,
      orderId: row.orderId,
      madeAt: new Date(row.madeAt).toISOString(),
      inputs: row.inputs,
      url: this.pageUrl(row.identifier),
    };
  }
}
