import {
  FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, MACHINE_TYPES, WEAVES,
} from '@cloudloom/matching';
import { PRICE_COVERS } from '@cloudloom/contracts';

/**
 * How a cell becomes part of a request body. Only the shape is settled here (a number is a
 * number, a list is split); whether the value is allowed is the DTO's and the domain's to say.
 */
export type CellType = 'text' | 'integer' | 'number' | 'date' | 'value' | 'list' | 'sizes';

export interface ImportColumn {
  /** The request field the cell fills: `fabric.widthCm`. */
  readonly field: string;
  /** The template's header, the one a Chinese spreadsheet has. */
  readonly zh: string;
  /** The English header; the field's own name is accepted too. */
  readonly en: string;
  readonly type: CellType;
  /** For `value` and `list` cells: the API's values, which the Chinese names below map onto. */
  readonly values?: readonly string[];
}

/**
 * The Chinese a merchandiser or a mill's dispatcher types for the API's values. The console words
 * the same values for display from its catalog; these are what a spreadsheet cell is read as.
 */
const CHINESE_VALUES: Readonly<Record<string, string>> = {
  面料: 'fabric', 成衣: 'garment',
  织造: 'weaving', 缝制: 'sewing', 染整: 'finishing',
  棉: 'cotton', 涤纶: 'polyester', 锦纶: 'nylon', 尼龙: 'nylon', 粘胶: 'viscose', 混纺: 'blend', 羊毛: 'wool', 真丝: 'silk', 亚麻: 'linen',
  平纹: 'plain', 斜纹: 'twill', 缎纹: 'satin', 小提花: 'dobby', 大提花: 'jacquard',
  t恤: 'tshirt', polo衫: 'polo', 衬衫: 'shirt', 连衣裙: 'dress', 半身裙: 'skirt', 长裤: 'trousers', 牛仔裤: 'jeans', 夹克: 'jacket', 大衣: 'coat', 运动服: 'sportswear', 内衣: 'underwear',
  针织: 'knit', 梭织: 'woven',
  喷气织机: 'air_jet', 喷气: 'air_jet', 喷水织机: 'water_jet', 喷水: 'water_jet', 剑杆织机: 'rapier', 剑杆: 'rapier', 片梭织机: 'projectile', 片梭: 'projectile', 提花织机: 'jacquard',
  染色: 'dyeing', 印花: 'printing', 后整理: 'finishing', 水洗: 'washing', 涂层: 'coating',
  仅加工费: 'processing', 加工费: 'processing', 含纱: 'yarn_included',
};

/** A cell's word as the API's value: `棉` → cotton, `Air Jet` → air_jet; anything else as typed (the DTO refuses it). */
export function apiValue(text: string, allowed: readonly string[]): string {
  const key = text.trim().toLowerCase().replace(/\s+/g, '');
  const chinese = CHINESE_VALUES[key];
  if (chinese !== undefined && allowed.includes(chinese)) return chinese;
  const snake = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  // "T-shirt" → tshirt: the API's compound values are written without the mark.
  return allowed.includes(snake) ? snake : allowed.find((v) => v === snake.replace(/_/g, '')) ?? text.trim();
}

/** One order a row: a fabric or a garment order, the fields of `POST /orders/batch`. */
export const ORDER_COLUMNS: readonly ImportColumn[] = [
  { field: 'kind', zh: '订单类型', en: 'Kind', type: 'value', values: ['fabric', 'garment'] },
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
  { field: 'maxSplits', zh: '最多拆分', en: 'Max splits', type: 'integer' },
  { field: 'certifications', zh: '认证', en: 'Certifications', type: 'list' },
  { field: 'targetPrice', zh: '目标价(元)', en: 'Target price (CNY)', type: 'number' },
];

/** One production line a row: the fields of `POST /lines`; each kind fills its own columns. */
export const LINE_COLUMNS: readonly ImportColumn[] = [
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

/** A header as compared: no case, spaces, units in brackets or required-marks. `门幅（厘米）*` → 门幅. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[(（].*?[)）]/g, '').replace(/[\s*_\-.]/g, '');
}

/** The column each header names, by its Chinese or English header or the field's name; undefined for a header none names. */
export function columnOf(columns: readonly ImportColumn[], header: string): ImportColumn | undefined {
  const key = headerKey(header);
  if (key === '') return undefined;
  return columns.find((c) => [c.zh, c.en, c.field, c.field.split('.').pop()!].some((name) => headerKey(name) === key));
}
