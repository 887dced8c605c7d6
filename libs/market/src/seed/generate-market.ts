import { dailyCapacity, GARMENT_CATEGORIES, type LineSpec, type MachineType, type SewingLineSpec, type WeavingLineSpec } from '@cloudloom/matching';
import { addDays, daysBetween } from '../core/clock';
import {
  BRAND_CITIES, BRAND_KINDS, BRAND_WORDS, MACHINE_LABEL, NAME_WORDS, NARROWINGS, RPM, SEWING_CERTS, SEWING_CLUSTERS, SPRING_FESTIVAL,
  WEAVING_CERTS, WEAVING_CLUSTERS, WEAVING_RATE, WIDTHS,
} from './clusters';
import { SeedRng } from '@cloudloom/matching';

export interface MarketOptions {
  /** Weaving mills. */
  readonly factories: number;
  /** Looms across all mills, exactly. */
  readonly looms: number;
  readonly brands: number;
  /** Garment (sewing) factories; default a quarter of the mills. */
  readonly sewingFactories?: number;
  readonly seed?: number;
  /** First day of the ledger (YYYY-MM-DD); the market is the same for the same seed and day. */
  readonly today: string;
  readonly horizonDays?: number;
  /** Share of factories that take dispatched work without the offer step. */
  readonly autoAcceptShare?: number;
}

export interface SeedOrganization {
  readonly id: string;
  readonly kind: 'brand' | 'factory';
  readonly name: string;
  readonly city: string;
  readonly province: string;
  readonly certifications: readonly string[];
  readonly autoAccept: boolean;
  readonly verified: boolean;
}

export interface SeedLine {
  readonly id: string;
  readonly factoryId: string;
  readonly name: string;
  readonly spec: LineSpec;
  readonly ratePerUnit: number;
  readonly dailyCapacity: number;
}

/** A day on which a line runs below its nominal capacity (maintenance, holidays). */
export interface SeedOverride {
  readonly lineId: string;
  readonly day: string;
  readonly fraction: number;
}

export interface SeedMarket {
  readonly today: string;
  readonly horizonDays: number;
  readonly organizations: readonly SeedOrganization[];
  readonly lines: readonly SeedLine[];
  readonly overrides: readonly SeedOverride[];
}

/** Looms per line: a hall of identical machines. */
const LOOMS_PER_LINE: readonly [number, number] = [20, 60];
/** Mills are many and small with a long tail of large ones (log-normal sizes). */
const MILL_SIZE_SIGMA = 0.9;
const MIN_LOOMS_PER_MILL = 4;

/**
 * Builds a market shaped like China's weaving and garment clusters from a seed: the same seed
 * and day always give the same organizations, lines, ids and ledger overrides. No I/O.
 */
export function generateMarket(options: MarketOptions): SeedMarket {
  const rng = new SeedRng(options.seed ?? 1);
  const horizonDays = options.horizonDays ?? 60;
  const autoAcceptShare = options.autoAcceptShare ?? 0.3;
  const sewingFactories = options.sewingFactories ?? Math.round(options.factories / 4);
  if (options.factories > 0 && options.looms < options.factories * MIN_LOOMS_PER_MILL) {
    throw new Error(`${options.looms} looms are too few for ${options.factories} mills (at least ${MIN_LOOMS_PER_MILL} each)`);
  }
  const organizations: SeedOrganization[] = [];
  const lines: SeedLine[] = [];
  const names = new Names();

  const sizes = millSizes(rng, options.factories, options.looms);
  for (const looms of sizes) {
    const cluster = rng.weighted(WEAVING_CLUSTERS.map((c) => [c, c.share] as const));
    const kind = rng.pick(['Weaving', 'Textile', 'Fabrics', 'Silk Weaving']);
    const mill: SeedOrganization = {
      id: rng.uuid(), kind: 'factory', name: names.take(`${cluster.town} ${rng.pick(NAME_WORDS)} ${kind}`), city: cluster.city, province: cluster.province,
      certifications: WEAVING_CERTS.filter(([, p]) => rng.chance(p)).map(([c]) => c), autoAccept: rng.chance(autoAcceptShare), verified: rng.chance(0.97),
    };
    organizations.push(mill);
    const main = rng.weighted(cluster.machines);
    let left = looms;
    for (let hall = 0; left > 0; hall++) {
      const machines = Math.min(left, rng.int(...LOOMS_PER_LINE));
      left -= machines;
      const machineType = hall === 0 || rng.chance(0.75) ? main : rng.weighted(cluster.machines);
      const spec = weavingSpec(rng, machineType, machines);
      lines.push({
        id: rng.uuid(), factoryId: mill.id, name: `Hall ${hallName(hall)} ${MACHINE_LABEL[machineType]}`, spec,
        ratePerUnit: round(rng.range(...WEAVING_RATE[machineType]), 3), dailyCapacity: dailyCapacity(spec),
      });
    }
  }

  for (let f = 0; f < sewingFactories; f++) {
    const cluster = rng.weighted(SEWING_CLUSTERS.map((c) => [c, c.share] as const));
    const factory: SeedOrganization = {
      id: rng.uuid(), kind: 'factory', name: names.take(`${cluster.town} ${rng.pick(NAME_WORDS)} Garments`), city: cluster.city, province: cluster.province,
      certifications: SEWING_CERTS.filter(([, p]) => rng.chance(p)).map(([c]) => c), autoAccept: rng.chance(autoAcceptShare), verified: rng.chance(0.97),
    };
    organizations.push(factory);
    const fabricTypes = rng.weighted(cluster.fabricTypes);
    for (let l = 0, n = rng.weighted([[1, 0.35], [2, 0.35], [3, 0.2], [4, 0.1]] as const); l < n; l++) {
      const categories = rng.some(cluster.categories, rng.int(2, 4));
      const spec: SewingLineSpec = {
        kind: 'sewing', operators: rng.int(12, 60), minutesPerDay: rng.weighted([[480, 0.5], [540, 0.3], [600, 0.2]] as const),
        efficiency: round(rng.range(0.5, 0.7), 2), categories: GARMENT_CATEGORIES.filter((c) => categories.includes(c)), fabricTypes: [...fabricTypes],
        moq: rng.weighted([[0, 0.2], [50, 0.2], [100, 0.3], [200, 0.2], [300, 0.1]] as const),
      };
      lines.push({
        id: rng.uuid(), factoryId: factory.id, name: `Line ${l + 1} ${categories[0] ?? 'garments'}`, spec,
        ratePerUnit: round(rng.range(0.45, 0.9), 2), dailyCapacity: dailyCapacity(spec),
      });
    }
  }

  for (let b = 0; b < options.brands; b++) {
    const [city, province] = rng.weighted(BRAND_CITIES);
    organizations.push({
      id: rng.uuid(), kind: 'brand', name: names.take(`${rng.pick(BRAND_WORDS)} ${rng.pick(BRAND_KINDS)}`), city, province,
      certifications: [], autoAccept: false, verified: true,
    });
  }

  return { today: options.today, horizonDays, organizations, lines, overrides: overridesOf(rng, lines, options.today, horizonDays) };
}

