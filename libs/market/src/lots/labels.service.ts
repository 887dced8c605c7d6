import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../identity/principal';
import { cjkFontAvailable, labelSheet } from './labels';
import { LotsRepository } from './lots.repository';
import { LotsService } from './lots.service';
import { productWords } from './product';

/** `GET /allocations/:id/labels.pdf`: the allocation's lots, a page of them, as a sheet of QR labels. */
@Injectable()
export class LabelsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lots: LotsService,
  ) {}

  /** A missing CJK font is said at start, not first found when someone prints. */
  onModuleInit(): void {
    cjkFontAvailable();
  }

  async sheet(principal: Principal, allocationId: string, cursor: string | undefined, limit: number): Promise<Buffer> {
    const m = this.db.manager;
    const { order } = await this.lots.visibleAllocation(m, principal, allocationId);
    const rows = await LotsRepository.ofAllocation(m, allocationId, cursor, limit);
    const spec = order.spec as unknown as Record<string, unknown>;
    return labelSheet(rows.map((r) => ({
      identifier: r.identifier,
      url: this.lots.pageUrl(r.identifier),
      kind: r.kind,
      product: productWords(spec, r.kind),
      quantity: r.quantity,
      unit: r.unit,
      madeOn: new Date(r.madeAt).toISOString().slice(0, 10),
    })));
  }
}
