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
  面料: 'fabric', 成衣: 'garment', 款式: 'style', 整款: 'style',
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
