import { FABRIC_TYPES, FIBERS, FINISHING_PROCESSES, GARMENT_CATEGORIES, LINE_KINDS, MACHINE_TYPES, REASON_CODES, SAM_FEATURES, WEAVES } from '@cloudloom/matching';
import { EVENT_TYPES } from '@cloudloom/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type Format, useFormat } from './format';

/** Order and allocation statuses as the server names them (@cloudloom/persistence; tests/console/catalogs.spec.ts keeps them equal). */
export const ORDER_STATUSES = ['pending', 'matching', 'proposed', 'confirmed', 'in_production', 'completed', 'unmatched', 'partial', 'cancelled', 'expired', 'awaiting_approval'] as const;
export const ALLOCATION_STATUSES = ['offered', 'accepted', 'rejected', 'expired', 'in_production', 'produced', 'cancelled'] as const;
/** Why a factory declines an offer (POST /offers/:id/reject `reasonCode`). */
export const REJECT_REASON_CODES = ['NO_CAPACITY', 'PRICE', 'SPEC', 'MATERIAL', 'OTHER'] as const;
/** The certifications the order form offers to pick (those the market's factories hold). */
export const CERTIFICATIONS = ['OEKO-TEX', 'GRS', 'GOTS', 'bluesign', 'BSCI', 'WRAP'] as const;

/**
 * Every domain value the console translates, by catalog group (`domain.<group>.<value>`). The
 * catalogs test checks each value has its words in both languages, so a fibre added to the
 * matcher fails that test until it is translated.
 */
export const DOMAIN_VALUES = {
  fiber: FIBERS,
  weave: WEAVES,
  category: GARMENT_CATEGORIES,
  fabricType: FABRIC_TYPES,
  machineType: MACHINE_TYPES,
  process: FINISHING_PROCESSES,
  feature: SAM_FEATURES,
  reason: REASON_CODES,
  status: [...new Set([...ORDER_STATUSES, ...ALLOCATION_STATUSES, 'active', 'paused', 'verified'])],
  rejectReason: REJECT_REASON_CODES,
  certification: CERTIFICATIONS,
  lineKind: LINE_KINDS,
  role: ['owner', 'merchandiser', 'dispatcher', 'viewer', 'operator'],
  personStatus: ['invited', 'active'],
  lotKind: ['roll', 'batch', 'bundle', 'carton'],
  attachmentKind: ['tech_pack', 'sketch', 'swatch_photo', 'other'],
  eventType: EVENT_TYPES,
} as const satisfies Record<string, readonly string[]>;
export type DomainGroup = keyof typeof DOMAIN_VALUES;

/**
 * Reference figures for the units a mill thinks in: a loom line's capacity is counted in weft
 * picks and a sewing line's in standard minutes (DESIGN.md §2), but a dispatcher plans in meters
 * and pieces a day. These are the order form's defaults (30 picks/cm, 12 min a piece).
 */
export const REFERENCE_PICKS_PER_CM = 30;
export const REFERENCE_SAM_MINUTES = 12;

/** A reason as the matcher sends it (libs/matching UnmatchedReason). */
interface Reason {
  code: string;
  lines: number;
  message: string;
}

interface FabricWords {
  fiber: string;
  weave: string;
  widthCm: number;
  picksPerCm: number;
}
interface GarmentWords {
  category: string;
  fabricType: string;
  samMinutes: number;
}

export interface Domain {
  t: TFunction;
  f: Format;
  /** A domain value in words; a value the catalog does not know yet is shown as sent, never blank. */
  word: (group: DomainGroup, value: string) => string;
  /** A matcher reason as a sentence in the person's language. */
  reason: (r: Reason) => string;
  /** A quantity with its unit: 3,000 m, 500 pcs. */
  quantity: (n: number, kind: string) => string;
  /** A fabric or garment spec in words: 棉斜纹，门幅 150 厘米，纬密 30 根/厘米. */
  spec: (s: { fabric?: FabricWords | undefined; garment?: GarmentWords | undefined }, kind: string) => string;
  /** A line's daily capacity as raw units with the mill's own beside it. */
  capacity(kind: 'weaving' | 'sewing' | 'finishing', perDay: number): { raw: string; mill: string | undefined };
}

export function domainOf(t: TFunction, f: Format): Domain {
  const word = (group: DomainGroup, value: string): string => t(`domain.${group}.${value}`, { defaultValue: value.replace(/_/g, ' ') });
  return {
    t,
    f,
    word,
    reason: (r) => t(`domain.reason.${r.code}`, { lines: f.num(r.lines), defaultValue: r.message }),
    spec: ({ fabric, garment }, kind) =>
      fabric
        ? t('spec.fabric', { fiber: word('fiber', fabric.fiber), weave: word('weave', fabric.weave), width: f.num(fabric.widthCm), picks: f.num(fabric.picksPerCm, 1) })
        : garment
          ? t('spec.garment', { category: word('category', garment.category), fabricType: word('fabricType', garment.fabricType), sam: f.num(garment.samMinutes, 1) })
          : word('lineKind', kind),
    // A style order delivers sewn pieces; its fabric stages' meters are said per stage.
    quantity: (n, kind) => t(kind === 'garment' || kind === 'style' ? 'units.pieces' : 'units.meters', { n: f.num(n) }),
    capacity: (kind, perDay) => {
      if (kind === 'weaving') {
        return { raw: t('units.picksPerDay', { n: f.num(perDay) }), mill: t('units.metersAt', { n: f.num(perDay / (REFERENCE_PICKS_PER_CM * 100)), picks: REFERENCE_PICKS_PER_CM }) };
      }
      if (kind === 'sewing') {
        return { raw: t('units.minutesPerDay', { n: f.num(perDay) }), mill: t('units.piecesAt', { n: f.num(perDay / REFERENCE_SAM_MINUTES), sam: REFERENCE_SAM_MINUTES }) };
      }
      return { raw: t('units.metersPerDay', { n: f.num(perDay) }), mill: undefined };
    },
  };
}

/** The translator, the formats and the domain words of the page's language, in one hook. */
export function useDomain(): Domain {
  const { t } = useTranslation();
  const f = useFormat();
  return domainOf(t, f);
}