/** Log-normal mill sizes scaled to exactly `looms` in total, each mill at least a few looms. */
function millSizes(rng: SeedRng, mills: number, looms: number): number[] {
  if (mills === 0) return [];
  const weights = Array.from({ length: mills }, () => Math.exp(rng.normal() * MILL_SIZE_SIGMA));
  const total = weights.reduce((s, w) => s + w, 0);
  const spare = looms - mills * MIN_LOOMS_PER_MILL;
  const exact = weights.map((w) => (w / total) * spare);
  const sizes = exact.map((x) => MIN_LOOMS_PER_MILL + Math.floor(x));
  // Hand out what rounding left over to the largest remainders, so the total is exact.
  let left = looms - sizes.reduce((s, n) => s + n, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % mills, left--) sizes[byRemainder[k]![1]]! += 1;
  return sizes;
}

function weavingSpec(rng: SeedRng, machineType: MachineType, machines: number): WeavingLineSpec {
  const narrowed = rng.chance(0.1) ? rng.pick(NARROWINGS[machineType]) : undefined;
  return {
    kind: 'weaving', machineType, machines, rpm: rng.int(...RPM[machineType]), efficiency: round(rng.range(0.8, 0.92), 2),
    hoursPerDay: rng.weighted([[20, 0.2], [22, 0.6], [24, 0.2]] as const), maxWidthCm: rng.weighted(WIDTHS[machineType]),
    ...(narrowed ? { fibers: [...narrowed] } : {}),
  };
}

/**
 * Maintenance stops (a third of the lines stop for one to three days), Sunday short shifts in
 * a fifth of the sewing lines, and the Spring Festival when it falls inside the horizon.
 */
function overridesOf(rng: SeedRng, lines: readonly SeedLine[], today: string, horizon: number): SeedOverride[] {
  const festival = SPRING_FESTIVAL.map((d) => daysBetween(today, d)).find((d) => d > -10 && d < horizon + 7);
  const sundayOffset = (7 - new Date(`${today}T00:00:00Z`).getUTCDay()) % 7;
  const out: SeedOverride[] = [];
  for (const line of lines) {
    const days = new Map<number, number>();
    if (line.spec.kind === 'sewing' && rng.chance(0.2)) for (let d = sundayOffset; d < horizon; d += 7) days.set(d, 0.5);
    if (rng.chance(1 / 3)) {
      const start = rng.int(0, horizon - 1);
      for (let d = start, n = rng.int(1, 3); d < Math.min(horizon, start + n); d++) days.set(d, 0);
    }
    if (festival !== undefined) {
      for (let d = Math.max(0, festival - 7); d < Math.min(horizon, festival + 10); d++) days.set(d, Math.min(days.get(d) ?? 1, d < festival - 2 || d > festival + 6 ? 0.5 : 0.1));
    }
    for (const [d, fraction] of [...days].sort((a, b) => a[0] - b[0])) out.push({ lineId: line.id, day: addDays(today, d), fraction });
  }
  return out;
}

function hallName(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `${String.fromCharCode(65 + Math.floor(i / 26) - 1)}${String.fromCharCode(65 + (i % 26))}`;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Names stay unique: a repeated one gets a number, as mills in one town do. */
class Names {
  private readonly seen = new Map<string, number>();

  take(name: string): string {
    const n = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, n);
    return n === 1 ? name : `${name} No. ${n}`;
  }
}
