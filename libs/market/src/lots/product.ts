import type { Fiber, GarmentCategory, Weave } from '@cloudloom/matching';
import type { LotKind } from './identifier';

/** A lot's product in words, English and Chinese: for the resolution's public part and the labels. */
export interface ProductWords {
  readonly en: string;
  readonly zh: string;
}

const FIBER_ZH: Record<Fiber, string> = { cotton: '棉', polyester: '涤纶', nylon: '锦纶', viscose: '粘胶', blend: '混纺', wool: '羊毛', silk: '真丝', linen: '亚麻' };
const WEAVE_ZH: Record<Weave, string> = { plain: '平纹', twill: '斜纹', satin: '缎纹', dobby: '多臂', jacquard: '提花' };
const CATEGORY_ZH: Record<GarmentCategory, string> = {
  tshirt: 'T恤', polo: 'Polo衫', shirt: '衬衫', dress: '连衣裙', skirt: '半身裙', trousers: '长裤', jeans: '牛仔裤', jacket: '夹克', coat: '大衣', sportswear: '运动服', underwear: '内衣',
};
const CATEGORY_EN: Record<GarmentCategory, string> = {
  tshirt: 'T-shirts', polo: 'polo shirts', shirt: 'shirts', dress: 'dresses', skirt: 'skirts', trousers: 'trousers', jeans: 'jeans', jacket: 'jackets', coat: 'coats', sportswear: 'sportswear', underwear: 'underwear',
};
export const KIND_WORDS: Record<LotKind, ProductWords> = {
  roll: { en: 'Fabric roll', zh: '布卷' },
  batch: { en: 'Finished batch', zh: '后整理批' },
  bundle: { en: 'Bundle', zh: '扎' },
  carton: { en: 'Carton', zh: '箱' },
};
export const UNIT_WORDS: Record<'m' | 'pcs', ProductWords> = { m: { en: 'm', zh: '米' }, pcs: { en: 'pcs', zh: '件' } };

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const pick = <K extends string>(table: Record<K, string>, key: unknown): string | undefined => (typeof key === 'string' && key in table ? table[key as K] : undefined);

/**
 * The product of an order, read from its stored spec: the fabric of a fabric order, the garment
 * of a garment or style order (a style order's rolls are its garment's fabric, named by the order).
 */
export function productWords(spec: Record<string, unknown>, lotKind: LotKind): ProductWords {
  const fabric = spec.fabric as Record<string, unknown> | undefined;
  const garment = spec.garment as Record<string, unknown> | undefined;
  if (fabric && (lotKind === 'roll' || lotKind === 'batch' || !garment)) {
    const fiber = text(fabric.fiber);
    const weave = text(fabric.weave);
    const width = typeof fabric.widthCm === 'number' ? fabric.widthCm : undefined;
    return {
      en: `${fiber} ${weave} fabric${width ? `, ${width} cm wide` : ''}`,
      zh: `${pick(FIBER_ZH, fiber) ?? fiber}${pick(WEAVE_ZH, weave) ?? weave}面料${width ? `，门幅${width}厘米` : ''}`,
    };
  }
  const category = text(garment?.category);
  return { en: pick(CATEGORY_EN, category) ?? category, zh: pick(CATEGORY_ZH, category) ?? category };
}
