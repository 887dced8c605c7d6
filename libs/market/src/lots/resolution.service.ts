import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, invalid, notFound } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import type { ChainLot, LotResolution } from '@cloudloom/contracts';
import { parseIdentifier } from './identifier';
import { LotsRepository } from './lots.repository';
import { productWords } from './product';

/**
 * `GET /id/:identifier`. Everyone gets the public part; the order's brand and the factories of
 * its chain also get the chain. Anyone else gets exactly what an anonymous caller gets, built by
 * the same code from the same row, so nothing in the answer tells that a chain exists.
 */
@Injectable()
export class ResolutionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(text: string, callerId: string | null): Promise<LotResolution> {
    const parsed = parseIdentifier(text);
    if (!parsed.ok) throw invalid('identifier', parsed.reason === 'checksum' ? 'its check character does not match: the code is mistyped' : `must look like ${this.config.identifierPrefix}/roll.0123456789ABCDEFG (prefix, kind, 16-character code and a check character)`);
    const m = this.db.manager;
    const root = await LotsRepository.root(m, parsed.identifier, callerId);
    if (!root) throw notFound('Lot');
    const product = productWords(root.orderSpec, root.kind);
    const open: LotResolution = { identifier: root.identifier, kind: root.kind, product: product.en, quantity: root.quantity, unit: root.unit, city: root.city, madeOn: new Date(root.madeAt).toISOString().slice(0, 10) };
    if (!root.party) return open;

    const tree = await LotsRepository.tree(m, root.id);
    const windows = tree.map((l) => ({ lineId: l.lineId, from: new Date(l.since), to: new Date(l.madeAt) }));
    const stops = await LotsRepository.machineStops(m, windows);
    const lots: ChainLot[] = tree.map((l, i) => ({
      identifier: l.identifier,
      kind: l.kind,
      quantity: l.quantity,
      unit: l.unit,
      madeAt: new Date(l.madeAt).toISOString(),
      stage: l.lineKind,
      allocationId: l.allocationId,
      factory: { id: l.factoryId, name: l.factoryName, city: l.factoryCity },
      line: { id: l.lineId, name: l.lineName, kind: l.lineKind },
      window: { from: windows[i]!.from.toISOString(), to: windows[i]!.to.toISOString() },
      machines: stops.filter((s) => s.window === i).map(({ id, externalId, stops: n, downSeconds }) => ({ id, externalId, stops: n, downSeconds })),
      inputs: l.inputs,
    }));
    // Fabric and finishing orders are in meters; garment and style orders in pieces.
    const unit = root.orderKind === 'fabric' || root.orderKind === 'finishing' ? 'm' : 'pcs';
    return { ...open, chain: { order: { id: root.orderId, kind: root.orderKind, product: productWords(root.orderSpec, unit === 'm' ? 'roll' : 'bundle').en, quantity: root.orderQuantity, unit, dueDate: root.dueDate }, lots } };
  }
}
