import { Injectable } from '@nestjs/common';
import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES } from '@cloudloom/matching';
import { PRICE_COVERS } from '@cloudloom/contracts';
import { DomainError, type FieldError } from '@cloudloom/platform';
import type { Principal } from '../identity/principal';
import type { ImportColumn } from '../imports/columns';
import type { ImportPreview, TemplateFormat } from '../imports/imports.view';
import { allRowsOrRefuse, checkSheet, type CheckedSheet, type UploadedSheet } from '../imports/sheet-import';
import { buildTemplate, type Template } from '../imports/template';
import type { LineView } from './line.view';
import { CreateLineDto } from './lines.dto';
import { lineSpecOf, LinesService } from './lines.service';

/** Most rows of one import of lines: more halls than any mill has, each a line. */
export const MAX_LINE_ROWS = 50;

/** One production line a row: the fields of `POST /lines`; each kind fills its own columns. */
const LINE_COLUMNS: readonly ImportColumn[] = [
  { field: 'kind', zh: '产线类型', en: 'Kind', type: 'value', values: ['weaving', 'sewing', 'finishing'] },
  { field: 'name', zh: '产线名称', en: 'Name', type: 'text' },
  { field: 'ratePerUnit', zh: '单价', en: 'Rate', type: 'number' },
  { field: 'priceCovers', zh: '计价范围', en: 'Price covers', type: 'value', values: PRICE_COVERS },
  { field: 'machineType', zh: '机型', en: 'Machine type', type: 'value', values: MACHINE_TYPES },
  { field: 'machines', zh: '织机台数', en: 'Looms', type: 'integer' },
  { field: 'rpm', zh: '转速(纬/分钟)', en: 'Speed (rpm)', type: 'integer' },
  { field: 'maxWidthCm', zh: '最大门幅(厘米)', en: 'Max width (cm)', type: 'integer' },
  { field: 'hoursPerDay', zh: '每天工时(小时)', en: 'Hours per day', type: 'number' },
  { field: 'fibers', zh: '可织纤维', en: 'Fibres', type: 'list', values: FIBERS },
  { field: 'efficiency', zh: '效率', en: 'Efficiency', type: 'number' },
  { field: 'operators', zh: '工人数', en: 'Operators', type: 'integer' },
  { field: 'minutesPerDay', zh: '每天分钟', en: 'Minutes per day', type: 'integer' },
  { field: 'categories', zh: '品类', en: 'Categories', type: 'list', values: GARMENT_CATEGORIES },
  { field: 'fabricTypes', zh: '面料类型', en: 'Fabric types', type: 'list', values: FABRIC_TYPES },
  { field: 'moq', zh: '起订量(件)', en: 'Minimum pieces', type: 'integer' },
  { field: 'processes', zh: '工艺', en: 'Processes', type: 'list', values: FINISHING_PROCESSES },
  { field: 'metersPerDay', zh: '日产量(米)', en: 'Meters per day', type: 'integer' },
  { field: 'minBatchM', zh: '最小批量(米)', en: 'Minimum batch (m)', type: 'integer' },
];

/** The domain rules of a line beyond its DTO (fields of another kind, looms that cannot weave a fibre), as field errors. */
function lineRules(dto: CreateLineDto): readonly FieldError[] {
  try {
    lineSpecOf(dto);
    return [];
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return error.fields;
    throw error;
  }
}

/**
 * Lines from a spreadsheet: each row checked as `POST /lines` checks a line, then every line
 * published in one transaction (`createMany`), or none.
 */
@Injectable()
export class LineImportService {
  constructor(private readonly lines: LinesService) {}

  private check(file: UploadedSheet | undefined): Promise<CheckedSheet<CreateLineDto>> {
    return checkSheet(file, { maxRows: MAX_LINE_ROWS, columns: LINE_COLUMNS, dtoFor: () => CreateLineDto, rules: lineRules });
  }

  async preview(file: UploadedSheet | undefined): Promise<ImportPreview> {
    return (await this.check(file)).preview;
  }

  async import(principal: Principal, file: UploadedSheet | undefined): Promise<LineView[]> {
    return this.lines.createMany(principal, allRowsOrRefuse(await this.check(file)));
  }

  /** The Chinese headers and one line a mill's dispatcher would import: a hall of air-jet looms. */
  template(format: TemplateFormat): Promise<Template> {
    return buildTemplate(format, '产线导入模板', '产线', LINE_COLUMNS, [{
      kind: '织造', name: '一车间喷气织机', ratePerUnit: 0.012, priceCovers: '仅加工费', machineType: '喷气织机', machines: 48, rpm: 700, maxWidthCm: 190, hoursPerDay: 22,
    }]);
  }
}
