import { Injectable } from '@nestjs/common';
import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, WEAVES } from '@cloudloom/matching';
import { addDays, Clock } from '../core/clock';
import type { Principal } from '../identity/principal';
import type { ImportColumn } from '../imports/columns';
import type { ImportPreview, TemplateFormat } from '../imports/imports.view';
import { allRowsOrRefuse, checkSheet, type CheckedSheet, type UploadedSheet } from '../imports/sheet-import';
import { buildTemplate, type Template } from '../imports/template';
import { orderErrors } from './order-terms';
import type { OrderView } from './order.view';
import { CreateOrderDto } from './orders.dto';
import { MAX_ORDERS_PER_POST, StyleOrderDto } from './style-order.dto';
import { styleErrors } from './style-terms';
import { OrdersService } from './orders.service';

/** Most rows of one import of orders: what one `POST /orders/batch` stores. */
export const MAX_ORDER_ROWS = MAX_ORDERS_PER_POST;

/**
 * One order a row: a fabric, a garment or a style order (DESIGN.md §8: the garment and its fabric,
 * planned loom to sewing line), the fields of `POST /orders/batch`. A style row fills both the
 * fabric and the garment columns, and the style's own ones.
 */
const ORDER_COLUMNS: readonly ImportColumn[] = [
  { field: 'kind', zh: '订单类型', en: 'Kind', type: 'value', values: ['fabric', 'garment', 'style'] },
  { field: 'quantity', zh: '数量', en: 'Quantity', type: 'integer' },
  { field: 'dueDate', zh: '交期', en: 'Due date', type: 'date' },
  { field: 'earliestStart', zh: '最早开工', en: 'Earliest start', type: 'date' },
  { field: 'fabric.fiber', zh: '纤维', en: 'Fibre', type: 'value', values: FIBERS },
  { field: 'fabric.weave', zh: '组织', en: 'Weave', type: 'value', values: WEAVES },
  { field: 'fabric.widthCm', zh: '门幅(厘米)', en: 'Width (cm)', type: 'integer' },
  { field: 'fabric.picksPerCm', zh: '纬密(根/厘米)', en: 'Picks per cm', type: 'number' },
  { field: 'fabric.gsm', zh: '克重(克/平方米)', en: 'Weight (gsm)', type: 'integer' },
  { field: 'garment.category', zh: '品类', en: 'Category', type: 'value', values: GARMENT_CATEGORIES },
  { field: 'garment.fabricType', zh: '面料类型', en: 'Fabric type', type: 'value', values: FABRIC_TYPES },
  { field: 'garment.samMinutes', zh: '标准工时(分钟/件)', en: 'Standard minutes', type: 'number' },
  { field: 'sizes', zh: '尺码配比', en: 'Sizes', type: 'sizes' },
  { field: 'fabricPerPieceM', zh: '单件用料(米)', en: 'Fabric per piece (m)', type: 'number' },
  { field: 'finishing.process', zh: '染整工艺', en: 'Finishing', type: 'value', values: FINISHING_PROCESSES },
  { field: 'wastagePct', zh: '损耗率(%)', en: 'Wastage (%)', type: 'number' },
  { field: 'transitDays', zh: '工序间运输(天)', en: 'Transit days', type: 'integer' },
  { field: 'maxSplits', zh: '最多拆分', en: 'Max splits', type: 'integer' },
  { field: 'certifications', zh: '认证', en: 'Certifications', type: 'list' },
  { field: 'targetPrice', zh: '目标价(元)', en: 'Target price (CNY)', type: 'number' },
];

/**
 * Orders from a spreadsheet: each row checked as `POST /orders/batch` checks an order (its DTO,
 * then `orderErrors`), then every row stored through `createMany`, or none.
 */
@Injectable()
export class OrderImportService {
  constructor(private readonly orders: OrdersService, private readonly clock: Clock) {}

  private check(file: UploadedSheet | undefined): Promise<CheckedSheet<CreateOrderDto | StyleOrderDto>> {
    const today = this.clock.today();
    return checkSheet<CreateOrderDto | StyleOrderDto>(file, {
      maxRows: MAX_ORDER_ROWS,
      columns: ORDER_COLUMNS,
      dtoFor: (values) => (values.kind === 'style' ? StyleOrderDto : CreateOrderDto),
      rules: (dto) => (dto instanceof StyleOrderDto ? styleErrors(dto, today) : orderErrors(dto, today)),
      // A fabric row with its fabric cells blank names each of them, not the missing group; a style row has both.
      scaffold: (values) => {
        if (values.kind === 'fabric' || values.kind === 'garment') values[values.kind] ??= {};
        if (values.kind === 'style') {
          values.fabric ??= {};
          values.garment ??= {};
        }
      },
    });
  }

  async preview(file: UploadedSheet | undefined): Promise<ImportPreview> {
    return (await this.check(file)).preview;
  }

  async import(principal: Principal, file: UploadedSheet | undefined, idempotencyKey: string | undefined): Promise<OrderView[]> {
    const dtos = allRowsOrRefuse(await this.check(file));
    return (await this.orders.createMany(principal, dtos, idempotencyKey)).items;
  }

  /** The Chinese headers, a fabric order and a style a merchandiser would import, due 30 and 40 days from today. */
  template(format: TemplateFormat): Promise<Template> {
    const today = this.clock.today();
    return buildTemplate(format, '订单导入模板', '订单', ORDER_COLUMNS, [
      {
        kind: '面料', quantity: 3000, dueDate: addDays(today, 30), earliestStart: addDays(today, 3), 'fabric.fiber': '棉', 'fabric.weave': '斜纹',
        'fabric.widthCm': 150, 'fabric.picksPerCm': 30, 'fabric.gsm': 180, certifications: 'OEKO-TEX', targetPrice: 25000,
      },
      {
        kind: '款式', quantity: 300, dueDate: addDays(today, 40), 'fabric.fiber': '棉', 'fabric.weave': '平纹', 'fabric.widthCm': 150, 'fabric.picksPerCm': 30,
        'garment.category': '连衣裙', 'garment.fabricType': '梭织', 'garment.samMinutes': 40, sizes: 'S:100, M:120, L:80', fabricPerPieceM: 2, 'finishing.process': '染色',
      },
    ]);
  }
}
